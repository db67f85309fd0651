import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachedStatement } from '../../../src-main/core/store/statement-cache';

describe('cachedStatement', () => {
  it('prepares each SQL text once per connection and keeps connections apart', () => {
    const a = new Database(':memory:');
    const b = new Database(':memory:');
    for (const db of [a, b]) db.exec('CREATE TABLE t (v INTEGER)');
    const first = cachedStatement(a, 'INSERT INTO t (v) VALUES (?)');
    expect(cachedStatement(a, 'INSERT INTO t (v) VALUES (?)')).toBe(first);
    expect(cachedStatement(b, 'INSERT INTO t (v) VALUES (?)')).not.toBe(first);
    first.run(1);
    cachedStatement(b, 'INSERT INTO t (v) VALUES (?)').run(2);
    expect(cachedStatement<[], { v: number }>(a, 'SELECT v FROM t').all()).toEqual([{ v: 1 }]);
    expect(cachedStatement<[], { v: number }>(b, 'SELECT v FROM t').all()).toEqual([{ v: 2 }]);
    a.close();
    b.close();
  });
});
