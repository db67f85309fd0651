import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvents } from '../../../src-main/core/api/contract';
import { MemorySecretStore } from '../../../src-main/core/settings/secrets';
import { getCallAttempt } from '../../../src-main/core/store/call-attempts';
import { PRACTICE_PHONE_NUMBERS, TwilioSimulator } from '../../../src-main/core/practice/simulator/twilio-simulator';
import { EngineHarness, settingsYaml, until } from './engine-fixtures';

// The wizard's real-account path, step by step through the API the UI calls, against a Twilio simulator reached
// only through twilio.api_base_url: credentials checked, caller number picked, callbacks set up and self-tested,
// then a test call whose statuses arrive live.

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

describe('setup wizard with a Twilio account', () => {
  it('checks the account, saves it, sets up callbacks and places a test call whose statuses arrive live', async () => {
    const simulator = new TwilioSimulator({ timeScale: 0.01 });
    await simulator.start();
    harness.cleanups.push(() => simulator.stop());
    const dataDir = harness.tempDir(settingsYaml(`twilio:\n  api_base_url: ${simulator.baseUrl}\ntunnel:\n  provider: none\n`));
    const secrets = new MemorySecretStore();
    const engine = await harness.open(dataDir, { secrets });
    await engine.start();
    const api = engine.handlers();

    // (a) a wrong token is refused at once, in plain words; the right one lists the account's numbers
    await expect(api['setup/check-twilio']({ accountSid: simulator.accountSid, authToken: 'f'.repeat(32) })).rejects.toMatchObject({ kind: 'twilio' });
    const account = await api['setup/check-twilio']({ accountSid: simulator.accountSid, authToken: simulator.authToken });
    expect(account.numbers.map((n) => n.phoneNumber)).toContain(PRACTICE_PHONE_NUMBERS[0]);

    // (b) the caller number; the token goes to the secret store, never to settings.yaml
    await api['setup/save-twilio']({ accountSid: simulator.accountSid, authToken: simulator.authToken, fromNumber: PRACTICE_PHONE_NUMBERS[0]! });
    expect(secrets.get('TWILIO_AUTH_TOKEN')).toBe(simulator.authToken);
    expect(fs.readFileSync(path.join(dataDir, 'settings.yaml'), 'utf8')).not.toContain(simulator.authToken);

    // (c) callbacks to "our own public URL" (here the loopback callback server), verified by the self-test
    const statusCallbackUrl = `${engine.listener.localUrl()}/status`;
    const connection = await api['setup/configure-callbacks']({ mode: 'own-url', statusCallbackUrl });
    expect(connection).toMatchObject({ mode: 'own-url', statusCallbackUrl });
    expect(await api['connection/self-test']({})).toMatchObject({ ok: true });

    // (d) the test call: initiated → ringing → answered → completed, pushed as they arrive
    const seen: string[] = [];
    const onUpdate = ({ call }: ApiEvents['call-updated']) => {
      if (seen.at(-1) !== call.status) seen.push(call.status);
    };
    engine.events.on('call-updated', onUpdate);
    const { attemptId } = await api['setup/test-call']({ to: '+12125550102' });
    await until(() => getCallAttempt(engine.db, attemptId)?.isFinal === true);
    engine.events.off('call-updated', onUpdate);
    expect(seen.filter((s) => ['initiated', 'ringing', 'in-progress', 'completed'].includes(s))).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    expect(getCallAttempt(engine.db, attemptId)).toMatchObject({ status: 'completed', statusSource: 'callback', answered: true });
    expect(simulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Calls.json'))).toHaveLength(1);
  });
});
