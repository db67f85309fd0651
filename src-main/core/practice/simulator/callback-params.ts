import type { SimulatedCall, StatusCallbackEventName } from './call-record';
import { rfc2822 } from './call-record';

// The parameters Twilio sends to voice webhooks (TwiML fetch, <Gather> action) and to status callbacks.

/** The status a webhook reports: status callbacks say `initiated` where the Call resource still says `queued`. */
export type WebhookCallStatus = 'initiated' | SimulatedCall['status'];

export function voiceWebhookParams(call: SimulatedCall, callStatus: WebhookCallStatus): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: call.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: call.sid,
    CallStatus: callStatus,
    Called: call.to,
    Caller: call.from,
    Direction: 'outbound-api',
    From: call.from,
    To: call.to,
  };
  if (call.answeredBy !== null) params.AnsweredBy = call.answeredBy;
  return params;
}

export function gatherParams(call: SimulatedCall, digits: string): Record<string, string> {
  // No key (the Gather timed out, actionOnEmptyResult): Twilio posts without Digits.
  const params: Record<string, string> = { ...voiceWebhookParams(call, 'in-progress'), FinishedOnKey: '' };
  if (digits !== '') params.Digits = digits;
  return params;
}

export function statusCallbackParams(
  call: SimulatedCall,
  event: StatusCallbackEventName,
  sequenceNumber: number,
  nowMs: number,
): Record<string, string> {
  const callStatus: WebhookCallStatus = event === 'initiated' ? 'initiated' : event === 'ringing' ? 'ringing' : event === 'answered' ? 'in-progress' : call.status;
  const params: Record<string, string> = {
    ...voiceWebhookParams(call, callStatus),
    CallbackSource: 'call-progress-events',
    SequenceNumber: String(sequenceNumber),
    Timestamp: rfc2822(nowMs),
  };
  if (event === 'completed') {
    const seconds = call.durationSeconds ?? 0;
    params.CallDuration = String(seconds);
    if (call.status === 'completed') params.Duration = String(Math.ceil(seconds / 60));
    if (call.sipResponseCode !== null) params.SipResponseCode = String(call.sipResponseCode);
  }
  return params;
}
