import fs from 'node:fs';
import path from 'node:path';

export const SECRET_NAMES = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER', 'NGROK_AUTHTOKEN'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export interface SecretStore {
  get(name: SecretName): string | null;
  set(name: SecretName, value: string): void;
  delete(name: SecretName): void;
  /** Where values are kept, for the UI ("OS keychain", "file readable only by you"). */
  readonly description: string;
}

/** Encrypts values at rest. Electron passes one backed by `safeStorage` (the OS keychain). */
export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
  readonly description: string;
}

/**
 * Secrets kept in `<dataDir>/secrets.json` (mode 0600), encrypted with the cipher when one is given.
 * Never settings.yaml: that file is meant to be shared and committed.
 */
export class FileSecretStore implements SecretStore {
  private readonly file: string;
  readonly description: string;

  constructor(
    dataDir: string,
    private readonly cipher: SecretCipher | null = null,
  ) {
    this.file = path.join(dataDir, 'secrets.json');
    this.description = cipher ? cipher.description : 'a file in the data folder readable only by this user';
  }

  private read(): Partial<Record<SecretName, string>> {
    if (!fs.existsSync(this.file)) return {};
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<Record<SecretName, string>>;
    } catch {
      return {};
    }
  }

  private write(values: Partial<Record<SecretName, string>>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(values, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  get(name: SecretName): string | null {
    const stored = this.read()[name];
    if (!stored) return null;
    if (!this.cipher) return stored;
    try {
      return this.cipher.decrypt(Buffer.from(stored, 'base64'));
    } catch {
      return null;
    }
  }

  set(name: SecretName, value: string): void {
    const values = this.read();
    values[name] = this.cipher ? this.cipher.encrypt(value).toString('base64') : value;
    this.write(values);
  }

  delete(name: SecretName): void {
    const values = this.read();
    delete values[name];
    this.write(values);
  }
}

/** Environment variables win over the store, so servers and CI configure the app without touching disk. */
export class EnvFirstSecrets implements SecretStore {
  constructor(
    private readonly store: SecretStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get description(): string {
    return this.store.description;
  }

  get(name: SecretName): string | null {
    const fromEnv = this.env[name]?.trim();
    return fromEnv ? fromEnv : this.store.get(name);
  }

  set(name: SecretName, value: string): void {
    this.store.set(name, value);
  }

  delete(name: SecretName): void {
    this.store.delete(name);
  }
}

/** For tests and the simulator: secrets held in memory only. */
export class MemorySecretStore implements SecretStore {
  readonly description = 'memory';
  private readonly values = new Map<SecretName, string>();
  constructor(initial: Partial<Record<SecretName, string>> = {}) {
    for (const [key, value] of Object.entries(initial)) if (value) this.values.set(key as SecretName, value);
  }
  get(name: SecretName): string | null {
    return this.values.get(name) ?? null;
  }
  set(name: SecretName, value: string): void {
    this.values.set(name, value);
  }
  delete(name: SecretName): void {
    this.values.delete(name);
  }
}
