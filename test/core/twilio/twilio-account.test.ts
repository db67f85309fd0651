import { describe, expect, it } from 'vitest';
import type { EngineContext } from '../../../src-main/core/engine-context';
import { parseSettings } from '../../../src-main/core/settings/load-settings';
import { MemorySecretStore, type SecretName } from '../../../src-main/core/settings/secrets';
import { TwilioAccount } from '../../../src-main/core/twilio/twilio-account';

class CountingSecrets extends MemorySecretStore {
  reads = 0;
  override get(name: SecretName): string | null {
    this.reads += 1;
    return super.get(name);
  }
}

describe('TwilioAccount.authToken', () => {
  it('reads the secret store once (the listener asks on every request), and again after reset()', () => {
    const secrets = new CountingSecrets({ TWILIO_AUTH_TOKEN: 'first-token-0123456789' });
    const ctx = { env: {}, secrets, getSettings: () => parseSettings({}) } as unknown as EngineContext;
    const account = new TwilioAccount(ctx, { active: false, simulator: null });

    for (let i = 0; i < 100; i += 1) expect(account.authToken()).toBe('first-token-0123456789');
    expect(secrets.reads).toBe(1);

    secrets.set('TWILIO_AUTH_TOKEN', 'second-token-0123456789'); // the setup wizard saves a new token, then resets
    account.reset();
    expect(account.authToken()).toBe('second-token-0123456789');
    expect(secrets.reads).toBe(2);
  });
});
