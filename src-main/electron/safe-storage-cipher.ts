import { EnvFirstSecrets, FileSecretStore, type SecretCipher, type SecretStore } from '../core/settings/secrets';

// Twilio and ngrok tokens are encrypted with Electron's safeStorage: a key kept in the macOS Keychain,
// Windows DPAPI (bound to the Windows user) or the Linux Secret Service (GNOME Keyring / KWallet).

/** The parts of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

const KEYCHAIN_BY_PLATFORM: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'the macOS Keychain',
  win32: 'Windows data protection for your user account',
  linux: 'the system keyring',
};

/**
 * A SecretCipher backed by safeStorage, or null when the OS offers no encryption at all (the secrets file then
 * stays readable only by this user, which FileSecretStore says in its description).
 *
 * On Linux without a keyring Electron falls back to 'basic_text': a hard-coded key, i.e. obfuscation only. We still
 * use it (better than plain text against casual reading) but say plainly in the description what it is, so the
 * setup screen does not promise protection it does not give.
 */
export function createSafeStorageCipher(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretCipher | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  const description =
    backend === 'basic_text'
      ? 'a file in the data folder, only scrambled: no system keyring was found (install GNOME Keyring or KWallet for real encryption)'
      : `encrypted with ${KEYCHAIN_BY_PLATFORM[platform] ?? 'the operating system keychain'}`;
  return {
    description,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}

/** The store the Electron app hands the engine: environment variables first, then the encrypted file. */
export function createDesktopSecretStore(dataDir: string, safeStorage: SafeStorageLike, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): SecretStore {
  return new EnvFirstSecrets(new FileSecretStore(dataDir, createSafeStorageCipher(safeStorage, platform)), env);
}
