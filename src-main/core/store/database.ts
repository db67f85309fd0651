import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';
import { ensurePrivateDir, ensurePrivateFile } from './private-files';

export type Db = Database.Database;

export class DatabaseTooNewError extends Error {
  override readonly name = 'DatabaseTooNewError';
}

export interface OpenDatabaseOptions {
  /** Path of a better-sqlite3 addon built for the running runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string | undefined;
  migrations?: readonly Migration[];
}

/** The data file inside a data dir. */
export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'reminder-desk.sqlite');
}

/**
 * Opens (creating if needed) the database with the pragmas every connection needs, and migrates it.
 * `synchronous = FULL` in WAL mode: a callback is acknowledged to Twilio only after its commit, and an
 * acknowledged callback must survive a power cut, so we pay the extra fsync per commit.
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Db {
  if (file !== ':memory:') {
    ensurePrivateDir(path.dirname(file));
    ensurePrivateFile(file); // SQLite gives the -wal and -shm files this file's mode
  }
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, opts.migrations ?? MIGRATIONS);
  return db;
}

export function closeDatabase(db: Db): void {
  if (!db.open) return;
  db.pragma('optimize');
  db.close();
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every pending migration in one transaction; refuses a database written by a newer app. */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  migrations.forEach((m, index) => {
    if (m.version !== index + 1) throw new Error(`Migration list is out of order at "${m.name}" (version ${m.version})`);
  });
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) {
    throw new DatabaseTooNewError(
      `This data file was written by a newer Reminder Desk (schema ${current}, this app knows ${latest}). Update the app; the data is untouched.`,
    );
  }
  if (current === latest) return;
  // Foreign keys off while migrating (SQLite's documented way to rebuild a table that others reference; the
  // pragma is a no-op inside a transaction), then checked before the commit: a broken reference rolls it all back.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of migrations.slice(current)) db.exec(m.sql);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`Migration left ${broken.length} broken references; nothing was changed`);
      db.pragma(`user_version = ${latest}`);
    })();
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}

export function nowIso(clock: () => number = Date.now): string {
  return new Date(clock()).toISOString();
}
