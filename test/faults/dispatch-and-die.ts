// Child process of dispatch-kill.test.ts: dials a batch against the Twilio simulator and SIGKILLs itself at one
// step of placing the call at position KILL_AT (0-based):
//   before-create    `dialing` is committed, the create request is not sent yet
//   after-accepted   Twilio answered 201 (the client has the CallSid), nothing stored yet
//   before-store     the runner's last hook before the CallSid is written
//   after-store      the CallSid is committed (the runner hands the call to the poller)
//   (accepted-in-flight is done by the parent: it kills this process when the simulator accepts the call)
// Usage: tsx dispatch-and-die.ts DB_FILE API_BASE_URL ACCOUNT_SID AUTH_TOKEN BATCH_ID STEP KILL_AT
import { BatchRunner } from '../../src-main/core/batches/batch-runner';
import { settingsSchema } from '../../src-main/core/settings/schema';
import { openDatabase } from '../../src-main/core/store/database';
import { createTwilioClient, type CallsApi } from '../../src-main/core/twilio/twilio-client';

const [dbFile, apiBaseUrl, accountSid, authToken, batchId, step, killAtText] = process.argv.slice(2) as [string, string, string, string, string, string, string];
const killAt = Number(killAtText);
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const db = openDatabase(dbFile);
const client = createTwilioClient({ accountSid, authToken, apiBaseUrl });
let creates = 0;
const calls: CallsApi = {
  fetch: (sid) => client.calls.fetch(sid),
  list: (filter) => client.calls.list(filter),
  async create(params) {
    const position = creates++;
    if (step === 'before-create' && position === killAt) die();
    const call = await client.calls.create(params);
    if (step === 'after-accepted' && position === killAt) die();
    return call;
  },
};
const settings = settingsSchema.parse({ scheduling: { timezone: 'UTC' }, calling: { calls_per_second: 20, max_retries: 0 } });
const runner = new BatchRunner({
  db,
  calls: () => calls,
  settings: () => settings,
  fromNumber: () => '+15005550006',
  callbackTarget: () => ({ statusCallbackUrl: null, publicBaseUrl: null }),
  renderMessage: (appointment) => `Hello ${appointment.name}.`,
  poller: {
    track: (attempt) => {
      if (step === 'after-store' && attempt.position === killAt) die();
    },
  },
  afterCreate: (attempt) => {
    if (step === 'before-store' && attempt.position === killAt) die();
  },
});
await runner.runBatch(batchId, { waitSeconds: 0 });
process.exit(0);
