import { z } from 'zod';
import type { Batch, BatchState, CallAttempt, CallbackMode, CallStatus, Confirmation, DataMode, ReminderOutcome, SkipReason, StatusEvent, StatusSource } from '../domain';
import { settingsSchema, type WeekdayName } from '../settings/schema';
import { EVENT_NAMES, type EventName } from '../vocabulary/events';
import { STATUS_FILTERS } from '../vocabulary/status-filter';
import type { BatchPlan, BatchView, ExportResult, OutcomeCounts, PracticeDataSummary, ResultsView } from './staff-views';

// THE API between the UI and the core, declared once. Electron's IPC gate, the preload bridge, the browser
// preview's HTTP transport and the renderer's client are all typed from this table, so a missing or misspelled
// operation fails to compile, and every argument crossing the boundary is checked with its zod schema.

export type ApiError = {
  kind: 'validation' | 'not-found' | 'conflict' | 'twilio' | 'unavailable' | 'internal';
  /** A plain sentence for staff with what to do next (vocabulary/staff-errors.ts). Never a full phone number. */
  message: string;
  /** The raw technical detail (library message, Twilio code) for a "Details" toggle; also in the log. Phone numbers masked. */
  details?: string;
};
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---- views the UI renders -------------------------------------------------------------------------------

// Issue 8's views (plan, results, follow-up, exports) live in staff-views.ts and are part of this contract.
export type { BatchPlan, BatchView, ExportFormat, ExportResult, FollowUpRow, OutcomeCounts, PlannedSkip, PracticeDataSummary, ResultsView } from './staff-views';

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
  /** Why the call failed, in staff words (phone numbers masked). */
  errorMessage: string | null;
  /** The raw error (Twilio's message and code) for a "Details" toggle, phone numbers masked. */
  errorDetails: string | null;
  confirmation: Confirmation | null;
  /** What this call achieved for the desk (final outcomes, or in-progress / waiting / not-called). */
  outcome: ReminderOutcome;
  /** Set when status is 'skipped': why the patient was not called. */
  skipReason: SkipReason | null;
  updatedAt: string;
}

export interface TimelineView {
  appointment: AppointmentView;
  /** The full number: staff calling a patient back need it (shown in the patient's detail only, never logged). */
  phoneNumber: string;
  /** Newest call first. `callNumber` counts from the oldest (1); `isNewest` marks the first entry. */
  calls: { attempt: CallSummary; events: TimelineEvent[]; callNumber: number; isNewest: boolean }[];
}

export type TimelineEvent = Pick<StatusEvent, 'id' | 'source' | 'sequenceNumber' | 'callStatus' | 'answeredBy' | 'durationSeconds' | 'errorCode' | 'twilioTimestamp' | 'receivedAt'>;

export interface RowErrorView {
  line: number;
  column: string | null;
  value: string | null;
  /** In staff words (e.g. a date format shown as an example date, not as %Y-%m-%d %H:%M). */
  reason: string;
  /** The raw reason when the staff words differ. */
  details?: string;
}

export interface ImportSummary {
  fileName: string;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: RowErrorView[];
}

export interface BatchProgress {
  batch: BatchView;
  counts: Partial<Record<CallStatus | 'pending' | 'dialing' | 'skipped' | 'rejected', number>>;
  total: number;
  finished: number;
  /** Seconds left at the calling pace, null when nothing is left to dial (or the batch is paused). */
  etaSeconds: number | null;
  /** Calls still open when the batch timed out. */
  openCalls: number;
  /** Final outcomes only. */
  outcomes: OutcomeCounts;
  /** Calls placed and not final yet (ringing, on the line): in progress even after a cancel, until they end. */
  liveCalls: number;
  /** Patients the batch will call but has not dialled yet. */
  waiting: number;
  /** Never called: the batch was cancelled first ("710 not called (batch cancelled)"). */
  notCalledCancelled: number;
  /** Left out at the start by a rule, by reason (already reminded, appointment passed, ...). */
  skippedByRule: Partial<Record<SkipReason, number>>;
  /**
   * calling: dialling or waiting for calls; paused; finishing: cancelled / done dialling but calls are still live;
   * done: nothing is live any more (the batch's state is final).
   */
  phase: 'calling' | 'paused' | 'finishing' | 'done';
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
  mode: DataMode;
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
const appointmentIdList = z.array(z.number().int().positive()).max(50_000);
const batchSelection = z
  .object({
    appointmentIds: appointmentIdList.min(1).optional(),
    day: day.optional(),
    /** Already-reminded patients staff chose to call again, one by one. */
    callAgain: appointmentIdList.default([]),
  })
  .refine((a) => a.appointmentIds || a.day, 'choose appointments or a day');
const exportFormat = z.enum(['csv', 'xlsx']).default('csv');
/** Results and follow-up: of one batch or of one clinic day. */
const resultsScope = z.object({ batchId: z.string().min(1).max(64).optional(), day: day.optional() }).refine((a) => !!a.batchId !== !!a.day, 'choose a batch or a day');
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
  /** What practice data exists (for the leave-practice confirmation). */
  'setup/practice-data': op(none).returns<PracticeDataSummary>(),
  /**
   * Leaves practice mode for real calls: the setup wizard opens again and the screens show the real data only.
   * The practice data is kept apart (default) or deleted. Refused while a batch is calling.
   */
  'setup/leave-practice': op(z.object({ practiceData: z.enum(['keep', 'delete']).default('keep') })).returns<AppState & { practiceData: PracticeDataSummary & { action: 'kept' | 'deleted' } }>(),
  /** The wizard's test call: a test-call attempt, never a patient row (hidden from appointments, batches and results). */
  'setup/test-call': op(z.object({ to: z.string().min(3).max(32) })).returns<{ batchId: string; attemptId: number }>(),
  'setup/complete': op(none).returns<AppState>(),
  /** Practice mode only: imports the sample appointments the app ships (the practice wizard offers it). */
  'practice/load-sample': op(none).returns<ImportSummary>(),

  'appointments/list': op(z.object({ day: day.optional(), status: z.enum(STATUS_FILTERS).optional(), search: z.string().max(100).optional() })).returns<AppointmentView[]>(),
  'appointments/import': op(z.object({ fileName: z.string().min(1).max(255), contentBase64: z.string().max(70_000_000) })).returns<ImportSummary>(),
  'appointments/timeline': op(z.object({ appointmentId: z.number().int().positive() })).returns<TimelineView>(),

  /** What a start with the same selection would do; dials nothing. */
  'batches/plan': op(batchSelection).returns<BatchPlan>(),
  /**
   * Applies the same rules as the plan: skipped patients are in the batch as `skipped` with the reason.
   * `alongsideRunning`: staff confirmed a second batch while one runs (else 'conflict').
   */
  'batches/start': op(batchSelection.and(z.object({ alongsideRunning: z.boolean().default(false) }))).returns<BatchProgress>(),
  'batches/pause': op(batchId).returns<BatchProgress>(),
  'batches/resume': op(batchId).returns<BatchProgress>(),
  'batches/cancel': op(batchId).returns<BatchProgress>(),
  'batches/list': op(none).returns<BatchView[]>(),
  /** Every batch of the current mode still calling, paused, or with live calls (the progress view shows them all). */
  'batches/active': op(none).returns<BatchProgress[]>(),
  'batches/progress': op(batchId).returns<BatchProgress>(),
  /** Electron: asks where to save with a dialog and writes the file. Browser preview: returns a download URL. */
  'batches/export': op(batchId.extend({ format: exportFormat })).returns<ExportResult>(),

  /** Outcome counts and the needs-follow-up list of a batch or a clinic day. */
  'results/get': op(resultsScope).returns<ResultsView>(),
  /** The needs-follow-up list as a CSV or Excel file (same hosts' rules as batches/export). */
  'results/export-follow-up': op(resultsScope.and(z.object({ format: exportFormat }))).returns<ExportResult>(),

  'connection/status': op(none).returns<ConnectionStatus>(),
  'connection/self-test': op(none).returns<SelfTestView>(),

  'settings/get': op(none).returns<EditableSettings>(),
  'settings/update': op(editableSettingsSchema.partial(), EDITABLE_SETTING_KEYS).returns<EditableSettings>(),
  /** `keypadPrompt`: what the call asks after the message (press 1 / 2), so the preview shows everything a patient hears. */
  'settings/preview-message': op(z.object({ template: z.string().max(3000) })).returns<{ text: string; problems: string[]; keypadPrompt?: string }>(),

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
  /** Pushed for every batch whose progress changes; several batches may be running at once. */
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
