import type { Db } from './database';
import { cachedStatement } from './statement-cache';

// The callback inspector: every request that reached the public listener, kept for `callbacks.retention_days`
// and within a size budget (oldest out first). Headers arrive here already stripped of secrets (X-Twilio-Signature,
// Authorization, Cookie); requests that failed the signature arrive with a capped excerpt of their body only.

export type SignatureVerdict = 'valid' | 'invalid' | 'missing' | 'not-checked';

export interface CallbackRequestInput {
  receivedAt: string;
  method: string;
  path: string;
  /** The raw query string without the leading `?` ('' when none). */
  query: string;
  headers: Record<string, string>;
  /** The form parameters, or null when no form body was read (404, 405, 413, 415, 503, GET). */
  params: Record<string, string> | null;
  callSid: string | null;
  signatureVerdict: SignatureVerdict;
  rejectionReason: string | null;
  responseStatus: number;
  latencyMs: number;
  /** Size of the body as received, when only an excerpt of it is stored in `params`. */
  bodyBytes?: number | null;
}

export interface CallbackRequest extends CallbackRequestInput {
  id: number;
}

interface CallbackRequestRow {
  id: number;
  received_at: string;
  method: string;
  path: string;
  query: string;
  headers: string;
  body: string;
  call_sid: string | null;
  signature_verdict: SignatureVerdict;
  rejection_reason: string | null;
  response_status: number;
  latency_ms: number;
  body_bytes: number | null;
}

function rowToCallbackRequest(row: CallbackRequestRow): CallbackRequest {
  return {
    id: row.id,
    receivedAt: row.received_at,
    method: row.method,
    path: row.path,
    query: row.query,
    headers: JSON.parse(row.headers) as Record<string, string>,
    params: row.body === '' ? null : (JSON.parse(row.body) as Record<string, string>),
    callSid: row.call_sid,
    signatureVerdict: row.signature_verdict,
    rejectionReason: row.rejection_reason,
    responseStatus: row.response_status,
    latencyMs: row.latency_ms,
    // Only rows that keep an excerpt know a body size of their own (valid rows keep the whole body).
    ...(row.body_bytes === null ? {} : { bodyBytes: row.body_bytes }),
  };
}

/** Fixed cost of a row besides its text (ids, numbers, index entries), so a flood of tiny rows still counts. */
const ROW_OVERHEAD_BYTES = 64;

function serialize(request: CallbackRequestInput): { headers: string; body: string; storedBytes: number } {
  const headers = JSON.stringify(request.headers);
  const body = request.params === null ? '' : JSON.stringify(request.params);
  const storedBytes =
    ROW_OVERHEAD_BYTES +
    Buffer.byteLength(headers) +
    Buffer.byteLength(body) +
    Buffer.byteLength(request.path) +
    Buffer.byteLength(request.query) +
    Buffer.byteLength(request.rejectionReason ?? '');
  return { headers, body, storedBytes };
}

/** The bytes a request counts against the inspector's budget once stored. */
export function storedBytesOf(request: CallbackRequestInput): number {
  return serialize(request).storedBytes;
}

/** The newest inspector row's id (0 when none): where `callbacks --tail` starts. */
export function lastCallbackRequestId(db: Db): number {
  return db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM callback_requests').get()?.id ?? 0;
}

export function insertCallbackRequest(db: Db, request: CallbackRequestInput): number {
  const { headers, body, storedBytes } = serialize(request);
  const result = cachedStatement(
    db,
    `INSERT INTO callback_requests (received_at, method, path, query, headers, body, call_sid, signature_verdict, rejection_reason, response_status, latency_ms, stored_bytes, body_bytes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      request.receivedAt,
      request.method,
      request.path,
      request.query,
      headers,
      body,
      request.callSid,
      request.signatureVerdict,
      request.rejectionReason,
      request.responseStatus,
      request.latencyMs,
      storedBytes,
      request.bodyBytes ?? null,
    );
  return Number(result.lastInsertRowid);
}

export interface ListCallbackRequestsOptions {
  limit: number;
  callSid?: string | undefined;
  /** Only requests stored after this id (for `--tail`: pass the last id seen). */
  afterId?: number | undefined;
}

/**
 * Requests in the order they arrived (oldest first). Without `afterId` these are the most recent `limit`
 * requests; with it, the first `limit` requests after that id, so a tail can page forward without gaps.
 */
export function listCallbackRequests(db: Db, opts: ListCallbackRequestsOptions): CallbackRequest[] {
  const limit = Math.max(0, Math.floor(opts.limit));
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (opts.callSid !== undefined) {
    where.push('call_sid = ?');
    args.push(opts.callSid);
  }
  if (opts.afterId !== undefined) {
    where.push('id > ?');
    args.push(opts.afterId);
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const sql =
    opts.afterId !== undefined
      ? `SELECT * FROM callback_requests ${filter} ORDER BY id LIMIT ?`
      : `SELECT * FROM (SELECT * FROM callback_requests ${filter} ORDER BY id DESC LIMIT ?) ORDER BY id`;
  return db
    .prepare<(string | number)[], CallbackRequestRow>(sql)
    .all(...args, limit)
    .map(rowToCallbackRequest);
}

export function getCallbackRequest(db: Db, id: number): CallbackRequest | null {
  const row = db.prepare<[number], CallbackRequestRow>('SELECT * FROM callback_requests WHERE id = ?').get(id);
  return row ? rowToCallbackRequest(row) : null;
}

/** Deletes requests received before `olderThanIso`; returns how many went. Uses the index callback_requests_by_time. */
export function pruneCallbackRequests(db: Db, olderThanIso: string): number {
  return db.prepare('DELETE FROM callback_requests WHERE received_at < ?').run(olderThanIso).changes;
}

/** When the last status callback was stored (204: self-tests answer 200), for the connection panel after a restart. */
export function lastValidStatusCallbackAt(db: Db): string | null {
  return (
    db
      .prepare<[], { at: string | null }>(
        `SELECT MAX(received_at) AS at FROM callback_requests WHERE path = '/status' AND signature_verdict = 'valid' AND response_status = 204`,
      )
      .get()?.at ?? null
  );
}

/** Bytes the inspector's rows count against its budget. */
export function callbackRequestsBytes(db: Db): number {
  return db.prepare<[], { total: number }>('SELECT COALESCE(SUM(stored_bytes), 0) AS total FROM callback_requests').get()!.total;
}

/**
 * Deletes the oldest rows until the inspector holds at most `maxBytes`; rows whose signature was not valid go
 * first (a flood of forged requests must not erase the record of Twilio's real callbacks), then the oldest of
 * any kind. Returns how many rows went.
 */
export function trimCallbackRequests(db: Db, maxBytes: number): number {
  const trim = db.prepare<[number], unknown>(
    `DELETE FROM callback_requests WHERE id IN (
       SELECT id FROM (
         SELECT id, stored_bytes, SUM(stored_bytes) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS running
         FROM callback_requests WHERE signature_verdict <> 'valid'
       ) WHERE running - stored_bytes < ?)`,
  );
  const trimAny = db.prepare<[number], unknown>(
    `DELETE FROM callback_requests WHERE id IN (
       SELECT id FROM (
         SELECT id, stored_bytes, SUM(stored_bytes) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS running
         FROM callback_requests
       ) WHERE running - stored_bytes < ?)`,
  );
  return db.transaction(() => {
    let excess = callbackRequestsBytes(db) - maxBytes;
    if (excess <= 0) return 0;
    let deleted = trim.run(excess).changes;
    excess = callbackRequestsBytes(db) - maxBytes;
    if (excess > 0) deleted += trimAny.run(excess).changes;
    return deleted;
  })();
}
