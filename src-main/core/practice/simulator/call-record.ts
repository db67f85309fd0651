import crypto from 'node:crypto';
import type { SimulatedOutcome } from './outcomes';

// The simulator's own record of one call, and its rendering as Twilio's Call resource JSON.

/** The Call resource's status: Twilio's resource never says `initiated` (only status callbacks do). */
export type CallResourceStatus = 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export const FINAL_RESOURCE_STATUSES: ReadonlySet<CallResourceStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

export type StatusCallbackEventName = 'initiated' | 'ringing' | 'answered' | 'completed';

export type ProgressStepKind = 'initiated' | 'ringing' | 'answered' | 'gather' | 'end';

/** One moment of the call's planned progress; `delayMs` is realistic (unscaled) time after the previous step. */
export interface ProgressStep {
  kind: ProgressStepKind;
  delayMs: number;
}

/** What the app asked for in Calls create, kept as Twilio received it. */
export interface CallRequest {
  url: string | null;
  method: 'GET' | 'POST';
  twiml: string | null;
  statusCallback: string | null;
  statusCallbackMethod: 'GET' | 'POST';
  statusCallbackEvents: StatusCallbackEventName[];
  timeoutSeconds: number;
  machineDetection: string | null;
}

export interface SimulatedCall {
  sid: string;
  accountSid: string;
  /** Creation order, 0-based; seeds this call's own random stream. */
  index: number;
  to: string;
  from: string;
  outcome: SimulatedOutcome;
  request: CallRequest;
  status: CallResourceStatus;
  /** Epoch milliseconds (wall clock). */
  dateCreated: number;
  dateUpdated: number;
  startTime: number | null;
  endTime: number | null;
  /** Simulated (unscaled) seconds the call was connected; null while live. */
  durationSeconds: number | null;
  answeredBy: string | null;
  sipResponseCode: number | null;
  /** The key the simulated person pressed at the <Gather>, once posted. */
  digitsSent: string | null;
  /** Where the simulated person's key press goes, resolved from the TwiML once fetched. */
  gather: { actionUrl: string; method: 'GET' | 'POST'; onEmpty: boolean } | null;
  /** Everything the callee heard (<Say> text of the fetched TwiML and of each keypad reply), in order. */
  heard: string[];
  steps: ProgressStep[];
  /** How the call ends, decided at creation from the outcome. */
  planned: { finalStatus: CallResourceStatus; sipResponseCode: number; answeredBy: 'human' | 'machine_end_beep' | null };
  nextStep: number;
  /** SequenceNumber of the next status callback (every subscribed event consumes one, even a dropped one). */
  nextSequenceNumber: number;
  /** True once the final status callback attempt was made (or there was nothing to send). */
  finished: boolean;
}

export function newSid(prefix: 'CA' | 'PN' | 'AC' | 'PA'): string {
  return prefix + crypto.randomBytes(16).toString('hex');
}

/** Twilio's RFC 2822 timestamps: `Tue, 31 Aug 2010 20:36:28 +0000`. */
export function rfc2822(epochMs: number): string {
  return new Date(epochMs).toUTCString().replace('GMT', '+0000');
}

const CALL_SUBRESOURCES = [
  'feedback',
  'notifications',
  'recordings',
  'streams',
  'payments',
  'user_defined_message_subscriptions',
  'user_defined_messages',
  'events',
  'siprec',
  'transcriptions',
] as const;

function subresourceName(key: (typeof CALL_SUBRESOURCES)[number]): string {
  const names: Record<string, string> = {
    feedback: 'Feedback',
    user_defined_message_subscriptions: 'UserDefinedMessageSubscriptions',
    user_defined_messages: 'UserDefinedMessages',
  };
  return names[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** `+14155550100` → `(415) 555-0100` for North American numbers, E.164 otherwise (as Twilio's *_formatted fields). */
export function formatForDisplay(e164: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : e164;
}

export function toCallResource(call: SimulatedCall): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${call.accountSid}/Calls/${call.sid}`;
  return {
    sid: call.sid,
    date_created: rfc2822(call.dateCreated),
    date_updated: rfc2822(call.dateUpdated),
    parent_call_sid: null,
    account_sid: call.accountSid,
    to: call.to,
    to_formatted: formatForDisplay(call.to),
    from: call.from,
    from_formatted: formatForDisplay(call.from),
    phone_number_sid: null,
    status: call.status,
    start_time: call.startTime === null ? null : rfc2822(call.startTime),
    end_time: call.endTime === null ? null : rfc2822(call.endTime),
    duration: call.durationSeconds === null ? null : String(call.durationSeconds),
    // Practice calls cost nothing; Twilio also leaves price null until some time after the call.
    price: null,
    price_unit: 'USD',
    direction: 'outbound-api',
    answered_by: call.answeredBy,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `${base}.json`,
    subresource_uris: Object.fromEntries(CALL_SUBRESOURCES.map((key) => [key, `${base}/${subresourceName(key)}.json`])),
  };
}
