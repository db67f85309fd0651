import path from 'node:path';
import type { AppointmentView, ImportSummary, TimelineView } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import { toCallSummary, toTimelineEvent } from '../calls/call-views';
import type { Appointment } from '../domain';
import type { EngineContext } from '../engine-context';
import { getAppointment, listAppointments, upsertAppointments } from '../store/appointments';
import { latestAttemptsByAppointment, listAppointmentAttempts } from '../store/call-attempts';
import { nowIso } from '../store/database';
import { listCallEvents } from '../store/status-events';
import type { UiPushes } from '../ui-pushes';
import { clinicDayRange } from '../vocabulary/clinic-day';
import { matchesStatusFilter, type StatusFilter } from '../vocabulary/status-filter';
import { toAppointmentView } from './appointment-views';
import { isOnDoNotCallList, listDoNotCall } from '../store/do-not-call';
import { importInWorker, type ImportOutcome, type ImportSource } from './import-in-worker';
import { ImportFileError, importOptionsFrom, type ImportOptions } from './read-appointments';

// The appointments room: importing CSV/XLSX files into the store and the board's lists and timelines.

export class AppointmentService {
  constructor(
    private readonly ctx: EngineContext,
    private readonly pushes: Pick<UiPushes, 'appointmentsChanged'>,
  ) {}

  importOptions(): ImportOptions {
    return importOptionsFrom(this.ctx.getSettings());
  }

  /** Reads a file from disk (the CLI) and stores its rows. */
  importFile(file: string): Promise<ImportOutcome> {
    return this.importFrom({ kind: 'file', file }, path.basename(file));
  }

  /** Reads an uploaded file (the UI) and stores its rows; a file that cannot be read is a validation failure. */
  async importUpload(fileName: string, content: Buffer | { base64: string }): Promise<ImportSummary> {
    const source: ImportSource = Buffer.isBuffer(content) ? { kind: 'buffer', data: content, fileName } : { kind: 'base64', text: content.base64, fileName };
    let result: ImportOutcome;
    try {
      result = await this.importFrom(source, fileName);
    } catch (error) {
      if (error instanceof ImportFileError) throw new ApiFailure('validation', error.message);
      throw error;
    }
    const { summary } = result;
    return { fileName, inserted: summary.inserted, updated: summary.updated, unchanged: summary.unchanged, errors: result.errors };
  }

  get(id: number): Appointment | null {
    return getAppointment(this.ctx.db, id);
  }

  /** The board: a clinic day (in scheduling.timezone), a status filter and a name/phone search. */
  list(filter: { day?: string | undefined; status?: StatusFilter | undefined; search?: string | undefined }): AppointmentView[] {
    const range = filter.day ? clinicDayRange(filter.day, this.ctx.getSettings().scheduling.timezone) : {};
    const latest = latestAttemptsByAppointment(this.ctx.db);
    const doNotCall = new Set(listDoNotCall(this.ctx.db).map((entry) => entry.phoneNumber));
    return listAppointments(this.ctx.db, { ...range, search: filter.search })
      .map((appointment) => toAppointmentView(appointment, latest.get(appointment.id), doNotCall.has(appointment.phoneNumber)))
      .filter((view) => matchesStatusFilter(view, filter.status));
  }

  /** Appointment ids on one clinic day. */
  idsOnDay(day: string): number[] {
    return listAppointments(this.ctx.db, clinicDayRange(day, this.ctx.getSettings().scheduling.timezone)).map((a) => a.id);
  }

  view(id: number): AppointmentView {
    const appointment = this.get(id);
    if (!appointment) throw new ApiFailure('not-found', `There is no appointment ${id}.`);
    return toAppointmentView(appointment, listAppointmentAttempts(this.ctx.db, id)[0] ?? null, isOnDoNotCallList(this.ctx.db, appointment.phoneNumber));
  }

  timeline(id: number): TimelineView {
    const appointment = this.view(id);
    const calls = listAppointmentAttempts(this.ctx.db, id).map((attempt) => ({
      attempt: toCallSummary(attempt),
      events: attempt.callSid ? listCallEvents(this.ctx.db, attempt.callSid).map(toTimelineEvent) : [],
    }));
    return { appointment, calls };
  }

  /** Parsed in a worker thread (the callback listener keeps answering), stored here a chunk at a time. */
  private async importFrom(source: ImportSource, sourceFile: string): Promise<ImportOutcome> {
    const now = nowIso(this.ctx.clock);
    const outcome = await importInWorker({ source, options: this.importOptions() }, (rows) => upsertAppointments(this.ctx.db, rows, sourceFile, now));
    if (outcome.summary.inserted + outcome.summary.updated > 0) this.pushes.appointmentsChanged('import');
    return outcome;
  }
}
