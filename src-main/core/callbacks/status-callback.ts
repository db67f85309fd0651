import { z } from 'zod';
import { CALL_STATUSES } from '../calls/call-status';
import type { CallStatus } from '../domain';
import type { StatusEventInput } from '../store/status-events';

// The body of a Twilio status callback, validated at the edge (form fields are all strings; Twilio sends some
// of them empty). Only the fields the store derives state from are checked; every parameter is kept raw.

/** Twilio sends absent values as empty strings (`ForwardedFrom=`): treat them as absent. */
const optionalText = (max: number) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.string().max(max).optional());

const optionalCount = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .optional(),
);

/** RFC 2822 (`Tue, 24 Nov 2026 14:03:46 +0000`) -> ISO 8601 in UTC. */
const rfc2822Timestamp = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .max(64)
    .regex(/^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|GMT|UTC|UT|Z)$/, 'must be an RFC 2822 date')
    .transform((value, ctx) => {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) {
        ctx.addIssue({ code: 'custom', message: 'must be an RFC 2822 date' });
        return z.NEVER;
      }
      return new Date(ms).toISOString();
    })
    .optional(),
);

export const statusCallbackSchema = z.object({
  CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'must be a Twilio call SID (CA followed by 32 hex digits)'),
  CallStatus: z.enum(CALL_STATUSES as unknown as [CallStatus, ...CallStatus[]], {
    error: (issue) => (issue.input === undefined ? 'missing' : `unknown call status "${String(issue.input).slice(0, 40)}"`),
  }),
  SequenceNumber: optionalCount,
  Timestamp: rfc2822Timestamp,
  CallDuration: optionalCount,
  AnsweredBy: optionalText(64),
  ErrorCode: optionalText(16),
  ErrorMessage: optionalText(1000),
});

export type StatusCallbackParse = { ok: true; event: StatusEventInput } | { ok: false; error: string };

/** Turns a status callback's form parameters into the store's event, or a plain reason it is malformed. */
export function parseStatusCallback(params: Record<string, string>, receivedAt: string): StatusCallbackParse {
  const parsed = statusCallbackSchema.safeParse(params);
  if (!parsed.success) {
    const error = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
    return { ok: false, error: `Malformed status callback (${error})` };
  }
  const p = parsed.data;
  return {
    ok: true,
    event: {
      callSid: p.CallSid,
      source: 'callback',
      sequenceNumber: p.SequenceNumber ?? null,
      callStatus: p.CallStatus,
      answeredBy: p.AnsweredBy ?? null,
      durationSeconds: p.CallDuration ?? null,
      errorCode: p.ErrorCode ?? null,
      errorMessage: p.ErrorMessage ?? null,
      twilioTimestamp: p.Timestamp ?? null,
      params,
      receivedAt,
    },
  };
}
