import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { isCallStatus } from '../calls/call-status';
import type { CallStatus } from '../domain';

// The one place the official `twilio` client is built. The rest of the app depends on the narrow interfaces
// below (so tests can hand in a fake), never on twilio's generated classes.

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';

/** A Call resource, reduced to what reminder calls need. Status is Twilio's Call resource status (no `initiated`). */
export interface CallResource {
  sid: string;
  to: string;
  from: string;
  status: CallStatus;
  dateCreated: Date | null;
  startTime: Date | null;
  endTime: Date | null;
  /** Seconds, once the call ended. */
  duration: number | null;
  answeredBy: string | null;
}

/** Parameters of calls.create that the app uses, named as twilio-node names them. */
export interface CreateCallParams {
  to: string;
  from: string;
  url?: string;
  method?: 'POST' | 'GET';
  twiml?: string;
  statusCallback?: string;
  statusCallbackEvent?: string[];
  statusCallbackMethod?: 'POST' | 'GET';
  timeout?: number;
  machineDetection?: 'Enable' | 'DetectMessageEnd';
}

export interface ListCallsFilter {
  to?: string;
  from?: string;
  /** Twilio's `StartTime>` filter. */
  startTimeAfter?: Date;
  pageSize?: number;
}

export interface CallsApi {
  create(params: CreateCallParams): Promise<CallResource>;
  fetch(sid: string): Promise<CallResource>;
  list(filter: ListCallsFilter): Promise<CallResource[]>;
}

export interface IncomingNumber {
  phoneNumber: string;
  friendlyName: string;
}

export interface TwilioClient {
  readonly calls: CallsApi;
  fetchAccount(): Promise<{ sid: string; friendlyName: string; status: string }>;
  listIncomingNumbers(): Promise<IncomingNumber[]>;
}

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  apiBaseUrl?: string | null;
  /** Per-request timeout in ms. Twilio answers calls.create in well under a second; 15 s bounds a dead network. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** The most calls we read back when matching a crashed dial against Twilio's Calls list. */
const LIST_LIMIT = 200;

/**
 * Sends every REST request to `apiBaseUrl` (the simulator, a proxy) instead of *.twilio.com: the contract of
 * `twilio.api_base_url`. twilio's own `edge`/`region` options only rewrite hosts under twilio.com.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(apiBaseUrl: string, opts: RequestClient.RequestClientOptions) {
    super(opts);
    this.base = new URL(apiBaseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const target = new URL(opts.uri);
    target.protocol = this.base.protocol;
    target.host = this.base.host; // host includes the port (or clears it)
    const basePath = this.base.pathname.replace(/\/+$/, '');
    if (basePath) target.pathname = `${basePath}${target.pathname}`;
    return super.request<TData>({ ...opts, uri: target.toString() });
  }
}

function isDefaultApiBase(apiBaseUrl: string | null | undefined): boolean {
  if (!apiBaseUrl) return true;
  return new URL(apiBaseUrl).origin === TWILIO_API_BASE_URL;
}

interface TwilioCallInstance {
  sid: string;
  to: string;
  from: string;
  status: string;
  dateCreated: Date | null;
  startTime: Date | null;
  endTime: Date | null;
  duration: string | null;
  answeredBy: string | null;
}

function validDate(value: Date | null | undefined): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}

export function toCallResource(call: TwilioCallInstance): CallResource {
  if (!isCallStatus(call.status)) throw new Error(`Twilio returned an unknown call status "${call.status}" for ${call.sid}`);
  const duration = call.duration === null || call.duration === undefined || call.duration === '' ? null : Number(call.duration);
  return {
    sid: call.sid,
    to: call.to,
    from: call.from,
    status: call.status,
    dateCreated: validDate(call.dateCreated),
    startTime: validDate(call.startTime),
    endTime: validDate(call.endTime),
    duration: duration === null || Number.isNaN(duration) ? null : duration,
    answeredBy: call.answeredBy || null,
  };
}

export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // autoRetry stays off: the batch runner owns 429 back-off, so it can pace, count and report retries itself.
  const httpClient = isDefaultApiBase(options.apiBaseUrl)
    ? new twilio.RequestClient({ timeout, keepAlive: true })
    : new BaseUrlRequestClient(options.apiBaseUrl!, { timeout, keepAlive: true });
  const client = twilio(options.accountSid, options.authToken, { httpClient, timeout, accountSid: options.accountSid });

  const calls: CallsApi = {
    async create(params) {
      return toCallResource(await client.calls.create(params));
    },
    async fetch(sid) {
      return toCallResource(await client.calls(sid).fetch());
    },
    async list(filter) {
      const found = await client.calls.list({
        ...(filter.to ? { to: filter.to } : {}),
        ...(filter.from ? { from: filter.from } : {}),
        ...(filter.startTimeAfter ? { startTimeAfter: filter.startTimeAfter } : {}),
        pageSize: filter.pageSize ?? 50,
        limit: LIST_LIMIT,
      });
      return found.map(toCallResource);
    },
  };

  return {
    calls,
    async fetchAccount() {
      const account = await client.api.v2010.accounts(options.accountSid).fetch();
      return { sid: account.sid, friendlyName: account.friendlyName, status: account.status };
    },
    async listIncomingNumbers() {
      const numbers = await client.incomingPhoneNumbers.list({ limit: 1000 });
      return numbers.map((n) => ({ phoneNumber: n.phoneNumber, friendlyName: n.friendlyName }));
    },
  };
}

/** The setup wizard's credential check: the account answers, and which numbers it may call from. */
export async function checkTwilioAccount(
  client: Pick<TwilioClient, 'fetchAccount' | 'listIncomingNumbers'>,
): Promise<{ friendlyName: string; numbers: IncomingNumber[] }> {
  const account = await client.fetchAccount();
  const numbers = await client.listIncomingNumbers();
  return { friendlyName: account.friendlyName, numbers };
}

export interface TwilioErrorInfo {
  /** HTTP status, or null when no response came back (network, timeout). */
  status: number | null;
  /** Twilio's error code (21211, 20429, ...), when Twilio sent one. */
  code: number | null;
  message: string;
  /** Safe to try again later: rate limits, Twilio-side 5xx, network failures. */
  retryable: boolean;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_NETWORK']);

/** Turns whatever the twilio client threw into what the app acts on and shows. */
/** What we store as a failed call's error code: Twilio's own code (21211, 20429), else the HTTP status. */
export function storedErrorCode(error: TwilioErrorInfo): string | null {
  if (error.code !== null) return String(error.code);
  return error.status === null ? null : String(error.status);
}

export function describeTwilioError(err: unknown): TwilioErrorInfo {
  if (err instanceof twilio.RestException || (isRecord(err) && typeof err.status === 'number' && 'moreInfo' in err)) {
    const rest = err as { status: number; code?: number; message?: string };
    const code = typeof rest.code === 'number' ? rest.code : null;
    const retryable = rest.status === 429 || code === 20429 || rest.status >= 500;
    const message = rest.message || `Twilio answered HTTP ${rest.status}`;
    return { status: rest.status, code, message: code ? `${message} (Twilio error ${code})` : message, retryable };
  }
  if (isRecord(err) && typeof err.code === 'string' && (NETWORK_CODES.has(err.code) || err.isAxiosError === true)) {
    const detail = typeof err.message === 'string' && err.message ? err.message : err.code;
    return { status: null, code: null, message: `Could not reach Twilio: ${detail}`, retryable: true };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { status: null, code: null, message, retryable: false };
}

/** 429 / 20429: Twilio refused for pace; nothing was created and it is always safe to retry. */
export function isRateLimited(info: TwilioErrorInfo): boolean {
  return info.status === 429 || info.code === 20429;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
