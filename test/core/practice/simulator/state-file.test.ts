import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatorStateFileError } from '../../../../src-main/core/practice/simulator/state-file';
import { TwilioSimulator } from '../../../../src-main/core/practice/simulator/twilio-simulator';
import { createTestTwilioClient } from '../../../helpers/twilio-test-client';
import { WebhookReceiver } from './webhook-receiver';

const FROM = '+15005550006';

let dir: string;
let receiver: WebhookReceiver;
const running: TwilioSimulator[] = [];

async function start(stateFile: string): Promise<TwilioSimulator> {
  const simulator = new TwilioSimulator({ timeScale: 0.005, seed: 11, stateFile });
  running.push(simulator);
  await simulator.start();
  return simulator;
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulator-state-'));
  receiver = new WebhookReceiver({ authToken: new TwilioSimulator().authToken });
  await receiver.start();
});

afterEach(async () => {
  for (const simulator of running.splice(0)) await simulator.stop();
  await receiver.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('simulator state file', () => {
  it('keeps calls across a restart mid-batch: the Calls list still has them and live calls carry on', async () => {
    const stateFile = path.join(dir, 'simulator-state.json');
    const first = await start(stateFile);
    const client = createTestTwilioClient(first.baseUrl, first.accountSid, first.authToken);
    const options = { from: FROM, url: receiver.url('/twiml'), statusCallback: receiver.url('/status'), statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'] };
    const busy = await client.calls.create({ to: '+15551230104', ...options });
    const long = await client.calls.create({ to: '+15551230108', ...options });
    // Persisted before the 201 went out: an app killed right now would find the call after restarting.
    const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { calls: Array<{ sid: string }> };
    expect(saved.calls.map((call) => call.sid)).toEqual([busy.sid, long.sid]);

    // Stop once the `answered` callback went out (a callback in flight at stop is lost, like a crash would lose it).
    await new Promise<void>((resolve) => first.on('delivery', (delivery) => delivery.callSid === long.sid && delivery.sequenceNumber === 2 && resolve()));
    await first.stop();
    const beforeRestart = receiver.statusCallbacks(long.sid).map((params) => params.SequenceNumber);
    expect(beforeRestart).toEqual(['0', '1', '2']);

    const second = await start(stateFile);
    const reconnected = createTestTwilioClient(second.baseUrl, second.accountSid, second.authToken);
    expect((await reconnected.calls.list({ startTimeAfter: new Date(Date.now() - 60_000) })).map((call) => call.sid)).toEqual([long.sid, busy.sid]);
    await second.waitForCallsToFinish(10_000);
    expect(receiver.statusCallbacks(long.sid).map((params) => [params.SequenceNumber, params.CallStatus])).toEqual([
      ['0', 'initiated'],
      ['1', 'ringing'],
      ['2', 'in-progress'],
      ['3', 'completed'],
    ]);
    expect((await reconnected.calls(long.sid).fetch()).status).toBe('completed');
    expect(receiver.received.every((request) => request.signatureValid)).toBe(true);
  });

  it('refuses a damaged state file with a message that says what to do', async () => {
    const stateFile = path.join(dir, 'broken.json');
    fs.writeFileSync(stateFile, '{"version": 1, "calls": [');
    const simulator = new TwilioSimulator({ stateFile });
    const error = await simulator.start().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SimulatorStateFileError);
    expect((error as Error).message).toMatch(/broken\.json is not valid JSON; delete it/);
  });
});
