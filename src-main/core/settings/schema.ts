import { z } from 'zod';
import { validateMessageTemplate } from '../appointments/reminder-message';
import { validateDateFormat } from '../appointments/strftime-pattern';

// The settings.yaml schema. Keys written for the Python predecessor keep their names and meaning;
// every section is loose so a key we do not know yet is kept (and reported) rather than rejected.

const E164 = /^\+[1-9]\d{6,14}$/;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, e.g. "09:00"');

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Python's logging size could be written as a number of bytes or as "10MB". */
const byteSize = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*(b|kb|mb|gb)?\s*$/i, 'a size such as 10485760 or "10MB"')
    .transform((text) => {
      const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text)!;
      const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
      return Math.round(Number(match[1]) * factor);
    }),
]);

/** Adapts a domain validator that lists problems in plain words to zod issues. */
function reportProblems(validate: (value: string) => string[]) {
  return (value: string, ctx: z.RefinementCtx) => {
    for (const message of validate(value)) ctx.addIssue({ code: 'custom', message });
  };
}

const optionalUrl = z
  .union([z.url({ protocol: /^https?$/, error: 'a full http(s) URL such as https://abc123.ngrok.io/status' }), z.literal(''), z.null()])
  .optional()
  .transform((value) => (value ? value : null));

/** Minimum detail (first name, day, time, place; never the reason for the visit): anyone may pick up the phone. */
export const DEFAULT_MESSAGE_TEMPLATE =
  'Hello {first_name}. This is a reminder of your appointment on {appointment_date} at {appointment_time}{location_text}.';

/** What an answering machine records: no name beyond the first, no keypad prompt, the clinic's number to call back. */
export const DEFAULT_VOICEMAIL_TEMPLATE =
  'Hello {first_name}. This is a reminder of your appointment on {appointment_date} at {appointment_time}{location_text}. To confirm or change it, please call us back{callback_number_text}. Thank you.';

export const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

/** "mon" / "Monday" / "MONDAY" -> "monday". */
const weekday = z
  .string()
  .transform((text) => text.trim().toLowerCase())
  .pipe(z.string().refine((day) => WEEKDAY_NAMES.some((name) => name.startsWith(day) && day.length >= 3), 'a day of the week such as "monday" or "mon"'))
  .transform((day) => WEEKDAY_NAMES.find((name) => name.startsWith(day))!);

const hoursBefore = z.number().positive().max(24 * 14);

const languageCode = z.string().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, 'a lower-case language code such as en or es');

export const settingsSchema = z.looseObject({
  scheduling: z
    .looseObject({
      /** One reminder (24) or several, e.g. [48, 2]: each is a separate call, due that many hours before. */
      reminder_hours_before: z.union([hoursBefore, z.array(hoursBefore).min(1).max(5)]).default(24),
      /** Days the clinic calls on (with calling_hours); default Monday–Saturday. */
      calling_days: z
        .array(weekday)
        .min(1)
        .default(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'])
        .transform((days) => [...new Set(days)]),
      timezone: z
        .string()
        .refine(isTimeZone, 'an IANA time zone such as "America/New_York"')
        .default(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
      check_interval_minutes: z.number().positive().max(24 * 60).default(15),
      call_immediately: z.boolean().default(false),
      calling_hours: z
        .object({ start: hhmm, end: hhmm })
        .refine((h) => h.start < h.end, 'start must be before end')
        .default({ start: '09:00', end: '19:00' }),
    })
    .prefault({}),
  calling: z
    .looseObject({
      max_retries: z.number().int().min(0).max(10).default(2),
      retry_delay_seconds: z.number().int().min(0).max(86_400).default(300),
      call_timeout_seconds: z.number().int().min(5).max(600).default(30),
      detect_voicemail: z.boolean().default(true),
      /** What a call that reached an answering machine does: leave the voicemail message (reached), retry it, or hang up. */
      voicemail_action: z.enum(['leave_message', 'retry', 'hang_up']).default('leave_message'),
      status_callback_url: optionalUrl,
      calls_per_second: z.number().positive().max(100).default(1),
    })
    .prefault({}),
  data: z
    .looseObject({
      required_columns: z.array(z.string().min(1)).default(['name', 'phone_number', 'appointment_date']),
      date_format: z.string().min(1).superRefine(reportProblems(validateDateFormat)).default('%Y-%m-%d %H:%M'),
      fallback_date_format: z.string().min(1).superRefine(reportProblems(validateDateFormat)).default('%m/%d/%Y %H:%M'),
    })
    .prefault({}),
  logging: z
    .looseObject({
      log_file: z.string().min(1).default('logs/reminder-desk.log'),
      log_level: z
        .string()
        .transform((level) => level.trim().toLowerCase())
        .pipe(z.enum(['debug', 'info', 'warning', 'warn', 'error', 'critical']))
        .transform((level) => (level === 'warning' ? 'warn' : level === 'critical' ? 'error' : level))
        .default('info'),
      max_log_size: byteSize.default(10 * 1024 * 1024),
      backup_count: z.number().int().min(0).max(100).default(5),
      /** The predecessor's batch log: every finished batch's rows are appended here (relative to the data folder). */
      batch_log_file: z.string().min(1).nullable().optional().transform((v) => v ?? null),
    })
    .prefault({}),
  message: z
    .looseObject({
      message_template: z.string().min(1).max(3000).superRefine(reportProblems(validateMessageTemplate)).default(DEFAULT_MESSAGE_TEMPLATE),
      /** Language code -> template; `en` falls back to message_template. The appointment's `language` column picks one. */
      templates: z.record(languageCode, z.string().min(1).max(3000).superRefine(reportProblems(validateMessageTemplate))).default({}),
      /** Language code -> Twilio <Say> voice and language, e.g. es: { voice: Polly.Lupe, language: es-US }. */
      voices: z
        .record(languageCode, z.looseObject({ voice: z.string().min(1).max(100).optional(), language: z.string().min(2).max(20).optional() }))
        .default({}),
      voicemail_template: z.string().min(1).max(3000).superRefine(reportProblems(validateMessageTemplate)).default(DEFAULT_VOICEMAIL_TEMPLATE),
      /** Language code -> voicemail template; `en` (and any language without one) falls back to voicemail_template. */
      voicemail_templates: z.record(languageCode, z.string().min(1).max(3000).superRefine(reportProblems(validateMessageTemplate))).default({}),
      /** The clinic's number, spoken in the voicemail message ({callback_number}). */
      callback_number: z.string().min(3).max(40).nullable().optional().transform((v) => v ?? null),
      /** Keypad wording: what 2 does ("cancel", or e.g. "reschedule"). */
      cancel_word: z.string().min(1).max(40).default('cancel'),
    })
    .prefault({}),
  twilio: z
    .looseObject({
      account_sid: z
        .string()
        .regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio Account SID: "AC" followed by 32 hex digits')
        .nullable()
        .optional()
        .transform((v) => v ?? null),
      from_number: z
        .string()
        .regex(E164, 'a phone number in E.164 form such as +15551234567')
        .nullable()
        .optional()
        .transform((v) => v ?? null),
      api_base_url: z.url({ protocol: /^https?$/ }).default('https://api.twilio.com'),
    })
    .prefault({}),
  server: z
    .looseObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(8080),
    })
    .prefault({}),
  phone: z
    .looseObject({
      default_region: z
        .string()
        .regex(/^[A-Z]{2}$/, 'a two-letter country code such as US or GB')
        .default('US'),
    })
    .prefault({}),
  tunnel: z
    .looseObject({
      /** Unset: ngrok when an authtoken is available, else none. */
      provider: z.enum(['ngrok', 'none']).nullable().optional().transform((v) => v ?? null),
      domain: z.string().min(1).nullable().optional().transform((v) => v ?? null),
    })
    .prefault({}),
  callbacks: z
    .looseObject({
      retention_days: z.number().positive().max(365).default(7),
      /** How long after a call should have ended the reconciliation sweep asks Twilio about it. */
      reconcile_after_minutes: z.number().positive().max(24 * 60).default(5),
    })
    .prefault({}),
  import: z
    .looseObject({
      /** A clinic's day is a few hundred rows; these bound what one file can cost the app (memory, time). */
      max_file_mb: z.number().positive().max(1024).default(20),
      max_rows: z.number().int().positive().max(5_000_000).default(100_000),
      /** .xlsx: the workbook's text (xl/sharedStrings.xml) unpacked, checked before anything is expanded. */
      max_xlsx_shared_strings_mb: z.number().positive().max(1024).default(20),
      /** .xlsx: every part of the workbook unpacked together. */
      max_xlsx_unpacked_mb: z.number().positive().max(4096).default(100),
    })
    .prefault({}),
  batch: z
    .looseObject({
      /** How long a batch waits for open calls to reach a final status before it is closed as timed out. */
      max_wait_minutes: z.number().positive().max(24 * 60).default(30),
    })
    .prefault({}),
  simulator: z
    .looseObject({
      /** 1 = real-time call progress; 0.05 = twenty times faster. */
      time_scale: z.number().positive().max(10).default(1),
      shuffle_callbacks: z.boolean().default(false),
      duplicate_callbacks: z.boolean().default(false),
      drop_callbacks: z.number().min(0).max(1).default(0),
      rate_limit_every: z.number().int().min(0).default(0),
      seed: z.number().int().default(1),
    })
    .prefault({}),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** Keys that hold secrets: never read from settings.yaml, never written to it. */
export const SECRET_KEYS_IN_YAML = ['twilio.auth_token', 'twilio.api_key_secret', 'tunnel.authtoken', 'ngrok.authtoken'] as const;
