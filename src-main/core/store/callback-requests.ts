import type { Db } from './database';
import { cachedStatement } from './statement-cache';

// The callback inspector: every request that reached the public listener, kept for `callbacks.retention_days`.
// Headers arrive here already stripped of secrets (X-Twilio-Signature, Authorization, Cookie).

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
  };
}

/** The newest inspector row's id (0 when none): where `callbacks --tail` starts. */
export function lastCallbackRequestId(db: Db): number {
  return db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM callback_requests').get()?.id ?? 0;
}

export function insertCallbackRequest(db: Db, request: CallbackRequestInput): number {
  const result = cachedStatement(
    db,
    `INSERT INTO callback_requests (received_at, method, path, query, headers, body, call_sid, signature_verdict, rejection_reason, response_status, latency_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      request.receivedAt,
      request.method,
      request.path,
      request.query,
      JSON.stringify(request.headers),
      request.params === null ? '' : JSON.stringify(request.params),
      request.callSid,
      request.signatureVerdict,
      request.rejectionReason,
      request.responseStatus,
      request.latencyMs,
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
