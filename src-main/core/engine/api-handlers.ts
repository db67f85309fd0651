import type { ApiHandlers, AppState, AppointmentView, BatchProgress, CallbackRequestView, EditableSettings } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import { normalisePhoneNumber } from '../appointments/phone-number';
import { ImportFileError, readAppointmentsBuffer } from '../appointments/read-appointments';
import { renderReminderMessage, validateMessageTemplate } from '../appointments/reminder-message';
import { GATHER_PROMPT } from '../twilio/reminder-twiml';
import { listCallbackRequests } from '../store/callback-requests';
import type { Engine, EngineContext } from '../engine';
import { saveSettings, SettingsError } from '../settings/load-settings';
import type { Settings, SettingsInput } from '../settings/schema';
import { getMeta, setMeta } from '../store/app-meta';
import { isInScope, listAppointments, upsertAppointments } from '../store/appointments';
import { activeBatches, getBatch, listBatches } from '../store/batches';
import { latestAttemptsByAppointment, listAppointmentAttempts, listBatchAttempts } from '../store/call-attempts';
import { countPracticeData } from '../store/practice-data';
import { batchResults, dayResults } from '../results/results';
import { nowIso } from '../store/database';
import { listCallEvents } from '../store/status-events';
import { checkTwilioAccount, createTwilioClient, describeTwilioError } from '../twilio/twilio-client';
import { APP_VERSION } from './app-version';
import { clinicDayRange } from './clinic-day';
import type { EngineServices } from './services';
import { defaultExportPath, exportFileName } from '../export/exports';
import { batchProgress, toAppointmentView, toBatchView, toCallbackRequestView, toCallSummary, toTimelineEvent } from './views';

// The core's implementation of every operation in the API contract. Arguments arrive already checked
// by the contract's zod schemas (invokeOperation); what is thrown as ApiFailure reaches staff as its message.

const PREVIEW_APPOINTMENT = { name: 'Alex Morgan', location: 'Main Street Clinic' };

export function toEditableSettings(settings: Settings): EditableSettings {
  return {
    messageTemplate: settings.message.message_template,
    callsPerSecond: settings.calling.calls_per_second,
    maxRetries: settings.calling.max_retries,
    retryDelaySeconds: settings.calling.retry_delay_seconds,
    callTimeoutSeconds: settings.calling.call_timeout_seconds,
    detectVoicemail: settings.calling.detect_voicemail,
    callingHours: settings.scheduling.calling_hours,
    timezone: settings.scheduling.timezone,
    defaultRegion: settings.phone.default_region,
  };
}

function toSettingsPatch(patch: Partial<EditableSettings>): SettingsInput {
  const calling: Record<string, unknown> = {};
  const scheduling: Record<string, unknown> = {};
  const out: Record<string, Record<string, unknown>> = {};
  if (patch.messageTemplate !== undefined) out.message = { message_template: patch.messageTemplate };
  if (patch.callsPerSecond !== undefined) calling.calls_per_second = patch.callsPerSecond;
  if (patch.maxRetries !== undefined) calling.max_retries = patch.maxRetries;
  if (patch.retryDelaySeconds !== undefined) calling.retry_delay_seconds = patch.retryDelaySeconds;
  if (patch.callTimeoutSeconds !== undefined) calling.call_timeout_seconds = patch.callTimeoutSeconds;
  if (patch.detectVoicemail !== undefined) calling.detect_voicemail = patch.detectVoicemail;
  if (patch.callingHours !== undefined) scheduling.calling_hours = patch.callingHours;
  if (patch.timezone !== undefined) scheduling.timezone = patch.timezone;
  if (patch.defaultRegion !== undefined) out.phone = { default_region: patch.defaultRegion.toUpperCase() };
  if (Object.keys(calling).length) out.calling = calling;
  if (Object.keys(scheduling).length) out.scheduling = scheduling;
  return out as SettingsInput;
}

/** Status filter words the board offers besides Twilio's own statuses. */
function matchesStatus(view: AppointmentView, status: string | undefined): boolean {
  if (!status || status === 'all') return true;
  if (status === 'none' || status === 'not-called') return view.call === null;
  if (status === 'open') return view.call !== null && !view.call.isFinal;
  if (status === 'final') return view.call?.isFinal === true;
  if (status === 'confirmed' || status === 'cancelled') return view.confirmation === status;
  return view.call?.status === status;
}

export function createApiHandlers(engine: Engine, ctx: EngineContext, services: EngineServices): ApiHandlers {
  const db = ctx.db;
  const settings = (): Settings => ctx.getSettings();
  const now = (): string => nowIso(ctx.clock);

  const updateSettings = (patch: SettingsInput): Settings => {
    try {
      const next = saveSettings(ctx.settingsFile, patch);
      ctx.setSettings(next);
      return next;
    } catch (error) {
      if (error instanceof SettingsError) throw new ApiFailure('validation', error.issues.length ? error.issues.join('; ') : error.message);
      throw error;
    }
  };

  const appState = (): AppState => ({
    version: APP_VERSION,
    setupComplete: getMeta(db, 'setup_complete') === '1',
    practiceMode: services.practice,
    mode: services.practice ? 'practice' : 'real',
    dataDir: ctx.dataDir,
    settingsFile: ctx.settingsFile,
    timezone: settings().scheduling.timezone,
    fromNumber: services.fromNumber(),
    secretStorage: ctx.secrets.description,
  });

  const scope = () => ({ practice: services.practice });
  /** A batch of the current mode (practice and real data never mix: the other mode's batches are not found). */
  const batchOf = (batchId: string) => {
    const batch = getBatch(db, batchId);
    if (!batch || batch.simulated !== services.practice) throw new ApiFailure('not-found', `There is no batch ${batchId}.`);
    return batch;
  };
  const progressOf = (batchId: string): BatchProgress => batchProgress(db, batchOf(batchId), settings().calling.calls_per_second);

  const appointmentView = (id: number): AppointmentView => {
    const appointment = services.appointment(id);
    if (!appointment || !isInScope(db, id, scope())) throw new ApiFailure('not-found', `There is no appointment ${id}.`);
    return toAppointmentView(appointment, listAppointmentAttempts(db, id)[0] ?? null);
  };

  return {
    'app/get-state': () => appState(),

    'setup/check-twilio': async ({ accountSid, authToken }) => {
      const client = createTwilioClient({ accountSid, authToken, apiBaseUrl: settings().twilio.api_base_url });
      try {
        return await checkTwilioAccount(client);
      } catch (error) {
        const info = describeTwilioError(error);
        const message =
          info.status === 401 ? 'Twilio did not accept this Account SID and Auth Token. Copy both again from the Twilio Console.' : info.message;
        throw new ApiFailure('twilio', message);
      }
    },

    'setup/save-twilio': ({ accountSid, authToken, fromNumber }) => {
      // The token and SID go to the secret store (OS keychain in the app); settings.yaml gets only what may be shared.
      ctx.secrets.set('TWILIO_AUTH_TOKEN', authToken);
      ctx.secrets.set('TWILIO_ACCOUNT_SID', accountSid);
      updateSettings({ twilio: { account_sid: accountSid, from_number: fromNumber } });
      services.resetTwilioClient();
      return appState();
    },

    'setup/configure-callbacks': async (args) => {
      if (args.mode === 'tunnel') {
        if (args.ngrokAuthtoken) ctx.secrets.set('NGROK_AUTHTOKEN', args.ngrokAuthtoken);
        updateSettings({ tunnel: { provider: 'ngrok', domain: args.domain ?? null }, calling: { status_callback_url: null } });
      } else if (args.mode === 'own-url') {
        updateSettings({ calling: { status_callback_url: args.statusCallbackUrl } });
      } else {
        updateSettings({ tunnel: { provider: 'none' }, calling: { status_callback_url: null } });
      }
      await services.startTunnel();
      const status = services.connectionStatus();
      ctx.events.emit('connection-changed', status);
      return status;
    },

    'setup/start-practice': async () => {
      await services.enablePractice();
      return appState();
    },

    'setup/practice-data': () => countPracticeData(db),

    'setup/leave-practice': async ({ practiceData }) => {
      const result = await services.disablePractice({ deletePracticeData: practiceData === 'delete' });
      // The wizard opens again so the real Twilio account, caller number and call updates get set up.
      setMeta(db, 'setup_complete', '0');
      return { ...appState(), practiceData: result };
    },

    'setup/test-call': ({ to }) => {
      const phone = normalisePhoneNumber(to, settings().phone.default_region);
      if (!phone.ok) throw new ApiFailure('validation', phone.reason.replace(/^phone_number/, 'The number'));
      const at = now();
      // A test-call row (never listed with the patients), in this mode's data.
      const summary = upsertAppointments(
        db,
        [
          {
            dedupeKey: `test-call:${phone.e164}:${at}`,
            externalId: null,
            name: 'Test call',
            phoneNumber: phone.e164,
            email: null,
            appointmentAt: at,
            location: null,
          },
        ],
        null,
        at,
        { ...scope(), testCall: true },
      );
      const { batch } = services.startBatch({ appointmentIds: summary.ids }, { testCall: true });
      const attempt = listBatchAttempts(db, batch.id)[0]!;
      ctx.events.emit('appointments-changed', { reason: 'batch' });
      return { batchId: batch.id, attemptId: attempt.id };
    },

    'setup/complete': () => {
      setMeta(db, 'setup_complete', '1');
      return appState();
    },

    'appointments/list': ({ day, status, search }) => {
      const range = day ? clinicDayRange(day, settings().scheduling.timezone) : {};
      const latest = latestAttemptsByAppointment(db);
      return listAppointments(db, { ...scope(), ...range, search })
        .map((appointment) => toAppointmentView(appointment, latest.get(appointment.id)))
        .filter((view) => matchesStatus(view, status));
    },

    'appointments/import': async ({ fileName, contentBase64 }) => {
      let result;
      try {
        result = await readAppointmentsBuffer(Buffer.from(contentBase64, 'base64'), fileName, services.importOptions());
      } catch (error) {
        if (error instanceof ImportFileError) throw new ApiFailure('validation', error.message);
        throw error;
      }
      const summary = services.storeImported(result, fileName);
      return { fileName, inserted: summary.inserted, updated: summary.updated, unchanged: summary.unchanged, errors: result.errors };
    },

    'appointments/timeline': ({ appointmentId }) => {
      const appointment = appointmentView(appointmentId);
      const attempts = listAppointmentAttempts(db, appointmentId); // newest first
      const calls = attempts.map((attempt, index) => ({
        attempt: toCallSummary(attempt),
        events: attempt.callSid ? listCallEvents(db, attempt.callSid).map(toTimelineEvent) : [],
        callNumber: attempts.length - index,
        isNewest: index === 0,
      }));
      return { appointment, phoneNumber: services.appointment(appointmentId)!.phoneNumber, calls };
    },

    'batches/plan': (selection) => services.planner().plan(selection),

    'batches/start': ({ alongsideRunning, ...selection }) => {
      const { batch } = services.startBatch(selection, { alongsideRunning });
      ctx.events.emit('appointments-changed', { reason: 'batch' });
      return progressOf(batch.id);
    },

    'batches/pause': ({ batchId }) => {
      progressOf(batchId); // refuses an unknown batch before anything changes
      services.batchRunner().pause(batchId); // pushes the new progress itself
      return progressOf(batchId);
    },

    'batches/resume': ({ batchId }) => {
      const batch = progressOf(batchId).batch;
      if (batch.state !== 'paused' && batch.state !== 'running') {
        throw new ApiFailure('conflict', `Batch ${batchId} is ${batch.state.replace('_', ' ')}; start a new batch instead.`);
      }
      // A run still winding down after the pause carries on once the state is running again; otherwise start one
      // (runBatch refuses a batch of the other mode, practice vs real, with a message for staff).
      const run = services.isRunning(batchId) ? services.batchRunner().resume(batchId) : services.runBatch(batchId);
      run.catch(() => undefined);
      services.pushBatch(batchId);
      return progressOf(batchId);
    },

    'batches/cancel': ({ batchId }) => {
      progressOf(batchId); // refuses an unknown batch before anything changes
      services.batchRunner().cancel(batchId); // pushes the new progress itself
      return progressOf(batchId);
    },

    'batches/list': () => listBatches(db, scope()).map((b) => toBatchView(db, b)),

    'batches/active': () => activeBatches(db, scope()).map((b) => batchProgress(db, b, settings().calling.calls_per_second)),

    'batches/progress': ({ batchId }) => progressOf(batchId),

    // Hosts replace the two exports to choose where the file goes; without a host it goes to <dataDir>/exports.
    'batches/export': async ({ batchId, format }) => {
      batchOf(batchId);
      const request = { kind: 'batch-log', batchId, format } as const;
      const { savedTo } = await engine.exportFile(request, defaultExportPath(ctx.dataDir, request));
      return { savedTo, downloadUrl: null, fileName: exportFileName(request) };
    },

    'results/get': ({ batchId, day }) =>
      batchId ? batchResults(db, batchOf(batchId)) : dayResults(db, day!, { timezone: settings().scheduling.timezone, practice: services.practice }),

    'results/export-follow-up': async ({ batchId, day, format }) => {
      if (batchId) batchOf(batchId);
      const request = { kind: 'follow-up', batchId, day, format } as const;
      const { savedTo } = await engine.exportFile(request, defaultExportPath(ctx.dataDir, request));
      return { savedTo, downloadUrl: null, fileName: exportFileName(request) };
    },

    'connection/status': () => services.connectionStatus(),

    'connection/self-test': () => services.selfTest({}),

    'settings/get': () => toEditableSettings(settings()),

    'settings/update': (patch) => {
      if (patch.messageTemplate !== undefined) {
        const problems = validateMessageTemplate(patch.messageTemplate);
        if (problems.length) throw new ApiFailure('validation', `messageTemplate: ${problems.join('; ')}`);
      }
      return toEditableSettings(updateSettings(toSettingsPatch(patch)));
    },

    'settings/preview-message': ({ template }) => {
      const problems = validateMessageTemplate(template);
      // Tomorrow at 2:30 PM clinic time reads naturally in the preview whatever today is.
      const at = new Date(ctx.clock() + 86_400_000).toISOString();
      const text = renderReminderMessage(template, { ...PREVIEW_APPOINTMENT, appointmentAt: at }, settings().scheduling.timezone);
      return { text, problems, keypadPrompt: GATHER_PROMPT };
    },

    'callbacks/list': ({ limit, callSid }): CallbackRequestView[] =>
      listCallbackRequests(db, { limit, ...(callSid ? { callSid } : {}) }).map(toCallbackRequestView),
  } satisfies ApiHandlers;
}
