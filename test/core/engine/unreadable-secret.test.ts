import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invokeOperation } from '../../../src-main/core/api/invoke-operation';
import { FileSecretStore, type SecretCipher } from '../../../src-main/core/settings/secrets';
import { PRACTICE_PHONE_NUMBERS, TwilioSimulator } from '../../../src-main/core/practice/simulator/twilio-simulator';
import { EngineHarness, SAMPLE_CSV, settingsYaml } from './engine-fixtures';

// The desktop app's keyring went away (or a Windows profile move broke DPAPI): the saved token can't be read.
// Staff are told in those words, and Twilio never sees the stored bytes as a token.

const UNREADABLE = "the saved Twilio token can't be read on this computer any more — enter it again";
const harness = new EngineHarness();
afterEach(() => harness.cleanup());

/** A keychain that works, and the same one on a launch where its key is gone. */
const keychain: SecretCipher = { description: 'test keychain', encrypt: (plain) => Buffer.from(`v10${plain}`), decrypt: (data) => data.subarray(3).toString() };
const keyGone: SecretCipher = {
  description: 'test keychain',
  encrypt: keychain.encrypt,
  decrypt: () => {
    throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
  },
};

describe('an unreadable saved Twilio token', () => {
  it('is reported to staff and never sent to Twilio', async () => {
    const simulator = new TwilioSimulator({ timeScale: 0.01 });
    await simulator.start();
    harness.cleanups.push(() => simulator.stop());
    const dir = harness.tempDir(
      settingsYaml(`twilio:\n  api_base_url: ${simulator.baseUrl}\n  account_sid: ${simulator.accountSid}\n  from_number: "${PRACTICE_PHONE_NUMBERS[0]}"\ntunnel:\n  provider: none\n`),
    );
    new FileSecretStore(dir, keychain).set('TWILIO_AUTH_TOKEN', simulator.authToken);

    const engine = await harness.open(dir, { secrets: new FileSecretStore(dir, keyGone) });
    await engine.start();
    expect(engine.account.callingUnavailableReason()).toBe(UNREADABLE);
    const state = await invokeOperation(engine.handlers(), 'app/get-state', {});
    expect(state).toMatchObject({ ok: true, value: { secretProblem: UNREADABLE } });

    const file = fs.readFileSync(SAMPLE_CSV).toString('base64');
    await invokeOperation(engine.handlers(), 'appointments/import', { fileName: 'a.csv', contentBase64: file });
    const started = await invokeOperation(engine.handlers(), 'batches/start', { day: '2026-11-25' });
    expect(started).toEqual({ ok: false, error: { kind: 'unavailable', message: UNREADABLE } });
    expect(simulator.requests).toEqual([]);
    // Still on disk: a launch where the keyring is back reads it again.
    expect(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')).toContain('"encryption": "os"');
  });

  it('is no problem in app state once the token is readable, or in practice mode', async () => {
    const dir = harness.tempDir();
    new FileSecretStore(dir, keychain).set('TWILIO_AUTH_TOKEN', 'f'.repeat(32));
    const readable = await harness.open(dir, { secrets: new FileSecretStore(dir, keychain) });
    expect(await invokeOperation(readable.handlers(), 'app/get-state', {})).toMatchObject({ ok: true, value: { secretProblem: null } });
    await readable.stop();

    const practice = await harness.open(dir, { secrets: new FileSecretStore(dir, keyGone), practice: true });
    expect(await invokeOperation(practice.handlers(), 'app/get-state', {})).toMatchObject({ ok: true, value: { secretProblem: null } });
  });
});
