import { z } from 'zod';
import type { Batch, BatchState, CallAttempt, CallbackMode, CallStatus, Confirmation, StatusEvent, StatusSource } from '../domain';
import { settingsSchema, type WeekdayName } from '../settings/schema';
import { EVENT_NAMES, type EventName } from '../vocabulary/events';
import { STATUS_FILTERS } from '../vocabulary/status-filter';

// THE API between the UI and the core, declared once. Electron's IPC gate, the preload bridge, the browser
// preview's HTTP transport and the renderer's client are all typed from this table, so a missing or misspelled
// operation fails to compile, and every argument crossing the boundary is checked with its zod schema.

export type ApiError = { kind: 'validation' | 'not-found' | 'conflict' | 'twilio' | 'unavailable' | 'internal'; message: string };
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---- views the UI renders -------------------------------------------------------------------------------

export interface AppointmentView {
  id: number;
  name: string;
  maskedPhone: string;
  appointmentAt: string;
  location: string | null;
  confirmation: Confirmation | null;
  /** When the keypad answer arrived. */
  confirmedAt: string | null;
  /** The number is on the do-not-call list: no batch, scheduler or retry calls it. */
  onDoNotCallList: boolean;
  /** The latest reminder call of this appointment, if any. */
  call: CallSummary | null;
}

export interface CallSummary {
  attemptId: number;
  batchId: string;
  callSid: string | null;
  /** 'pending' / 'dialing' before Twilio reports, then Twilio's status. */
  status: CallStatus | 'pending' | 'dialing' | 'skipped';
  isFinal: boolean;
  source: StatusSource | null;
  answered: boolean;
  answeredBy: string | null;
  durationSeconds: number | null;
  errorMessage: string | null;
  confirmation: Confirmation | null;
  updatedAt: string;
}

export interface TimelineView {
  appointment: AppointmentView;
  calls: { attempt: CallSummary; events: TimelineEvent[] }[];
}

export type TimelineEvent = Pick<StatusEvent, 'id' | 'source' | 'sequenceNumber' | 'callStatus' | 'answeredBy' | 'durationSeconds' | 'errorCode' | 'twilioTimestamp' | 'receivedAt'>;

export interface RowErrorView {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface ImportSummary {
  fileName: string;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: RowErrorView[];
}

export interface BatchProgress {
  batch: Batch;
  counts: Partial<Record<CallStatus | 'pending' | 'dialing' | 'skipped' | 'rejected', number>>;
  total: number;
  finished: number;
  /** Seconds left at the calling pace, null when nothing is left to dial. */
  etaSeconds: number | null;
  /** Calls still open when the batch timed out. */
  openCalls: number;
}

export interface ConnectionStatus {
  mode: CallbackMode;
  simulated: boolean;
  /** The public base URL (tunnel / own server / simulator loopback), null in polling mode. */
  publicUrl: string | null;
  statusCallbackUrl: string | null;
  tunnel: { state: 'off' | 'connecting' | 'online' | 'reconnecting' | 'failed'; error: { code: string | null; title: string; fix: string } | null } | null;
  lastCallbackAt: string | null;
  rejectedSignatures: number;
  /** Plain-language reason callbacks are rejected, from the signature diagnostics. */
  rejectionReason: string | null;
  /** One line for the status bar, e.g. "Live: callbacks through ngrok (https://…)" or "Polling: no public URL". */
  summary: string;
}

export interface SelfTestView {
  ok: boolean;
  hop: 'server-not-listening' | 'tunnel-down' | 'url-mismatch' | 'signature-rejected' | 'no-public-url' | null;
  message: string;
  details: string[];
}

export interface AppState {
  version: string;
  setupComplete: boolean;
  practiceMode: boolean;
  dataDir: string;
  settingsFile: string;
  timezone: string;
  fromNumber: string | null;
  secretStorage: string;
  /**
   * A saved secret this computer can no longer read (keyring gone, Windows profile moved), in words for staff,
   * e.g. "the saved Twilio token can't be read on this computer any more — enter it again"; null when all is well.
   */
  secretProblem: string | null;
}

export interface EditableSettings {
  messageTemplate: string;
  callsPerSecond: number;
  maxRetries: number;
  retryDelaySeconds: number;
  callTimeoutSeconds: number;
  detectVoicemail: boolean;
  /** What a call answered by a machine does: leave the voicemail message, retry later, or hang up. */
  voicemailAction: 'leave_message' | 'retry' | 'hang_up';
  callingHours: { start: string; end: string };
  /** Days calls may be made on, lower-case English day names. */
  callingDays: WeekdayName[];
  timezone: string;
  defaultRegion: string;
}

/** The "Automatic reminders" switch and what it will do next ("Next: 12 reminders at 2:00 PM"). */
export interface AutomaticRemindersView {
  enabled: boolean;
  /** The switch is stored per mode: practice mode's never turns on real calls. */
  practice: boolean;
  /** False until Twilio (or practice mode) can place calls; the reason says what is missing. */
  available: boolean;
  unavailableReason: string | null;
  /** When the next reminders will be called and how many (at null: none in the next two weeks). */
  next: { at: string | null; count: number };
}

export interface DoNotCallView {
  phoneNumber: string;
  reason: string | null;
  source: 'keypad' | 'staff' | 'import';
  addedAt: string;
}

/** The settings screen's preview of one language: what a person and an answering machine hear. */
export interface LanguagePreview {
  language: string;
  voice: string | null;
  text: string;
  voicemailText: string;
}

export interface CallbackRequestView {
  id: number;
  receivedAt: string;
  method: string;
  path: string;
  callSid: string | null;
  signatureVerdict: 'valid' | 'invalid' | 'missing' | 'not-checked';
  rejectionReason: string | null;
  responseStatus: number;
  latencyMs: number;
}

// ---- argument schemas -------------------------------------------------------------------------------------

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const batchId = z.object({ batchId: z.string().min(1).max(64) });
const none = z.object({}).strict();

// The settings staff may edit are a subset of the one settings.yaml schema, checked by the same rules; this table
// names each one's settings.yaml key (for messages and for mapping a patch onto settings.yaml).
export const EDITABLE_SETTING_KEYS = {
  messageTemplate: 'message.message_template',
  callsPerSecond: 'calling.calls_per_second',
  maxRetries: 'calling.max_retries',
  retryDelaySeconds: 'calling.retry_delay_seconds',
  callTimeoutSeconds: 'calling.call_timeout_seconds',
  detectVoicemail: 'calling.detect_voicemail',
  voicemailAction: 'calling.voicemail_action',
  callingHours: 'scheduling.calling_hours',
  callingDays: 'scheduling.calling_days',
  timezone: 'scheduling.timezone',
  defaultRegion: 'phone.default_region',
} as const satisfies Record<keyof EditableSettings, string>;

const message = settingsSchema.shape.message.unwrap().shape;
const calling = settingsSchema.shape.calling.unwrap().shape;
const scheduling = settingsSchema.shape.scheduling.unwrap().shape;
const phone = settingsSchema.shape.phone.unwrap().shape;
export const editableSettingsSchema = z.object({
  messageTemplate: message.message_template.unwrap(),
  callsPerSecond: calling.calls_per_second.unwrap(),
  maxRetries: calling.max_retries.unwrap(),
  retryDelaySeconds: calling.retry_delay_seconds.unwrap(),
  callTimeoutSeconds: calling.call_timeout_seconds.unwrap(),
  detectVoicemail: calling.detect_voicemail.unwrap(),
  voicemailAction: calling.voicemail_action.unwrap(),
  callingHours: scheduling.calling_hours.unwrap(),
  callingDays: scheduling.calling_days,
  timezone: scheduling.timezone.unwrap(),
  defaultRegion: z.string().transform((region) => region.trim().toUpperCase()).pipe(phone.default_region.unwrap()),
}) satisfies z.ZodType<EditableSettings, unknown>;

/** `fieldNames`: what a validation message calls an argument (settings name their settings.yaml key). */
function op<A extends z.ZodType>(args: A, fieldNames: Readonly<Record<string, string>> = {}) {
  return {
    returns<R>() {
      return { args, fieldNames, result: undefined as unknown as R };
    },
  };
}

export const apiContract = {
  'app/get-state': op(none).returns<AppState>(),

  'setup/check-twilio': op(z.object({ accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID starts with AC and has 34 characters'), authToken: z.string().min(16).max(128) })).returns<{ friendlyName: string; numbers: { phoneNumber: string; friendlyName: string }[] }>(),
  'setup/save-twilio': op(z.object({ accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/), authToken: z.string().min(16).max(128), fromNumber: z.string().regex(/^\+[1-9]\d{6,14}$/) })).returns<AppState>(),
  'setup/configure-callbacks': op(
    z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('tunnel'), ngrokAuthtoken: z.string().min(10).max(200).optional(), domain: z.string().max(253).nullable().optional() }),
      z.object({ mode: z.literal('own-url'), statusCallbackUrl: z.url({ protocol: /^https?$/ }) }),
      z.object({ mode: z.literal('polling') }),
    ]),
  ).returns<ConnectionStatus>(),
  'setup/start-practice': op(none).returns<AppState>(),
  /** Leaves practice mode for real calls: the setup wizard opens again. Refused while a batch is calling. */
  'setup/leave-practice': op(none).returns<AppState>(),
  'setup/test-call': op(z.object({ to: z.string().min(3).max(32) })).returns<{ batchId: string; attemptId: number }>(),
  'setup/complete': op(none).returns<AppState>(),
  /** Practice mode only: imports the sample appointments the app ships (the practice wizard offers it). */
  'practice/load-sample': op(none).returns<ImportSummary>(),

  'appointments/list': op(z.object({ day: day.optional(), status: z.enum(STATUS_FILTERS).optional(), search: z.string().max(100).optional() })).returns<AppointmentView[]>(),
  'appointments/import': op(z.object({ fileName: z.string().min(1).max(255), contentBase64: z.string().max(70_000_000) })).returns<ImportSummary>(),
  'appointments/timeline': op(z.object({ appointmentId: z.number().int().positive() })).returns<TimelineView>(),

  'batches/start': op(z.object({ appointmentIds: z.array(z.number().int().positive()).min(1).max(50_000).optional(), day: day.optional() }).refine((a) => a.appointmentIds || a.day, 'choose appointments or a day')).returns<BatchProgress>(),
  'batches/pause': op(batchId).returns<BatchProgress>(),
  'batches/resume': op(batchId).returns<BatchProgress>(),
  'batches/cancel': op(batchId).returns<BatchProgress>(),
  'batches/list': op(none).returns<Batch[]>(),
  'batches/progress': op(batchId).returns<BatchProgress>(),
  /** Electron: asks where to save with a dialog and writes the file. Browser preview: returns a download URL. */
  'batches/export': op(batchId).returns<{ savedTo: string | null; downloadUrl: string | null }>(),

  'connection/status': op(none).returns<ConnectionStatus>(),
  'connection/self-test': op(none).returns<SelfTestView>(),

  'settings/get': op(none).returns<EditableSettings>(),
  'settings/update': op(editableSettingsSchema.partial(), EDITABLE_SETTING_KEYS).returns<EditableSettings>(),
  'settings/preview-message': op(z.object({ template: z.string().max(3000) })).returns<{ text: string; problems: string[] }>(),

  'automatic/get': op(none).returns<AutomaticRemindersView>(),
  /** Turning it on in real mode lets the app call patients on its own: the UI asks staff to confirm first. */
  'automatic/set': op(z.object({ enabled: z.boolean() })).returns<AutomaticRemindersView>(),

  'do-not-call/list': op(none).returns<DoNotCallView[]>(),
  'do-not-call/add': op(z.object({ number: z.string().min(3).max(40), reason: z.string().max(200).optional() })).returns<DoNotCallView[]>(),
  'do-not-call/remove': op(z.object({ phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/) })).returns<DoNotCallView[]>(),

  'settings/preview-languages': op(none).returns<LanguagePreview[]>(),

  'callbacks/list': op(z.object({ limit: z.number().int().min(1).max(1000).default(200), callSid: z.string().max(64).optional() })).returns<CallbackRequestView[]>(),
} as const;

export type { WeekdayName };
export type ApiContract = typeof apiContract;
export type OperationName = keyof ApiContract;
export type OperationArgs<K extends OperationName> = z.input<ApiContract[K]['args']>;
export type ParsedArgs<K extends OperationName> = z.output<ApiContract[K]['args']>;
export type OperationResult<K extends OperationName> = ApiContract[K]['result'];

/** What the core implements; hosts (Electron, preview) may override single operations such as `batches/export`. */
export type ApiHandlers = { [K in OperationName]: (args: ParsedArgs<K>) => Promise<OperationResult<K>> | OperationResult<K> };
/** One room's share of the handler table; the engine merges the slices and the compiler checks none is missing. */
export type HandlerSlice<K extends OperationName> = Pick<ApiHandlers, K>;

// ---- events pushed from the core to the UI -----------------------------------------------------------------

export interface ApiEvents {
  'call-updated': { appointmentId: number; call: CallSummary };
  'batch-progress': BatchProgress;
  'connection-changed': ConnectionStatus;
  'appointments-changed': { reason: 'import' | 'batch' | 'confirmation' };
  'callback-rejected': { count: number; reason: string | null };
}
// Every event name of the vocabulary has a payload here, and nothing else does.
export type { EventName };
export { EVENT_NAMES };
type EveryEventHasAPayload = [EventName] extends [keyof ApiEvents] ? ([keyof ApiEvents] extends [EventName] ? true : never) : never;
export const EVENTS_MATCH_VOCABULARY: EveryEventHasAPayload = true;

/** The client side: one function per operation, never rejecting (errors come back as values). */
export interface ApiClient {
  invoke<K extends OperationName>(operation: K, args: OperationArgs<K>): Promise<Envelope<OperationResult<K>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

export function isOperationName(value: unknown): value is OperationName {
  return typeof value === 'string' && Object.hasOwn(apiContract, value);
}

/** Validates an operation's arguments at the trust boundary; returns an envelope error instead of throwing. */
export function parseOperationArgs<K extends OperationName>(operation: K, args: unknown): Envelope<ParsedArgs<K>> {
  const { args: schema, fieldNames } = apiContract[operation];
  const result = schema.safeParse(args ?? {});
  if (result.success) return { ok: true, value: result.data as ParsedArgs<K> };
  const named = (path: PropertyKey[]): string => {
    const [first, ...rest] = path.map(String);
    return first === undefined ? 'arguments' : [(fieldNames as Record<string, string>)[first] ?? first, ...rest].join('.');
  };
  const message = result.error.issues.map((i) => `${named(i.path)}: ${i.message}`).join('; ');
  return { ok: false, error: { kind: 'validation', message } };
}

export type { Batch, BatchState, CallAttempt };
