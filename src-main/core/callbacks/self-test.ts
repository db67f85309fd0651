// The reachability self-test contract between the tunnel's self-test client and this listener (docs/CALLBACKS.md):
// a POST /status signed like a Twilio callback and carrying `SelfTest=<nonce>` is answered 200 with the nonce
// echoed in `X-Reminder-Desk-Self-Test` and stores no status event; a rejected one gets the normal 403 plus the
// plain reason in `X-Reminder-Desk-Reject-Reason` (only self-tests get that header).

export const SELF_TEST_PARAM = 'SelfTest';
export const SELF_TEST_HEADER = 'X-Reminder-Desk-Self-Test';
export const REJECT_REASON_HEADER = 'X-Reminder-Desk-Reject-Reason';
