import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../logging/logger';
import { getCounter, getMeta } from '../store/app-meta';
import { getCallAttempt, getCallAttemptBySid } from '../store/call-attempts';
import { lastValidStatusCallbackAt, pruneCallbackRequests } from '../store/callback-requests';
import { nowIso, type Db } from '../store/database';
import { GroupCommitClosedError } from '../store/group-commit';
import type { RecordResult, StatusEventInput } from '../store/status-events';
import { attemptIdFromQuery, GATHER_PATH, HEALTH_PATH, parseTarget, safeGatherUrl, STATUS_PATH, TWIML_PATH } from './endpoint-urls';
import { firstValues, isFormContentType, parseForm, TooManyFieldsError, type FormFields } from '../http/form';
import { send, sendXml } from '../http/respond';
import { IGNORED_KEYPAD_TWIML, judgeKeypadAnswer } from '../calls/keypad-answer';
import { statusOf, type Exchange } from './exchange';
import { InspectorWriter, LAST_REJECTION_REASON_KEY, REJECTED_SIGNATURES_KEY } from './inspector-writer';
import { ListenerGuard, type ListenerLimits } from './listener-guard';
import { cameThroughProxy, headersWithoutSecrets, isLoopbackAddress, isLoopbackHost, safeHeaderValue } from './request-headers';
import { REJECT_REASON_HEADER, SELF_TEST_HEADER, SELF_TEST_PARAM } from './self-test';
import { checkSignature } from './signature-verdict';
import { parseStatusCallback } from './status-callback';
import { createStatusCommitQueue, type RecordedStatus, type StatusCommitOptions, type StatusCommitQueue } from './status-commit';

// The public HTTP listener Twilio talks to (through the tunnel or the clinic's own proxy). It serves exactly
// Twilio's paths; every request must carry a valid X-Twilio-Signature for the URL registered on the call; a
// status event is committed before it is acknowledged; every request is kept in the callback inspector.

export interface CallbackServerOptions extends Partial<ListenerLimits> {
  db: Db;
  host: string;
  port: number;
  /** Twilio auth token (secret); null => every signed request is rejected with a clear reason. */
  getAuthToken(): string | null;
  /** Status-callback URLs valid for requests we cannot tie to a call (self-test, orphans): current first, then older ones. */
  knownStatusCallbackUrls(): string[];
  /** TwiML for the call's voice URL (POST /twiml?attempt=ID) and for the keypad answer (POST /gather?attempt=ID). */
  voice: {
    reminderTwiml(attemptId: number, gatherActionUrl: string, params: Record<string, string>): string | null; // null => 404
    gatherTwiml(attemptId: number, digits: string, params: Record<string, string>): string; // records confirmation itself
  };
  onStatusRecorded?(result: RecordResult, event: StatusEventInput): void;
  /** Once per group commit, with every status it stored (coalesce UI pushes on this rather than per status). */
  onStatusesRecorded?(recorded: readonly RecordedStatus[]): void;
  /** Group commit of status callbacks: how many at most per transaction and how long the first may wait. */
  groupCommit?: Pick<StatusCommitOptions, 'maxBatch' | 'maxDelayMs'>;
  onRejected?(info: { count: number; reason: string | null; path: string }): void;
  clock?: () => number;
  requestTimeoutMs?: number;
  inspectorRetentionDays?: number;
  /** How long stop() waits for requests in flight before cutting connections (default 5 s). */
  stopTimeoutMs?: number;
}

/** app_meta keys, so the connection panel shows the same numbers after a restart. */
export { LAST_REJECTION_REASON_KEY, REJECTED_SIGNATURES_KEY } from './inspector-writer';

export { REJECT_REASON_HEADER, SELF_TEST_HEADER, SELF_TEST_PARAM } from './self-test';

const DAY_MS = 86_400_000;
const PRUNE_INTERVAL_MS = 3_600_000;
/** Twilio's callbacks carry about 40 fields; a form with more is not Twilio's and is not parsed further. */
const MAX_FORM_FIELDS = 256;
/** A callback's form: as signed (repeated keys kept), one value per key, and the body's size. */
interface CallbackForm {
  signed: FormFields;
  flat: Record<string, string>;
  bytes: number;
}

export class CallbackServer {
  private readonly log = createLogger('callbacks');
  private readonly opts: CallbackServerOptions & Required<Pick<CallbackServerOptions, 'clock' | 'requestTimeoutMs' | 'inspectorRetentionDays' | 'stopTimeoutMs'>>;
  private commits: StatusCommitQueue | null = null;
  private server: http.Server | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private active = 0;
  private readonly guard: ListenerGuard;
  private readonly inspector: InspectorWriter;
  /** When each connection was accepted: a request's latency counts from there (time queued included). */
  private readonly acceptedAt = new WeakMap<Socket, number>();
  private stopping = false;
  private drainWaiters: (() => void)[] = [];
  private rejectedSignatures = 0;
  private rejectionReason: string | null = null;
  private lastCallbackAt: string | null = null;

  constructor(opts: CallbackServerOptions) {
    this.opts = {
      clock: Date.now,
      requestTimeoutMs: 10_000,
      inspectorRetentionDays: 7,
      stopTimeoutMs: 5_000,
      ...opts,
    };
    this.guard = new ListenerGuard({ ...opts, db: this.opts.db, clock: this.opts.clock, log: this.log });
    this.inspector = new InspectorWriter(this.opts.db, this.guard, () => this.rejectionReason, this.log);
  }

  async start(): Promise<{ port: number; localUrl: string }> {
    if (this.server) throw new Error('The callback server is already started');
    const { db } = this.opts;
    this.rejectedSignatures = getCounter(db, REJECTED_SIGNATURES_KEY);
    this.rejectionReason = getMeta(db, LAST_REJECTION_REASON_KEY);
    this.lastCallbackAt = lastValidStatusCallbackAt(db);
    this.stopping = false;
    this.pruneInspectorSafely();
    this.pruneTimer = setInterval(() => this.pruneInspectorSafely(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
    this.guard.start();
    this.commits = createStatusCommitQueue(db, {
      ...this.opts.groupCommit,
      onCommitted: (recorded) => this.notifyRecorded(recorded),
      onNotifyError: (error) => this.log.error('onStatusRecorded failed', { error }),
    });

    const timeout = this.opts.requestTimeoutMs;
    const server = http.createServer({
      // Headers and body must both arrive within `timeout`: a slowloris client is cut (Node answers 408).
      requestTimeout: timeout,
      headersTimeout: timeout,
      keepAliveTimeout: Math.min(5_000, timeout),
      // Node checks those deadlines on this period (30 s by default, far too coarse for a 10 s limit).
      connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(timeout / 4))),
    });
    // A client that stops reading our answer is cut too.
    server.setTimeout(timeout * 2);
    server.on('connection', (socket: Socket) => this.acceptedAt.set(socket, performance.now()));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.log.error('Callback server error', { error }));
    const { port } = server.address() as AddressInfo;
    this.log.info('Callback server listening', { host: this.opts.host, port });
    return { port, localUrl: `http://127.0.0.1:${port}` };
  }

  /** Stops accepting, lets requests in flight finish (bounded by stopTimeoutMs), then closes every connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.stopping = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (this.active > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.drainWaiters.push(resolve)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.opts.stopTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    server.closeAllConnections();
    await closed;
    this.inspector.flush();
    this.guard.stop();
    // Anything still queued is committed now; its requests were cut, so Twilio retries or reconciliation fetches it.
    this.commits?.close();
    this.commits = null;
    this.server = null;
    this.log.info('Callback server stopped');
  }

  stats(): { rejectedSignatures: number; lastCallbackAt: string | null; rejectionReason: string | null } {
    return { rejectedSignatures: this.rejectedSignatures, lastCallbackAt: this.lastCallbackAt, rejectionReason: this.rejectionReason };
  }

  /** A sentence for the connection status while the data folder's disk is low, else null. */
  diskWarning(): string | null {
    return this.guard.diskWarning();
  }

  /** Deletes inspector rows older than the retention period; runs on start and hourly. Returns how many went. */
  pruneInspector(): number {
    const cutoff = new Date(this.opts.clock() - this.opts.inspectorRetentionDays * DAY_MS).toISOString();
    return pruneCallbackRequests(this.opts.db, cutoff) + this.guard.resyncBudget();
  }

  private pruneInspectorSafely(): void {
    try {
      const pruned = this.pruneInspector();
      if (pruned > 0) this.log.info('Pruned old callback inspector rows', { pruned });
    } catch (error) {
      this.log.warn('Could not prune the callback inspector', { error });
    }
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    // Only to split path and query; never used to rebuild the URL a signature is checked against.
    const url = parseTarget(req.url);
    // The first request on a connection counts from the accept: time spent queued behind other work shows.
    const acceptedAt = this.acceptedAt.get(req.socket);
    this.acceptedAt.delete(req.socket);
    const exchange: Exchange = {
      receivedAt: nowIso(this.opts.clock),
      startedAt: acceptedAt ?? performance.now(),
      method: (req.method ?? '').slice(0, 16),
      path: (url?.pathname ?? (req.url ?? '')).slice(0, 2048),
      query: (url?.search ?? '').slice(1, 2049),
      headers: headersWithoutSecrets(req.headers),
      params: null,
      callSid: null,
      signatureVerdict: 'not-checked',
      rejectionReason: null,
      counted: false,
      bodyAborted: false,
    };
    this.active += 1;
    res.once('close', () => {
      this.active -= 1;
      exchange.closed = true;
      this.inspector.store(exchange, res);
      this.guard.noteRejection(statusOf(exchange, res), exchange.signatureVerdict, exchange.rejectionReason);
      if (this.active === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
    });
    if (this.stopping) {
      send(res, 503, { 'Retry-After': '1', Connection: 'close' });
      return;
    }
    if (url === null) {
      send(res, 400, { Connection: 'close' });
      return;
    }
    this.route(req, res, url, exchange).catch((error: unknown) => {
      this.log.error('Callback request failed', { path: exchange.path, error });
      if (!res.headersSent) send(res, 500);
      else res.destroy();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL, ex: Exchange): Promise<void> {
    // One trailing slash is tolerated: a status_callback_url configured as `.../status/` is still ours.
    const path = ex.path.length > 1 ? ex.path.replace(/\/$/, '') : ex.path;
    if (path === HEALTH_PATH) return this.handleHealth(req, res);
    if (path !== STATUS_PATH && path !== TWIML_PATH && path !== GATHER_PATH) return send(res, 404);
    if (req.method !== 'POST') return send(res, 405, { Allow: 'POST' });
    if (!isFormContentType(req.headers['content-type'])) return send(res, 415);

    // Only once its body is in does a request count against the handler slots (see listener-guard.ts).
    const body = await this.guard.admitBody(req, res, ex, () => (ex.bodyAborted = true));
    if (body === null) return;
    ex.bodyBytes = body.length;
    let fields: FormFields;
    try {
      fields = parseForm(body, { maxFields: MAX_FORM_FIELDS });
    } catch (error) {
      if (!(error instanceof TooManyFieldsError)) throw error;
      ex.rejectionReason = `More than ${MAX_FORM_FIELDS} form fields`;
      return send(res, 400, { Connection: 'close' });
    }
    const form = { signed: fields, flat: firstValues(fields), bytes: body.length };
    ex.params = form.flat;
    ex.callSid = form.flat.CallSid?.slice(0, 64) ?? null;

    if (path === STATUS_PATH) return await this.handleStatus(req, res, form, ex);
    const attemptId = attemptIdFromQuery(url.searchParams);
    if (attemptId === null) return send(res, 404);
    if (path === TWIML_PATH) return this.handleTwiml(req, res, form, ex, attemptId);
    return this.handleGather(req, res, form, ex, attemptId);
  }

  /** Only for the self-test on this computer: through a tunnel or proxy /health does not exist. */
  private handleHealth(req: IncomingMessage, res: ServerResponse): void {
    const local = !cameThroughProxy(req.headers) && isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHost(req.headers.host);
    if (!local) return send(res, 404);
    if (req.method !== 'GET') return send(res, 405, { Allow: 'GET' });
    send(res, 200, { 'Content-Type': 'application/json' }, '{"ok":true}');
  }

  private async handleStatus(req: IncomingMessage, res: ServerResponse, form: CallbackForm, ex: Exchange): Promise<void> {
    const selfTest = form.flat[SELF_TEST_PARAM];
    const attempt = selfTest === undefined && ex.callSid ? getCallAttemptBySid(this.opts.db, ex.callSid) : null;
    // The exact URL registered on this call; a callback we cannot tie to a call (orphan, self-test) may match
    // any status URL this installation ever registered.
    const candidates = attempt?.statusCallbackUrl ? [attempt.statusCallbackUrl] : this.opts.knownStatusCallbackUrls();
    if (!this.verifySignature(req, res, form, ex, candidates, selfTest !== undefined)) return;

    if (selfTest !== undefined) return send(res, 200, { [SELF_TEST_HEADER]: safeHeaderValue(selfTest) });

    const parsed = parseStatusCallback(form.flat, ex.receivedAt);
    if (!parsed.ok) {
      ex.rejectionReason = parsed.error; // counted in the rejection summary, not logged one by one
      return send(res, 400);
    }
    let result: RecordResult;
    try {
      // Committed together with the callbacks that arrived with it, inspector row included; answered after.
      ex.commit = 'waiting';
      result = await this.commits!.submit({ event: parsed.event, inspectorRow: () => this.inspector.rowInCommit(ex, 204) });
      ex.commit = 'committed';
    } catch (error) {
      // Not acknowledged: Twilio logs the failure, and reconciliation fetches the status later.
      delete ex.commit;
      const stopping = error instanceof GroupCommitClosedError;
      ex.rejectionReason = stopping ? 'The listener was stopping' : 'The status could not be saved (database error)';
      if (!stopping) this.log.error('Could not store a status callback', { callSid: parsed.event.callSid, error });
      if (ex.closed) this.inspector.store(ex, res); // the client left while we waited: its row is still kept
      return stopping ? send(res, 503, { 'Retry-After': '1', Connection: 'close' }) : send(res, 500);
    }
    this.lastCallbackAt = ex.receivedAt;
    send(res, 204);
    this.log.debug('Status callback stored', {
      callSid: parsed.event.callSid,
      callStatus: parsed.event.callStatus,
      sequenceNumber: parsed.event.sequenceNumber,
      duplicate: !result.stored,
      orphan: result.attempt === null,
    });
  }

  /** Once per committed flush (before the responses go out): per-status hook, then the coalesced one. */
  private notifyRecorded(recorded: readonly RecordedStatus[]): void {
    for (const { result, event } of recorded) {
      try {
        this.opts.onStatusRecorded?.(result, event);
      } catch (error) {
        this.log.error('onStatusRecorded failed', { error });
      }
    }
    this.opts.onStatusesRecorded?.(recorded);
  }

  private handleTwiml(req: IncomingMessage, res: ServerResponse, form: CallbackForm, ex: Exchange, attemptId: number): void {
    const twimlUrl = getCallAttempt(this.opts.db, attemptId)?.twimlUrl ?? null;
    if (!this.verifySignature(req, res, form, ex, twimlUrl ? [twimlUrl] : [], false)) return;
    const actionUrl = safeGatherUrl(twimlUrl!, attemptId);
    const twiml = actionUrl === null ? null : this.opts.voice.reminderTwiml(attemptId, actionUrl, form.flat);
    if (twiml === null) return send(res, 404);
    sendXml(res, 200, twiml);
  }

  private handleGather(req: IncomingMessage, res: ServerResponse, form: CallbackForm, ex: Exchange, attemptId: number): void {
    const attempt = getCallAttempt(this.opts.db, attemptId);
    const twimlUrl = attempt?.twimlUrl ?? null;
    const actionUrl = twimlUrl ? safeGatherUrl(twimlUrl, attemptId) : null;
    if (!this.verifySignature(req, res, form, ex, actionUrl ? [actionUrl] : [], false)) return;
    // A signed /gather can be replayed later: it counts only for this attempt's call, while the call is on.
    const verdict = judgeKeypadAnswer(attempt, form.flat.CallSid, this.opts.clock());
    if (!verdict.accept) {
      ex.rejectionReason = verdict.reason;
      return sendXml(res, 200, IGNORED_KEYPAD_TWIML);
    }
    sendXml(res, 200, this.opts.voice.gatherTwiml(attemptId, form.flat.Digits ?? '', form.flat));
  }

  /** True when the request is Twilio's; otherwise answers 403, counts it and says why. */
  private verifySignature(
    req: IncomingMessage,
    res: ServerResponse,
    form: CallbackForm,
    ex: Exchange,
    candidates: readonly string[],
    selfTest: boolean,
  ): boolean {
    const check = checkSignature({
      authToken: this.opts.getAuthToken(),
      headers: req.headers,
      target: req.url ?? '/',
      form,
      candidates,
      sampler: this.guard.sampler,
    });
    ex.signatureVerdict = check.verdict;
    if (check.reason === null) return true;
    const reason = check.reason;
    ex.rejectionReason = reason;
    ex.counted = true;
    this.rejectedSignatures += 1;
    // The connection panel keeps the last reason that says something; the summary line counts the rest.
    if (check.diagnosed) this.rejectionReason = reason;
    this.guard.answerRejection(res, () => send(res, 403, selfTest ? { [REJECT_REASON_HEADER]: safeHeaderValue(reason) } : {}));
    try {
      this.opts.onRejected?.({ count: this.rejectedSignatures, reason, path: ex.path });
    } catch (error) {
      this.log.error('onRejected failed', { error });
    }
    return false;
  }
}
