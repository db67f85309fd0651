import type { Settings } from '../settings/schema';
import type { Appointment, CallAttempt } from '../domain';
import { getCallAttempt, markDialing, markDialRetry, markRejected } from '../store/call-attempts';
import type { Db } from '../store/database';
import { recordCallPlaced } from '../store/status-events';
import { buildReminderTwiml } from '../twilio/reminder-twiml';
import { describeTwilioError, isRateLimited, storedErrorCode, type CallResource, type CallsApi, type CreateCallParams, type TwilioErrorInfo } from '../twilio/twilio-client';

/** The four progress events; with none listed Twilio would only send `completed`. */
export const STATUS_CALLBACK_EVENTS = ['initiated', 'ringing', 'answered', 'completed'] as const;

export interface CallbackTarget {
  /** The full URL Twilio posts status callbacks to, exactly as configured; null in polling mode. */
  statusCallbackUrl: string | null;
  /** Origin serving /twiml and /gather; null when Twilio cannot reach us. */
  publicBaseUrl: string | null;
}

export interface PlaceCallDeps {
  db: Db;
  calls: CallsApi;
  settings: Settings;
  from: string;
  target: CallbackTarget;
  renderMessage: (appointment: Appointment) => string;
  now: () => string;
  /** Test seam: runs after Twilio accepted the call and before its SID is stored (the crash window). */
  afterCreate?: (attempt: CallAttempt, call: CallResource) => void | Promise<void>;
}

export type DialOutcome =
  | { kind: 'placed'; attempt: CallAttempt; call: CallResource }
  /** 429 / 20429: Twilio created nothing; the attempt is pending again. */
  | { kind: 'rate-limited'; attempt: CallAttempt; error: TwilioErrorInfo }
  /** 5xx or no answer: Twilio may have created the call, so the attempt stays `dialing` until the Calls list says. */
  | { kind: 'uncertain'; attempt: CallAttempt; error: TwilioErrorInfo }
  /** Twilio refused (21211 invalid number, ...) or the message cannot be spoken: final, never retried. */
  | { kind: 'rejected'; attempt: CallAttempt; error: TwilioErrorInfo };

function joinUrl(base: string, pathAndQuery: string): string {
  return `${base.replace(/\/+$/, '')}${pathAndQuery}`;
}

/** Exactly what calls.create receives for one reminder. */
export function buildCreateParams(input: {
  attemptId: number;
  to: string;
  from: string;
  message: string;
  settings: Settings;
  target: CallbackTarget;
}): { params: CreateCallParams; twimlUrl: string | null } {
  const { calling } = input.settings;
  const params: CreateCallParams = { to: input.to, from: input.from, timeout: calling.call_timeout_seconds };
  let twimlUrl: string | null = null;
  if (input.target.publicBaseUrl) {
    // Twilio fetches the TwiML from us, so the spoken text never leaves the computer in the create request
    // and the <Gather> can post the key press back.
    twimlUrl = joinUrl(input.target.publicBaseUrl, `/twiml?attempt=${input.attemptId}`);
    params.url = twimlUrl;
    params.method = 'POST';
  } else {
    params.twiml = buildReminderTwiml({ message: input.message, gatherActionUrl: null });
  }
  if (input.target.statusCallbackUrl) {
    params.statusCallback = input.target.statusCallbackUrl;
    params.statusCallbackEvent = [...STATUS_CALLBACK_EVENTS];
    params.statusCallbackMethod = 'POST';
  }
  // DetectMessageEnd: Twilio asks for the TwiML after the greeting's beep, so a machine records the whole voicemail message.
  if (calling.detect_voicemail) params.machineDetection = 'DetectMessageEnd';
  return { params, twimlUrl };
}

/**
 * Dials one attempt: (a) commits `dialing` BEFORE asking Twilio, so a crash leaves a trace that is reconciled
 * with Twilio's Calls list rather than dialled again; (b) calls.create; (c) stores the CallSid and adopts
 * callbacks that raced ahead of it. Errors become outcomes; nothing here retries or sleeps.
 */
export async function placeReminderCall(deps: PlaceCallDeps, attempt: CallAttempt, appointment: Appointment): Promise<DialOutcome> {
  let built: ReturnType<typeof buildCreateParams>;
  try {
    built = buildCreateParams({
      attemptId: attempt.id,
      to: appointment.phoneNumber,
      from: deps.from,
      message: deps.renderMessage(appointment),
      settings: deps.settings,
      target: deps.target,
    });
  } catch (err) {
    const error: TwilioErrorInfo = { status: null, code: null, message: err instanceof Error ? err.message : String(err), retryable: false };
    markRejected(deps.db, attempt.id, { code: null, message: error.message }, deps.now());
    return { kind: 'rejected', attempt: getCallAttempt(deps.db, attempt.id)!, error };
  }

  markDialing(deps.db, attempt.id, {
    statusCallbackUrl: deps.target.statusCallbackUrl,
    twimlUrl: built.twimlUrl,
    from: deps.from,
    to: appointment.phoneNumber,
    now: deps.now(),
  });
  const dialing = getCallAttempt(deps.db, attempt.id)!;

  let call: CallResource;
  try {
    call = await deps.calls.create(built.params);
  } catch (err) {
    const error = describeTwilioError(err);
    const code = storedErrorCode(error);
    if (isRateLimited(error)) {
      markDialRetry(deps.db, attempt.id, { code, message: error.message }, deps.now());
      return { kind: 'rate-limited', attempt: getCallAttempt(deps.db, attempt.id)!, error };
    }
    if (error.retryable) return { kind: 'uncertain', attempt: dialing, error };
    markRejected(deps.db, attempt.id, { code, message: error.message }, deps.now());
    return { kind: 'rejected', attempt: getCallAttempt(deps.db, attempt.id)!, error };
  }

  await deps.afterCreate?.(dialing, call);
  const placed = recordCallPlaced(deps.db, attempt.id, call.sid, deps.now());
  return { kind: 'placed', attempt: placed, call };
}
