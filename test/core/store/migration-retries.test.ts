import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../../src-main/core/store/database';
import { MIGRATIONS } from '../../../src-main/core/store/migrations';
import { getCallAttempt, listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import { getAppointment } from '../../../src-main/core/store/appointments';

// The retries migration rebuilds call_attempts and appointments (new UNIQUE and CHECK): rows written by the
// previous schema, and the status events pointing at them, must come through unchanged.

const RETRIES = MIGRATIONS.findIndex((m) => m.name.startsWith('retries, keypad answers'));

describe('migration: retries, keypad answers, do-not-call, reminder slots', () => {
  it('keeps every appointment, attempt and event of the previous schema valid', () => {
    const db = openDatabase(':memory:', { migrations: MIGRATIONS.slice(0, RETRIES) });
    db.exec(`
      INSERT INTO appointments (id, dedupe_key, name, phone_number, appointment_at, appointment_utc, confirmation, imported_at, updated_at)
        VALUES (1, 'k1', 'Ann', '+12125550100', '2030-01-15T10:00:00-05:00', '2030-01-15T15:00:00.000Z', 'confirmed', '2030-01-01', '2030-01-02');
      INSERT INTO batches (id, state, created_at) VALUES ('b1', 'completed', '2030-01-14');
      INSERT INTO call_attempts (id, batch_id, appointment_id, position, state, call_sid, status, is_final, answered, confirmation, attempts, created_at, updated_at)
        VALUES (7, 'b1', 1, 0, 'placed', 'CA1', 'completed', 1, 1, 'confirmed', 1, '2030-01-14', '2030-01-14T15:01:00Z');
      INSERT INTO status_events (call_sid, attempt_id, source, sequence_number, call_status, received_at, params)
        VALUES ('CA1', 7, 'callback', 3, 'completed', '2030-01-14', '{}');
    `);
    migrate(db, MIGRATIONS);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(getCallAttempt(db, 7)).toMatchObject({ attemptNumber: 1, retryAt: null, callSid: 'CA1', confirmation: 'confirmed', confirmedAt: '2030-01-14T15:01:00Z', keypadReprompts: 0 });
    expect(getAppointment(db, 1)).toMatchObject({ confirmation: 'confirmed', confirmedAt: '2030-01-02', language: null, timezone: null });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // The new rule: a second call of the same reminder is a new attempt number, the same one twice is refused.
    db.prepare(`INSERT INTO call_attempts (batch_id, appointment_id, position, attempt_number, state, created_at, updated_at) VALUES ('b1', 1, 0, 2, 'pending', 'x', 'x')`).run();
    expect(() => db.prepare(`INSERT INTO call_attempts (batch_id, appointment_id, position, attempt_number, state, created_at, updated_at) VALUES ('b1', 1, 0, 2, 'pending', 'x', 'x')`).run()).toThrow(/UNIQUE/);
    expect(listBatchAttempts(db, 'b1').map((a) => a.attemptNumber)).toEqual([1, 2]);
    db.prepare("UPDATE appointments SET confirmation = 'opted_out' WHERE id = 1").run();
    expect(() => db.prepare("UPDATE appointments SET confirmation = 'maybe' WHERE id = 1").run()).toThrow(/CHECK/);
    db.close();
  });
});
