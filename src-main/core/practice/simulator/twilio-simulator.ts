import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../logging/logger';
import type { SimulatedCall } from './call-record';
import { newSid } from './call-record';
import type { WebhookRequest } from './call-progress';
import { CallProgressPlayer } from './call-progress';
import { parseBasicAuth } from '../../http/basic-auth';
import { readBody, statusForBodyError } from '../../http/body';
import { isFormContentType, parseForm, type FormFields } from '../../http/form';
import { sendJson } from '../../http/respond';
import { parseCreateCallForm } from './create-call-form';
import { outcomeForNumber } from './outcomes';
import { planProgress } from './progress-plan';
import type { RestBackend } from './rest-routes';
import { handleRestRequest } from './rest-routes';
import { SeededRandom } from './seeded-random';
import type { SignedRequestResult } from './signed-request';
import { sendSignedRequest } from './signed-request';
import { loadCalls, saveCalls } from './state-file';
import { tooManyRequestsError } from './twilio-errors';

// Practice mode: a loopback server speaking the Twilio REST paths the app uses, which then plays each call's
// progress and calls the app's webhooks, signed, exactly as Twilio would. The app reaches it only through
// `twilio.api_base_url`, so the real client code path runs.

export type { SimulatedCall } from './call-record';
export type { SimulatedOutcome, OutcomeRow } from './outcomes';
export { OUTCOME_TABLE, outcomeForNumber } from './outcomes';

/** A fixed, obviously-not-real account for practice mode. */
export const PRACTICE_ACCOUNT_SID = 'AC0000000000000000000000000000cafe';
export const PRACTICE_AUTH_TOKEN = '0000000000000000000000000000beef';
/** Twilio's own magic "valid From" test number. */
export const PRACTICE_PHONE_NUMBERS: readonly string[] = ['+15005550006'];

export interface SimulatorOptions {
  /** Default 127.0.0.1; the simulator holds practice credentials and must not face the network by accident. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  accountSid?: string;
  authToken?: string;
  /** The account's IncomingPhoneNumbers; Calls create accepts only these as From. */
  phoneNumbers?: string[];
  /** 1 = realistic timing (ringing ~1-2 s, answer ~5 s, talk ~15-25 s); tests use e.g. 0.01. */
  timeScale?: number;
  shuffleCallbacks?: boolean;
  duplicateCallbacks?: boolean;
  /** Probability (0..1) that a status callback is never sent. */
  dropCallbacks?: number;
  /** Every Nth Calls create answers 429 / code 20429. */
  rateLimitEvery?: number;
  seed?: number;
  /** JSON file keeping the calls across restarts; null or absent for none. */
  stateFile?: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: FormFields;
  form: FormFields;
  /** Request headers; the Authorization value is replaced by `authUser`. */
  headers: Record<string, string | string[] | undefined>;
  /** The username of the Basic credentials, when any were given. */
  authUser: string | null;
  status: number;
  /** The JSON the simulator answered with (what the official client parsed). */
  responseBody: unknown;
  at: string;
}

export interface CallbackDelivery {
  kind: WebhookRequest['kind'];
  callSid: string;
  url: string;
  method: 'GET' | 'POST';
  params: Record<string, string>;
  /** Status callbacks only. */
  sequenceNumber: number | null;
  /** The second copy of a duplicated status callback. */
  duplicate: boolean;
  /** `dropped`: deliberately never sent (dropCallbacks). */
  fate: 'delivered' | 'failed' | 'dropped';
  status: number | null;
  error: string | null;
  at: string;
}

export interface TwilioSimulatorEvents {
  'call-created': [call: SimulatedCall];
  'call-updated': [call: SimulatedCall];
  'call-finished': [call: SimulatedCall];
  delivery: [delivery: CallbackDelivery];
  request: [request: RecordedRequest];
}

const MAX_BODY_BYTES = 1024 * 1024;
const STATE_SAVE_DELAY_MS = 25;
const log = createLogger('simulator');


export class TwilioSimulator extends EventEmitter<TwilioSimulatorEvents> {
  readonly accountSid: string;
  readonly authToken: string;
  readonly requests: RecordedRequest[] = [];
  readonly callbackDeliveries: CallbackDelivery[] = [];

  private readonly host: string;
  private readonly port: number;
  private readonly phoneNumbers: readonly string[];
  private readonly timeScale: number;
  private readonly seed: number;
  private readonly rateLimitEvery: number;
  private readonly stateFile: string | null;
  private readonly calls = new Map<string, SimulatedCall>();
  private readonly player: CallProgressPlayer;
  private readonly abort = new AbortController();
  private readonly accountCreatedAt = Date.UTC(2024, 0, 2, 9, 0, 0);
  private server: http.Server | null = null;
  private address: AddressInfo | null = null;
  private createRequests = 0;
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(options: SimulatorOptions = {}) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.accountSid = options.accountSid ?? PRACTICE_ACCOUNT_SID;
    this.authToken = options.authToken ?? PRACTICE_AUTH_TOKEN;
    this.phoneNumbers = [...(options.phoneNumbers ?? PRACTICE_PHONE_NUMBERS)];
    this.timeScale = options.timeScale ?? 1;
    this.seed = options.seed ?? 1;
    this.rateLimitEvery = options.rateLimitEvery ?? 0;
    this.stateFile = options.stateFile ?? null;
    if (!(this.timeScale > 0)) throw new RangeError(`timeScale must be a positive number, got ${this.timeScale}`);
    const drop = options.dropCallbacks ?? 0;
    if (!(drop >= 0 && drop <= 1)) throw new RangeError(`dropCallbacks must be between 0 and 1, got ${drop}`);
    this.player = new CallProgressPlayer({
      timeScale: this.timeScale,
      seed: this.seed,
      switches: { shuffle: options.shuffleCallbacks ?? false, duplicate: options.duplicateCallbacks ?? false, drop },
      deliver: (request) => this.deliver(request),
      recordDropped: (request) => this.recordDelivery(request, 'dropped', null, null),
      changed: (call) => this.callChanged(call),
      finished: (call) => this.emit('call-finished', structuredClone(call)),
    });
  }

  /** e.g. `http://127.0.0.1:PORT`: pass as settings `twilio.api_base_url`. */
  get baseUrl(): string {
    if (!this.address) throw new Error('The Twilio simulator is not started');
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
    return `http://${host}:${this.address.port}`;
  }

  async start(): Promise<void> {
    if (this.server) throw new Error('The Twilio simulator is already started');
    if (this.stateFile) {
      for (const call of loadCalls(this.stateFile, this.accountSid)) this.calls.set(call.sid, call);
      this.createRequests = this.calls.size;
    }
    const server = http.createServer((req, res) => void this.handleHttp(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.address = server.address() as AddressInfo;
    log.info('practice Twilio simulator listening', { baseUrl: this.baseUrl, resumedCalls: this.calls.size });
    // Calls that were live when the app (and this simulator) stopped carry on from where they were.
    for (const call of this.calls.values()) this.player.play(call);
  }

  /** Cancels timers and in-flight callbacks, then closes the server. */
  async stop(): Promise<void> {
    this.player.stop();
    this.abort.abort();
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      this.saveState();
    }
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  getCall(sid: string): SimulatedCall | undefined {
    const call = this.calls.get(sid);
    return call ? structuredClone(call) : undefined;
  }

  /** Every call, oldest first (the REST list is newest first, like Twilio's). */
  listCalls(): SimulatedCall[] {
    return [...this.calls.values()].map((call) => structuredClone(call));
  }

  /** Resolves once every call is final and has made its last callback attempt. */
  waitForCallsToFinish(timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if ([...this.calls.values()].every((call) => call.finished)) {
          cleanup();
          resolve();
          return true;
        }
        return false;
      };
      const onFinished = (): void => void check();
      const timer = setTimeout(() => {
        cleanup();
        const open = [...this.calls.values()].filter((call) => !call.finished).map((call) => `${call.sid} (${call.status})`);
        reject(new Error(`Simulated calls still unfinished after ${timeoutMs} ms: ${open.join(', ')}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('call-finished', onFinished);
      };
      this.on('call-finished', onFinished);
      check();
    });
  }

  private backend(): RestBackend {
    return {
      accountSid: this.accountSid,
      authToken: this.authToken,
      phoneNumbers: this.phoneNumbers,
      accountCreatedAt: this.accountCreatedAt,
      createCall: (form) => this.createCall(form),
      getCall: (sid) => this.calls.get(sid),
      listCalls: () => [...this.calls.values()].reverse(),
    };
  }

  private createCall(form: FormFields): SimulatedCall {
    this.createRequests += 1;
    if (this.rateLimitEvery > 0 && this.createRequests % this.rateLimitEvery === 0) throw tooManyRequestsError();
    const { to, from, request } = parseCreateCallForm(form, this.phoneNumbers);
    const outcome = outcomeForNumber(to);
    const index = this.calls.size;
    const plan = planProgress(outcome, request.timeoutSeconds, SeededRandom.forCall(this.seed, index));
    const now = Date.now();
    const call: SimulatedCall = {
      sid: newSid('CA'),
      accountSid: this.accountSid,
      index,
      to,
      from,
      outcome,
      request,
      status: 'queued',
      dateCreated: now,
      dateUpdated: now,
      startTime: null,
      endTime: null,
      durationSeconds: null,
      answeredBy: null,
      sipResponseCode: null,
      digitsSent: null,
      gather: null,
      heard: [],
      steps: plan.steps,
      planned: { finalStatus: plan.finalStatus, sipResponseCode: plan.sipResponseCode, answeredBy: plan.answeredBy },
      nextStep: 0,
      nextSequenceNumber: 0,
      finished: false,
    };
    this.calls.set(call.sid, call);
    // Saved before the 201 goes out: an app killed right after Twilio accepted a call must find it on restart.
    this.saveState();
    this.emit('call-created', structuredClone(call));
    this.player.play(call);
    return call;
  }

  private callChanged(call: SimulatedCall): void {
    this.scheduleSave();
    this.emit('call-updated', structuredClone(call));
  }

  private scheduleSave(): void {
    if (!this.stateFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saveState();
    }, STATE_SAVE_DELAY_MS);
  }

  private saveState(): void {
    if (!this.stateFile) return;
    try {
      saveCalls(this.stateFile, this.accountSid, [...this.calls.values()]);
    } catch (error) {
      log.error('cannot save the simulator state file', { file: this.stateFile, error });
    }
  }

  private async deliver(request: WebhookRequest): Promise<SignedRequestResult | null> {
    try {
      const result = await sendSignedRequest({
        url: request.url,
        method: request.method,
        params: request.params,
        authToken: this.authToken,
        signal: this.abort.signal,
      });
      const ok = result.status >= 200 && result.status < 300;
      this.recordDelivery(request, ok ? 'delivered' : 'failed', result.status, ok ? null : `HTTP ${result.status}`);
      return result;
    } catch (error) {
      if (this.abort.signal.aborted) return null;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      this.recordDelivery(request, 'failed', null, cause?.code ?? cause?.message ?? (error as Error).message);
      return null;
    }
  }

  private recordDelivery(request: WebhookRequest, fate: CallbackDelivery['fate'], status: number | null, error: string | null): void {
    const delivery: CallbackDelivery = {
      kind: request.kind,
      callSid: request.call.sid,
      url: request.url,
      method: request.method,
      params: request.params,
      sequenceNumber: request.sequenceNumber,
      duplicate: request.duplicate,
      fate,
      status,
      error,
      at: new Date().toISOString(),
    };
    this.callbackDeliveries.push(delivery);
    // Twilio logs a failed webhook as an error on the account (11200 / 15003) and does not retry it.
    if (fate === 'failed') log.warn('practice webhook failed', { kind: delivery.kind, callSid: delivery.callSid, url: delivery.url, error, status });
    this.emit('delivery', delivery);
  }

  private async handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    let body: Buffer;
    try {
      body = await readBody(req, { maxBytes: MAX_BODY_BYTES });
    } catch (error) {
      const status = statusForBodyError(error);
      if (status === 413) sendJson(res, 413, { code: 20001, message: 'Request body too large', more_info: 'https://www.twilio.com/docs/errors/20001', status: 413 }, { Connection: 'close' });
      else if (status === 408) sendJson(res, 408, { code: 20408, message: 'Request timed out', status: 408 }, { Connection: 'close' });
      return;
    }
    const form: FormFields = isFormContentType(req.headers['content-type']) ? parseForm(body) : {};
    const query = parseForm(url.search.slice(1));
    let response: { status: number; body: unknown };
    try {
      response = handleRestRequest(this.backend(), { method: req.method ?? 'GET', path: url.pathname, query, form, authorization: req.headers.authorization });
    } catch (error) {
      log.error('simulator request failed', { path: url.pathname, error });
      response = { status: 500, body: { code: 20500, message: 'Internal Server Error', more_info: 'https://www.twilio.com/docs/errors/20500', status: 500 } };
    }
    const headers: RecordedRequest['headers'] = { ...req.headers };
    delete headers.authorization;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      form,
      headers,
      authUser: parseBasicAuth(req.headers.authorization)?.user ?? null,
      status: response.status,
      responseBody: response.body,
      at: new Date().toISOString(),
    };
    this.requests.push(recorded);
    this.emit('request', recorded);
    sendJson(res, response.status, response.body, { 'Twilio-Request-Id': `RQ${newSid('CA').slice(2)}` });
  }
}
