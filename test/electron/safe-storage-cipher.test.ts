import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDesktopSecretStore, createSafeStorageCipher, type SafeStorageLike } from '../../src-main/electron/safe-storage-cipher';

vi.mock('electron', () => {
  throw new Error('the cipher takes safeStorage as a parameter');
});

/** Stands in for Electron's safeStorage: a reversible transform with a version prefix, like the real one ("v10…"). */
function fakeSafeStorage(opts: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const xor = (data: Buffer) => Buffer.from(data.map((byte) => byte ^ 0x5a));
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    encryptString: (plain) => Buffer.concat([Buffer.from('v10'), xor(Buffer.from(plain, 'utf8'))]),
    decryptString: (data) => {
      if (data.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return xor(data.subarray(3)).toString('utf8');
    },
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
  };
}

const TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reminder-desk-secrets-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('createSafeStorageCipher', () => {
  it.each([
    ['darwin', /macOS Keychain/],
    ['win32', /Windows data protection/],
    ['linux', /system keyring/],
  ] as const)('names where the key lives on %s', (platform, description) => {
    expect(createSafeStorageCipher(fakeSafeStorage(), platform)?.description).toMatch(description);
  });

  it("says plainly that Linux's basic_text backend only scrambles", () => {
    const cipher = createSafeStorageCipher(fakeSafeStorage({ backend: 'basic_text' }), 'linux');
    expect(cipher?.description).toMatch(/only scrambled/);
    expect(cipher?.description).not.toMatch(/encrypted/);
  });

  it('is null when the OS offers no encryption', () => {
    expect(createSafeStorageCipher(fakeSafeStorage({ available: false }), 'linux')).toBeNull();
  });
});

describe('createDesktopSecretStore', () => {
  it('keeps the Twilio token encrypted on disk and reads it back', () => {
    const store = createDesktopSecretStore(dataDir, fakeSafeStorage(), {}, 'darwin');
    store.set('TWILIO_AUTH_TOKEN', TOKEN);
    const onDisk = fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8');
    expect(onDisk).not.toContain(TOKEN);
    expect(createDesktopSecretStore(dataDir, fakeSafeStorage(), {}, 'darwin').get('TWILIO_AUTH_TOKEN')).toBe(TOKEN);
    expect(store.description).toMatch(/Keychain/);
  });

  it('lets environment variables win, for servers configured without the keychain', () => {
    const store = createDesktopSecretStore(dataDir, fakeSafeStorage(), { TWILIO_AUTH_TOKEN: 'from-env' }, 'linux');
    store.set('TWILIO_AUTH_TOKEN', TOKEN);
    expect(store.get('TWILIO_AUTH_TOKEN')).toBe('from-env');
  });

  it('treats a value the keychain can no longer decrypt as missing (the wizard asks again) rather than crashing', () => {
    fs.writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify({ NGROK_AUTHTOKEN: Buffer.from('garbage').toString('base64') }));
    expect(createDesktopSecretStore(dataDir, fakeSafeStorage(), {}, 'linux').get('NGROK_AUTHTOKEN')).toBeNull();
  });

  it('falls back to a file readable only by this user, and says so, when no encryption exists', () => {
    const store = createDesktopSecretStore(dataDir, fakeSafeStorage({ available: false }), {}, 'linux');
    store.set('NGROK_AUTHTOKEN', TOKEN);
    expect(store.description).toMatch(/readable only by this user/);
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });
});
