import crypto from 'node:crypto';
import twilio from 'twilio';
import { REJECT_REASON_HEADER, SELF_TEST_HEADER, SELF_TEST_PARAM } from '../callbacks/self-test';
import { ngrokErrorPage } from './tunnel-errors';

// The reachability self-test: a request signed exactly like a Twilio status callback, sent through the public
// URL, proves end to end that Twilio's callbacks would reach this computer and pass the signature check.
// When it fails, it names the hop: our server, the tunnel, the URL, or the signature.

export type SelfTestHop = 'server-not-listening' | 'tunnel-down' | 'url-mismatch' | 'signature-rejected';

export interface SelfTestResult {
  ok: boolean;
  hop: SelfTestHop | null;
  message: string;
  details: string[];
  latencyMs: number | null;
}

export interface SelfTestOptions {
  /** The public URL Twilio posts status callbacks to, e.g. https://abc.ngrok-free.app/status. */
  statusCallbackUrl: string;
  /** Our callback server on this computer, e.g. http://127.0.0.1:8080; null when none runs here (only the public path is probed). */
  localBaseUrl: string | null;
  authToken: string;
  /** The URL to sign; defaults to statusCallbackUrl (tests pass a wrong one). */
  signUrl?: string;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** The probe's token (random when absent): `tunnel check` looks for it in the running engine's inspector. */
  nonce?: string;
}

/** ngrok's "endpoint offline / not found" codes, when its error page has no ngrok-error-code header. */
const TUNNEL_GONE = /ERR_NGROK_(3200|3004|3000|8012)/;

const NGROK_DELIVERY_FAILURES: Record<string, string> = {
  ERR_NGROK_3200: 'ngrok says the endpoint is offline: the tunnel at this address is not running (it reconnected under another URL, or stopped).',
  ERR_NGROK_725: 'The ngrok account reached its monthly bandwidth limit.',
  ERR_NGROK_727: 'The ngrok account reached its monthly request limit.',
};

function fail(hop: SelfTestHop, message: string, details: string[], latencyMs: number | null = null): SelfTestResult {
  return { ok: false, hop, message, details, latencyMs };
}

/** fetch() rejects with "fetch failed" and the socket error in `cause` (ECONNREFUSED, ENOTFOUND), or a TimeoutError. */
function describeFetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code || cause?.message) return `${cause.code ?? 'error'}: ${cause.message ?? ''}`.trim();
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export async function runCallbackSelfTest(opts: SelfTestOptions): Promise<SelfTestResult> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;

  // Hop 1: is our own callback server listening on this computer?
  if (opts.localBaseUrl !== null) {
    const localBaseUrl = opts.localBaseUrl;
    try {
      const health = await fetchImpl(new URL('/health', localBaseUrl), { signal: AbortSignal.timeout(Math.min(timeoutMs, 3_000)) });
      if (!health.ok) throw new Error(`answered ${health.status}`);
    } catch (error) {
      return fail('server-not-listening', 'The callback server on this computer is not answering, so no call status can be received. Restart Reminder Desk.', [
        `${localBaseUrl}/health: ${describeFetchFailure(error)}`,
      ]);
    }
  }

  // Hop 2-4: a signed callback through the public URL.
  const nonce = opts.nonce ?? crypto.randomBytes(12).toString('hex');
  const params = { CallSid: `CA${'0'.repeat(8)}${crypto.randomBytes(12).toString('hex')}`, AccountSid: `AC${'0'.repeat(32)}`, CallStatus: 'completed', [SELF_TEST_PARAM]: nonce };
  const signature = twilio.getExpectedTwilioSignature(opts.authToken, opts.signUrl ?? opts.statusCallbackUrl, params);
  const started = Date.now();
  let response: Response;
  try {
    response = await fetchImpl(opts.statusCallbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'ngrok-skip-browser-warning': '1' },
      body: new URLSearchParams(params).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return fail('tunnel-down', `The public URL ${opts.statusCallbackUrl} cannot be reached: the tunnel is down or the address is wrong.`, [
      describeFetchFailure(error),
    ]);
  }
  const latencyMs = Date.now() - started;
  const body = (await response.text().catch(() => '')).slice(0, 500);
  const ngrokCode = response.headers.get('ngrok-error-code') ?? TUNNEL_GONE.exec(body)?.[0] ?? null;

  if (response.headers.get(SELF_TEST_HEADER) === nonce) {
    return { ok: true, hop: null, message: 'Callbacks reach this computer and pass the signature check.', details: [`${opts.statusCallbackUrl} answered in ${latencyMs} ms`], latencyMs };
  }
  if (response.status === 403) {
    // Our server says why in a header; ngrok's edge (Twilio verification there) answers with its own code.
    const reason = response.headers.get(REJECT_REASON_HEADER);
    const where = ngrokCode ? `ngrok's edge (${ngrokCode})` : 'the callback server';
    return fail(
      'signature-rejected',
      reason ?? `Callbacks are being rejected by ${where}: the signature Twilio would send does not match, because the URL Twilio signs differs from the URL being checked (or the Twilio auth token is not the account's).`,
      [`HTTP 403 from ${opts.statusCallbackUrl}`, ...(opts.signUrl && opts.signUrl !== opts.statusCallbackUrl ? [`signed for ${opts.signUrl}`] : [])],
      latencyMs,
    );
  }
  if (ngrokCode === 'ERR_NGROK_8012') {
    return fail('server-not-listening', 'The tunnel is up but cannot reach the callback server on this computer.', [`ngrok: ${ngrokCode}`], latencyMs);
  }
  if (ngrokCode) {
    return fail('tunnel-down', `${NGROK_DELIVERY_FAILURES[ngrokCode] ?? `ngrok could not deliver the request (${ngrokCode}).`} Callbacks cannot reach this computer through this URL.`, [
      `ngrok: ${ngrokCode}`,
      ngrokErrorPage(ngrokCode),
    ], latencyMs);
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return fail('tunnel-down', `The public URL answered ${response.status}: the tunnel or proxy in front of this computer is not forwarding.`, [body.slice(0, 200)], latencyMs);
  }
  return fail('url-mismatch', `Something answered at ${opts.statusCallbackUrl}, but not this computer's callback server (HTTP ${response.status}). Check the public URL and its /status path.`, [body.slice(0, 200)], latencyMs);
}
