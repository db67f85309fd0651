// Ordered schema migrations. Each entry moves the database from `user_version` N-1 to N.
// Never edit a migration that has shipped: add a new one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE appointments (
        id INTEGER PRIMARY KEY,
        dedupe_key TEXT NOT NULL UNIQUE,
        external_id TEXT,
        name TEXT NOT NULL,
        phone_number TEXT NOT NULL,
        email TEXT,
        appointment_at TEXT NOT NULL,        -- ISO 8601 with the clinic's offset, as shown to staff
        appointment_utc TEXT NOT NULL,       -- same instant in UTC, for ordering and day filters
        location TEXT,
        confirmation TEXT CHECK (confirmation IN ('confirmed', 'cancelled')),
        source_file TEXT,
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX appointments_by_time ON appointments (appointment_utc);

      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'completed', 'timed_out')),
        simulated INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        finished_at TEXT,
        wait_deadline TEXT
      ) STRICT;

      -- One row per appointment in a batch, written when the batch is created. UNIQUE(batch_id, appointment_id)
      -- is what makes "never call the same appointment twice in a batch" a database fact, not a hope.
      CREATE TABLE call_attempts (
        id INTEGER PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES batches (id),
        appointment_id INTEGER NOT NULL REFERENCES appointments (id),
        position INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'dialing', 'placed', 'rejected', 'skipped')),
        call_sid TEXT UNIQUE,
        status_callback_url TEXT,            -- the exact URL registered with Twilio: signatures are checked against it
        twiml_url TEXT,
        from_number TEXT,
        to_number TEXT,
        dial_started_at TEXT,                -- when we asked Twilio to dial (reconciliation matches the Calls list on it)
        status TEXT,
        is_final INTEGER NOT NULL DEFAULT 0,
        status_source TEXT CHECK (status_source IN ('callback', 'poll', 'reconcile')),
        last_sequence_number INTEGER,
        answered INTEGER NOT NULL DEFAULT 0,
        answered_by TEXT,
        duration_seconds INTEGER,
        error_code TEXT,
        error_message TEXT,
        confirmation TEXT CHECK (confirmation IN ('confirmed', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0, -- how many times calls.create was tried (transient errors are retried)
        created_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT,
        updated_at TEXT NOT NULL,
        UNIQUE (batch_id, appointment_id)
      ) STRICT;
      CREATE INDEX call_attempts_by_batch ON call_attempts (batch_id, position);
      CREATE INDEX call_attempts_by_appointment ON call_attempts (appointment_id);
      -- "calls not yet final": what the poller and the reconciliation sweep scan.
      CREATE INDEX call_attempts_open ON call_attempts (dial_started_at) WHERE is_final = 0 AND state IN ('dialing', 'placed');

      -- Every status as received. Duplicated callbacks hit the unique index and are no-ops.
      CREATE TABLE status_events (
        id INTEGER PRIMARY KEY,
        call_sid TEXT NOT NULL,
        attempt_id INTEGER REFERENCES call_attempts (id),   -- NULL: an orphan (CallSid not known yet)
        source TEXT NOT NULL CHECK (source IN ('callback', 'poll', 'reconcile')),
        sequence_number INTEGER,
        call_status TEXT NOT NULL,
        answered_by TEXT,
        duration_seconds INTEGER,
        error_code TEXT,
        twilio_timestamp TEXT,
        received_at TEXT NOT NULL,
        params TEXT NOT NULL                                 -- JSON of the raw parameters
      ) STRICT;
      CREATE UNIQUE INDEX status_events_sequenced ON status_events (call_sid, source, sequence_number) WHERE sequence_number IS NOT NULL;
      CREATE UNIQUE INDEX status_events_snapshots ON status_events (call_sid, source, call_status) WHERE sequence_number IS NULL;
      CREATE INDEX status_events_by_attempt ON status_events (attempt_id);
      CREATE INDEX status_events_orphans ON status_events (call_sid) WHERE attempt_id IS NULL;

      -- The callback inspector: every request that reached the public listener.
      CREATE TABLE callback_requests (
        id INTEGER PRIMARY KEY,
        received_at TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        query TEXT NOT NULL DEFAULT '',
        headers TEXT NOT NULL,               -- JSON, signature and auth headers removed
        body TEXT NOT NULL,
        call_sid TEXT,
        signature_verdict TEXT NOT NULL CHECK (signature_verdict IN ('valid', 'invalid', 'missing', 'not-checked')),
        rejection_reason TEXT,
        response_status INTEGER NOT NULL,
        latency_ms REAL NOT NULL
      ) STRICT;
      CREATE INDEX callback_requests_by_time ON callback_requests (received_at);
      CREATE INDEX callback_requests_by_call ON callback_requests (call_sid);

      -- Every public base URL calls were registered with, so late callbacks to an old URL still validate.
      CREATE TABLE public_urls (
        url TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('tunnel', 'own-url', 'simulator')),
        first_used_at TEXT NOT NULL,
        last_used_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE app_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'status events keep the call resource times in their own columns',
    sql: `
      ALTER TABLE status_events ADD COLUMN started_at TEXT;
      ALTER TABLE status_events ADD COLUMN ended_at TEXT;
      -- Version 1 kept them inside Twilio's raw parameters under internal keys; move them out.
      UPDATE status_events
        SET started_at = json_extract(params, '$.__startedAt'),
            ended_at = json_extract(params, '$.__endedAt'),
            params = json_remove(params, '$.__startedAt', '$.__endedAt')
        WHERE json_extract(params, '$.__startedAt') IS NOT NULL OR json_extract(params, '$.__endedAt') IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'callback inspector size budget',
    // The inspector keeps a size budget (oldest out first): each row records the bytes it stores, and how big the
    // body was when only an excerpt of it is kept.
    sql: `
      ALTER TABLE callback_requests ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE callback_requests ADD COLUMN body_bytes INTEGER;
      UPDATE callback_requests SET stored_bytes =
        length(CAST(headers AS BLOB)) + length(CAST(body AS BLOB)) + length(CAST(path AS BLOB)) + length(CAST(query AS BLOB))
        + coalesce(length(CAST(rejection_reason AS BLOB)), 0) + 64;
    `,
  },
  {
    version: 4,
    name: 'retries, keypad answers, do-not-call list, reminder slots, language and time zone per appointment',
    // Table rebuilds (SQLite cannot change a CHECK or UNIQUE in place). migrate() runs with foreign keys off and
    // checks them before committing, so rebuilding a parent table keeps every child row valid.
    sql: `
      CREATE TABLE appointments_v2 (
        id INTEGER PRIMARY KEY,
        dedupe_key TEXT NOT NULL UNIQUE,
        external_id TEXT,
        name TEXT NOT NULL,
        phone_number TEXT NOT NULL,
        email TEXT,
        appointment_at TEXT NOT NULL,
        appointment_utc TEXT NOT NULL,
        location TEXT,
        confirmation TEXT CHECK (confirmation IN ('confirmed', 'cancelled', 'opted_out')),
        confirmed_at TEXT,                   -- when the patient's keypad answer was received
        language TEXT,                       -- optional file column: which message.templates entry is spoken
        timezone TEXT,                       -- optional file column: the patient's IANA zone (else scheduling.timezone)
        source_file TEXT,
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO appointments_v2 (id, dedupe_key, external_id, name, phone_number, email, appointment_at, appointment_utc,
          location, confirmation, confirmed_at, source_file, imported_at, updated_at)
        SELECT id, dedupe_key, external_id, name, phone_number, email, appointment_at, appointment_utc,
          location, confirmation, CASE WHEN confirmation IS NULL THEN NULL ELSE updated_at END, source_file, imported_at, updated_at
        FROM appointments;
      DROP TABLE appointments;
      ALTER TABLE appointments_v2 RENAME TO appointments;
      CREATE INDEX appointments_by_time ON appointments (appointment_utc);

      -- A reminder may now take several calls: attempt_number 1 is the first call, 2.. are retries of patients
      -- not reached. UNIQUE(batch_id, appointment_id, attempt_number) still makes a double dial impossible.
      CREATE TABLE call_attempts_v2 (
        id INTEGER PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES batches (id),
        appointment_id INTEGER NOT NULL REFERENCES appointments (id),
        position INTEGER NOT NULL,
        attempt_number INTEGER NOT NULL DEFAULT 1 CHECK (attempt_number >= 1),
        retry_at TEXT,                       -- a retry is not dialled before this instant (survives a restart)
        state TEXT NOT NULL CHECK (state IN ('pending', 'dialing', 'placed', 'rejected', 'skipped')),
        call_sid TEXT UNIQUE,
        status_callback_url TEXT,
        twiml_url TEXT,
        from_number TEXT,
        to_number TEXT,
        dial_started_at TEXT,
        status TEXT,
        is_final INTEGER NOT NULL DEFAULT 0,
        status_source TEXT CHECK (status_source IN ('callback', 'poll', 'reconcile')),
        last_sequence_number INTEGER,
        answered INTEGER NOT NULL DEFAULT 0,
        answered_by TEXT,
        duration_seconds INTEGER,
        error_code TEXT,
        error_message TEXT,
        confirmation TEXT CHECK (confirmation IN ('confirmed', 'cancelled', 'opted_out')),
        confirmed_at TEXT,
        keypad_reprompts INTEGER NOT NULL DEFAULT 0, -- missing/invalid keys asked again (one, then goodbye)
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT,
        updated_at TEXT NOT NULL,
        UNIQUE (batch_id, appointment_id, attempt_number)
      ) STRICT;
      INSERT INTO call_attempts_v2 (id, batch_id, appointment_id, position, attempt_number, state, call_sid, status_callback_url,
          twiml_url, from_number, to_number, dial_started_at, status, is_final, status_source, last_sequence_number, answered,
          answered_by, duration_seconds, error_code, error_message, confirmation, confirmed_at, attempts, created_at, started_at,
          ended_at, updated_at)
        SELECT id, batch_id, appointment_id, position, 1, state, call_sid, status_callback_url,
          twiml_url, from_number, to_number, dial_started_at, status, is_final, status_source, last_sequence_number, answered,
          answered_by, duration_seconds, error_code, error_message, confirmation, CASE WHEN confirmation IS NULL THEN NULL ELSE updated_at END,
          attempts, created_at, started_at, ended_at, updated_at
        FROM call_attempts;
      DROP TABLE call_attempts;
      ALTER TABLE call_attempts_v2 RENAME TO call_attempts;
      CREATE INDEX call_attempts_by_batch ON call_attempts (batch_id, position, attempt_number);
      CREATE INDEX call_attempts_by_appointment ON call_attempts (appointment_id);
      CREATE INDEX call_attempts_open ON call_attempts (dial_started_at) WHERE is_final = 0 AND state IN ('dialing', 'placed');

      -- Numbers never to be called again (pressed 9, or added by staff). E.164.
      CREATE TABLE do_not_call (
        phone_number TEXT PRIMARY KEY,
        reason TEXT,
        source TEXT NOT NULL CHECK (source IN ('keypad', 'staff', 'import')),
        added_at TEXT NOT NULL
      ) STRICT;

      -- Which reminder (hours before) of which appointment the scheduler has put into a batch: a restart or a
      -- wake from sleep never queues the same reminder twice.
      CREATE TABLE reminder_slots (
        appointment_id INTEGER NOT NULL REFERENCES appointments (id),
        hours_before REAL NOT NULL,
        due_utc TEXT NOT NULL,
        batch_id TEXT REFERENCES batches (id),
        done_at TEXT NOT NULL,
        PRIMARY KEY (appointment_id, hours_before)
      ) STRICT;
    `,
  },
];
