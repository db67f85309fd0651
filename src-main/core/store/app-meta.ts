import type { Db } from './database';
import { cachedStatement } from './statement-cache';

// Small key/value facts about this installation: counters, first-run state, public URLs used.

export function getMeta(db: Db, key: string): string | null {
  return db.prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?').get(key)?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteMeta(db: Db, key: string): void {
  db.prepare('DELETE FROM app_meta WHERE key = ?').run(key);
}

/** Atomically adds to a counter (e.g. rejected signatures) and returns the new value. */
export function incrementCounter(db: Db, key: string, by = 1): number {
  const row = db
    .prepare<[string, string], { value: string }>(
      `INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER) RETURNING value`,
    )
    .get(key, String(by));
  return Number(row!.value);
}

export function getCounter(db: Db, key: string): number {
  return Number(getMeta(db, key) ?? 0);
}

export type PublicUrlKind = 'tunnel' | 'own-url' | 'simulator';

/** Remembers a public base URL calls were registered with. */
export function rememberPublicUrl(db: Db, url: string, kind: PublicUrlKind, now: string): void {
  db.prepare(
    `INSERT INTO public_urls (url, kind, first_used_at, last_used_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (url) DO UPDATE SET last_used_at = excluded.last_used_at`,
  ).run(url, kind, now, now);
}

export function listPublicUrls(db: Db): { url: string; kind: PublicUrlKind; lastUsedAt: string }[] {
  return cachedStatement<[], { url: string; kind: PublicUrlKind; last_used_at: string }>(db, 'SELECT url, kind, last_used_at FROM public_urls ORDER BY last_used_at DESC')
    .all()
    .map((r) => ({ url: r.url, kind: r.kind, lastUsedAt: r.last_used_at }));
}
