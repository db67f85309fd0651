import { EnvFirstSecrets, FileSecretStore, type SecretCipher, type SecretStore } from '../core/settings/secrets';

// Twilio and ngrok tokens are encrypted with Electron's safeStorage: a key kept in the macOS Keychain,
// Windows DPAPI (bound to the Windows user) or the Linux Secret Service (GNOME Keyring / KWallet).

/** The parts of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const KEYCHAIN_BY_PLATFORM: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'the macOS Keychain',
  win32: 'Windows data protection for your user account',
  linux: 'the system keyring',
};

/**
 * A SecretCipher backed by safeStorage, or null when the OS offers no encryption on this launch (values are then
 * stored marked "plain" in a file readable only by this user, and encrypted once a keychain is available).
 *
 * On Linux without a Secret Service (GNOME Keyring / KWallet) Electron's backend is 'basic_text', and
 * isEncryptionAvailable() answers false unless plain-text encryption is switched on (we never do: a hard-coded
 * key would only pretend to protect the token). So a cipher here always means real OS protection.
 */
export function createSafeStorageCipher(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretCipher | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  return {
    description: `encrypted with ${KEYCHAIN_BY_PLATFORM[platform] ?? 'the operating system keychain'}`,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}

/** Where secrets are when no keychain answers, said so the setup screen promises no more than it gives. */
export function plainStorageDescription(platform: NodeJS.Platform): string {
  const base = 'a file in the data folder readable only by this user';
  return platform === 'linux' ? `${base} (no system keyring was found: install GNOME Keyring or KWallet to encrypt it)` : base;
}

/** The store the Electron app hands the engine: environment variables first, then the secrets file. */
export function createDesktopSecretStore(dataDir: string, safeStorage: SafeStorageLike, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): SecretStore {
  return new EnvFirstSecrets(new FileSecretStore(dataDir, createSafeStorageCipher(safeStorage, platform), { plainDescription: plainStorageDescription(platform) }), env);
}
