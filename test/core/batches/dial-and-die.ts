// Child process of kill-between-create-and-store.test.ts: dials a batch against the Twilio simulator and is
// SIGKILLed by the OS right after Twilio accepted the call at position `killAt`, before its SID is stored.
// Usage: tsx dial-and-die.ts DB_FILE API_BASE_URL ACCOUNT_SID AUTH_TOKEN BATCH_ID KILL_AT
import { BatchRunner } from '../../../src-main/core/batches/batch-runner';
import { settingsSchema } from '../../../src-main/core/settings/schema';
import { openDatabase } from '../../../src-main/core/store/database';
import { createTwilioClient } from '../../../src-main/core/twilio/twilio-client';

const [dbFile, apiBaseUrl, accountSid, authToken, batchId, killAt] = process.argv.slice(2) as [string, string, string, string, string, string];
const db = openDatabase(dbFile);
const client = createTwilioClient({ accountSid, authToken, apiBaseUrl });
const settings = settingsSchema.parse({ scheduling: { timezone: 'UTC' }, calling: { calls_per_second: 20, max_retries: 0 } });
const runner = new BatchRunner({
  db,
  calls: () => client.calls,
  settings: () => settings,
  fromNumber: () => '+15005550006',
  callbackTarget: () => ({ statusCallbackUrl: null, publicBaseUrl: null }),
  renderMessage: (appointment) => `Hello ${appointment.name}.`,
  poller: { track: () => undefined },
  afterCreate: (attempt) => {
    if (attempt.position === Number(killAt)) process.kill(process.pid, 'SIGKILL');
  },
});
await runner.runBatch(batchId, { waitSeconds: 0 });
process.exit(0);
