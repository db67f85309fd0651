import type Database from 'better-sqlite3';
import type { Db } from './database';

// Prepared statements kept per connection for the hot paths (every status callback runs several): preparing
// costs about twice what running costs, so a callback that prepares five statements spends most of its
// database time compiling SQL. Keyed by the SQL text; a closed connection's statements go with its WeakMap entry.

const caches = new WeakMap<Db, Map<string, Database.Statement>>();

export function cachedStatement<P extends unknown[] | Record<string, unknown> = unknown[], R = unknown>(db: Db, sql: string): Database.Statement<P, R> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement as unknown as Database.Statement<P, R>;
}
