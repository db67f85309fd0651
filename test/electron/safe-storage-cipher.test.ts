import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDesktopSecretStore, createSafeStorageCipher } from '../../src-main/electron/safe-storage-cipher';
import { FakeSafeStorage } from './fake-electron';

vi.mock('electron', () => {
  throw new Error('the cipher takes safeStorage as a parameter');
});

const TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const UNREADABLE = "the saved Twilio token can't be read on this computer any more — enter it again";
let dataDir: string;
const secretsFile = () => path.join(dataDir, 'secrets.json');
const onDisk = () => JSON.parse(fs.readFileSync(secretsFile(), 'utf8')) as Record<string, unknown>;

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
    expect(createSafeStorageCipher(new FakeSafeStorage(), platform)?.description).toMatch(description);
  });

  it('is null when the OS offers no encryption (on Linux: no Secret Service, the basic_text backend)', () => {
    expect(createSafeStorageCipher(new FakeSafeStorage({ available: false }), 'linux')).toBeNull();
  });
});

describe('createDesktopSecretStore', () => {
  it('keeps the Twilio token encrypted on disk, marked "os", and reads it back', () => {
    const store = createDesktopSecretStore(dataDir, new FakeSafeStorage(), {}, 'darwin');
    store.set('TWILIO_AUTH_TOKEN', TOKEN);
    expect(fs.readFileSync(secretsFile(), 'utf8')).not.toContain(TOKEN);
    expect(onDisk().TWILIO_AUTH_TOKEN).toMatchObject({ encryption: 'os' });
    expect(createDesktopSecretStore(dataDir, new FakeSafeStorage(), {}, 'darwin').get('TWILIO_AUTH_TOKEN')).toBe(TOKEN);
    expect(store.description).toMatch(/Keychain/);
    expect(store.readProblem?.('TWILIO_AUTH_TOKEN')).toBeNull();
  });

  it('lets environment variables win, for servers configured without the keychain', () => {
    const store = createDesktopSecretStore(dataDir, new FakeSafeStorage(), { TWILIO_AUTH_TOKEN: 'from-env' }, 'linux');
    store.set('TWILIO_AUTH_TOKEN', TOKEN);
    expect(store.get('TWILIO_AUTH_TOKEN')).toBe('from-env');
  });

  it('stores plainly, marked "plain", in a file only this user can read, and says so, when no keychain answers', () => {
    const store = createDesktopSecretStore(dataDir, new FakeSafeStorage({ available: false }), {}, 'linux');
    store.set('NGROK_AUTHTOKEN', TOKEN);
    expect(onDisk().NGROK_AUTHTOKEN).toEqual({ encryption: 'plain', data: TOKEN });
    expect(store.description).toMatch(/readable only by this user.*GNOME Keyring or KWallet/);
    if (process.platform !== 'win32') expect(fs.statSync(secretsFile()).mode & 0o777).toBe(0o600);
  });
});

describe('secret format transitions', () => {
  it('plain → os: a token saved without a keyring is encrypted the first launch one is there', () => {
    createDesktopSecretStore(dataDir, new FakeSafeStorage({ available: false }), {}, 'linux').set('TWILIO_AUTH_TOKEN', TOKEN);
    const keyring = new FakeSafeStorage();
    const store = createDesktopSecretStore(dataDir, keyring, {}, 'linux');
    expect(store.get('TWILIO_AUTH_TOKEN')).toBe(TOKEN);
    expect(onDisk().TWILIO_AUTH_TOKEN).toMatchObject({ encryption: 'os' });
    expect(fs.readFileSync(secretsFile(), 'utf8')).not.toContain(TOKEN);
    expect(createDesktopSecretStore(dataDir, keyring, {}, 'linux').get('TWILIO_AUTH_TOKEN')).toBe(TOKEN);
  });

  it('os, keyring missing this launch: reported as unreadable, never passed on, kept for a launch where it is back', () => {
    const keyring = new FakeSafeStorage();
    createDesktopSecretStore(dataDir, keyring, {}, 'linux').set('TWILIO_AUTH_TOKEN', TOKEN);
    const before = fs.readFileSync(secretsFile(), 'utf8');
    const store = createDesktopSecretStore(dataDir, new FakeSafeStorage({ available: false }), {}, 'linux');
    expect(store.get('TWILIO_AUTH_TOKEN')).toBeNull();
    expect(store.readProblem?.('TWILIO_AUTH_TOKEN')).toBe(UNREADABLE);
    expect(fs.readFileSync(secretsFile(), 'utf8')).toBe(before);
    expect(createDesktopSecretStore(dataDir, keyring, {}, 'linux').get('TWILIO_AUTH_TOKEN')).toBe(TOKEN);
  });

  it('os, key changed (a Windows profile moved, DPAPI broken): unreadable, not garbage', () => {
    createDesktopSecretStore(dataDir, new FakeSafeStorage({ key: 0x11 }), {}, 'win32').set('TWILIO_AUTH_TOKEN', TOKEN);
    // This key decrypts without an error but yields bytes that are not a token; the store must not hand them on.
    const store = createDesktopSecretStore(dataDir, new FakeSafeStorage({ key: 0x22, checked: false }), {}, 'win32');
    expect(store.get('TWILIO_AUTH_TOKEN')).toBeNull();
    expect(store.readProblem?.('TWILIO_AUTH_TOKEN')).toBe(UNREADABLE);
  });

  it('entering the token again clears the problem', () => {
    createDesktopSecretStore(dataDir, new FakeSafeStorage({ key: 0x11 }), {}, 'win32').set('TWILIO_AUTH_TOKEN', TOKEN);
    const store = createDesktopSecretStore(dataDir, new FakeSafeStorage({ key: 0x22 }), {}, 'win32');
    store.set('TWILIO_AUTH_TOKEN', 'a'.repeat(32));
    expect(store.readProblem?.('TWILIO_AUTH_TOKEN')).toBeNull();
    expect(store.get('TWILIO_AUTH_TOKEN')).toBe('a'.repeat(32));
  });

  it('legacy unmarked ciphertext is read with the keyring and marked "os"', () => {
    const keyring = new FakeSafeStorage();
    fs.writeFileSync(secretsFile(), JSON.stringify({ TWILIO_AUTH_TOKEN: keyring.encryptString(TOKEN).toString('base64') }));
    expect(createDesktopSecretStore(dataDir, keyring, {}, 'darwin').get('TWILIO_AUTH_TOKEN')).toBe(TOKEN);
    expect(onDisk().TWILIO_AUTH_TOKEN).toMatchObject({ encryption: 'os' });
  });

  it('legacy unmarked ciphertext without the keyring is unreadable — never its base64 sent to Twilio as the token', () => {
    fs.writeFileSync(secretsFile(), JSON.stringify({ TWILIO_AUTH_TOKEN: new FakeSafeStorage().encryptString(TOKEN).toString('base64') }));
    const store = createDesktopSecretStore(dataDir, new FakeSafeStorage({ available: false }), {}, 'linux');
    expect(store.get('TWILIO_AUTH_TOKEN')).toBeNull();
    expect(store.readProblem?.('TWILIO_AUTH_TOKEN')).toBe(UNREADABLE);
  });

  it('legacy unmarked plain text (written when no keychain existed) is kept and encrypted once one does', () => {
    fs.writeFileSync(secretsFile(), JSON.stringify({ TWILIO_AUTH_TOKEN: TOKEN, TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` }));
    const store = createDesktopSecretStore(dataDir, new FakeSafeStorage(), {}, 'linux');
    expect(store.get('TWILIO_AUTH_TOKEN')).toBe(TOKEN);
    expect(onDisk().TWILIO_AUTH_TOKEN).toMatchObject({ encryption: 'os' });
    expect(store.get('TWILIO_ACCOUNT_SID')).toBe(`AC${'0'.repeat(32)}`);
    expect(fs.readFileSync(secretsFile(), 'utf8')).not.toContain(TOKEN);
  });

  it('legacy unmarked plain text without a keychain is marked "plain" and read as it is', () => {
    fs.writeFileSync(secretsFile(), JSON.stringify({ NGROK_AUTHTOKEN: '2abcDEF_ghiJKLmnoPQRstuVWXyz0123456789' }));
    const store = createDesktopSecretStore(dataDir, new FakeSafeStorage({ available: false }), {}, 'linux');
    expect(store.get('NGROK_AUTHTOKEN')).toBe('2abcDEF_ghiJKLmnoPQRstuVWXyz0123456789');
    expect(onDisk().NGROK_AUTHTOKEN).toEqual({ encryption: 'plain', data: '2abcDEF_ghiJKLmnoPQRstuVWXyz0123456789' });
  });

  it('keeps a token plain when the keyring encrypts but cannot decrypt (a half set-up keyring would lose it)', () => {
    const broken = new FakeSafeStorage();
    broken.decryptString = () => {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    };
    createDesktopSecretStore(dataDir, broken, {}, 'linux').set('TWILIO_AUTH_TOKEN', TOKEN);
    expect(onDisk().TWILIO_AUTH_TOKEN).toEqual({ encryption: 'plain', data: TOKEN });
  });

  it('an environment variable hides a problem with the stored value (the environment is used instead)', () => {
    createDesktopSecretStore(dataDir, new FakeSafeStorage(), {}, 'linux').set('TWILIO_AUTH_TOKEN', TOKEN);
    const store = createDesktopSecretStore(dataDir, new FakeSafeStorage({ available: false }), { TWILIO_AUTH_TOKEN: 'from-env' }, 'linux');
    expect(store.readProblem?.('TWILIO_AUTH_TOKEN')).toBeNull();
  });
});
