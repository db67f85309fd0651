import fs from 'node:fs';
import path from 'node:path';
import { readStoredSecret, sealSecret, unreadableSecretMessage, type SecretName, type SecretReading, type StoredSecret, type ValueCipher } from './secret-format';

export { SECRET_NAMES, type SecretName } from './secret-format';

export interface SecretStore {
  get(name: SecretName): string | null;
  set(name: SecretName, value: string): void;
  delete(name: SecretName): void;
  /** Where values are kept, for the UI ("OS keychain", "file readable only by you"). */
  readonly description: string;
  /**
   * Why a stored value cannot be used, in words for staff (`get` then answers null), or null. Optional: stores
   * that cannot fail to read (memory, environment) leave it out.
   */
  readProblem?(name: SecretName): string | null;
}

/** Encrypts values at rest. Electron passes one backed by `safeStorage` (the OS keychain). */
export interface SecretCipher extends ValueCipher {
  readonly description: string;
}

/**
 * Secrets kept in `<dataDir>/secrets.json` (mode 0600), each marked with how it was written (secret-format.ts):
 * encrypted with the cipher when one is available on this launch, else plain. Plain and legacy unmarked values
 * are rewritten encrypted the first time they are read with a working keychain. Never settings.yaml: that file
 * is meant to be shared and committed.
 */
export class FileSecretStore implements SecretStore {
  private readonly file: string;
  readonly description: string;

  constructor(
    dataDir: string,
    private readonly cipher: SecretCipher | null = null,
    opts: { plainDescription?: string } = {},
  ) {
    this.file = path.join(dataDir, 'secrets.json');
    this.description = cipher ? cipher.description : (opts.plainDescription ?? 'a file in the data folder readable only by this user');
  }

  private readRaw(): Record<string, unknown> {
    if (!fs.existsSync(this.file)) return {};
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  private write(values: Record<string, unknown>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(values, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  /** Reads one value, upgrading how it is stored when this launch can do better (plain → os, unmarked → marked). */
  private reading(name: SecretName): SecretReading {
    const values = this.readRaw();
    const reading = readStoredSecret(values[name], this.cipher);
    if (reading.rewrite) {
      values[name] = reading.rewrite;
      try {
        this.write(values);
      } catch {
        // The value is still usable this time; the upgrade is tried again on the next read.
      }
    }
    return reading;
  }

  get(name: SecretName): string | null {
    return this.reading(name).value;
  }

  readProblem(name: SecretName): string | null {
    return this.reading(name).unreadable ? unreadableSecretMessage(name) : null;
  }

  set(name: SecretName, value: string): void {
    const values = this.readRaw();
    const stored: StoredSecret = sealSecret(value, this.cipher);
    values[name] = stored;
    this.write(values);
  }

  delete(name: SecretName): void {
    const values = this.readRaw();
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

  readProblem(name: SecretName): string | null {
    // A value from the environment is used instead: what the file holds does not matter then.
    return this.env[name]?.trim() ? null : (this.store.readProblem?.(name) ?? null);
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
