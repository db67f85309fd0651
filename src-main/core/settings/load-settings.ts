import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { SECRET_KEYS_IN_YAML, settingsSchema, type Settings, type SettingsInput } from './schema';

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(
    message: string,
    readonly file: string | null,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}

export interface LoadedSettings {
  settings: Settings;
  /** The file the settings came from, or where they will be saved when none exists yet. */
  file: string;
  exists: boolean;
  /** Human-readable notes: unknown keys, secrets found in the file and ignored. */
  warnings: string[];
}

/** Where the desktop app keeps its data on each platform (same place Electron's userData points to). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.REMINDER_DESK_DATA_DIR) return path.resolve(env.REMINDER_DESK_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Reminder Desk');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Reminder Desk');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Reminder Desk');
}

/**
 * `--config PATH` wins; else `./config/settings.yaml` when it exists (the predecessor's layout);
 * else `settings.yaml` in the data dir.
 */
export function resolveSettingsFile(opts: { config?: string | undefined; dataDir: string; cwd?: string }): string {
  if (opts.config) return path.resolve(opts.cwd ?? process.cwd(), opts.config);
  const local = path.resolve(opts.cwd ?? process.cwd(), 'config', 'settings.yaml');
  if (fs.existsSync(local)) return local;
  return path.join(opts.dataDir, 'settings.yaml');
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const key = issue.path.map(String).join('.') || '(top level)';
    return `${key}: ${issue.message}`;
  });
}

export function parseSettings(input: unknown, file: string | null = null): Settings {
  const result = settingsSchema.safeParse(input ?? {});
  if (!result.success) {
    const issues = formatIssues(result.error);
    throw new SettingsError(`Invalid settings${file ? ` in ${file}` : ''}: ${issues.join('; ')}`, file, issues);
  }
  return result.data;
}

function getPath(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), obj);
}

export function loadSettings(file: string): LoadedSettings {
  const warnings: string[] = [];
  if (!fs.existsSync(file)) return { settings: parseSettings({}), file, exists: false, warnings };
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const detail = error instanceof YAML.YAMLError ? error.message : String(error);
    throw new SettingsError(`${file} is not valid YAML: ${detail}`, file);
  }
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new SettingsError(`${file} must be a YAML mapping of sections (scheduling:, calling:, ...)`, file);
  }
  for (const key of SECRET_KEYS_IN_YAML) {
    if (getPath(raw, key) !== undefined) {
      warnings.push(`${key} in ${path.basename(file)} is ignored: secrets belong in the environment or the app's secret store, not in settings.yaml`);
    }
  }
  return { settings: parseSettings(raw, file), file, exists: true, warnings };
}

/**
 * Writes changed keys back into settings.yaml, keeping the file's comments and the keys we do not know.
 * Secrets are refused: they never go into this file.
 */
export function saveSettings(file: string, patch: SettingsInput): Settings {
  for (const key of SECRET_KEYS_IN_YAML) {
    if (getPath(patch, key) !== undefined) throw new SettingsError(`${key} is a secret and is never written to settings.yaml`, file);
  }
  const doc = fs.existsSync(file) ? YAML.parseDocument(fs.readFileSync(file, 'utf8')) : new YAML.Document({});
  const apply = (prefix: string[], value: unknown): void => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) apply([...prefix, key], inner);
    } else {
      doc.setIn(prefix, value);
    }
  };
  apply([], patch);
  const next = parseSettings(doc.toJSON(), file);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, doc.toString(), { encoding: 'utf8', mode: 0o600 });
  fs.renameSync(tmp, file);
  return next;
}
