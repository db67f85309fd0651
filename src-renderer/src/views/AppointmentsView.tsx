import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError, AppointmentView, BatchPlan, BatchProgress, CallSummary, ImportSummary } from '../../../src-main/core/api/contract';
import { useApi, useApiEvent, useAppState, useResync } from '../api/hooks';
import { BatchConfirmDialog } from '../components/BatchConfirmDialog';
import { BatchStrips } from '../components/BatchStrips';
import { ImportResult, fileToBase64 } from '../components/ImportResult';
import { StatusChip } from '../components/StatusChip';
import { ErrorNotice } from '../errors/ErrorNotice';
import { clinicDay, formatAppointmentTime, formatDayHeading, formatShortDay } from '../format';
import { STAFF_STATUS_FILTERS, STATUS_FILTER_LABELS, confirmationLabel, matchesStatusFilter, plural, reminderStateLabel, type StaffStatusFilter } from '../status-words';
import { TimelinePanel } from './TimelinePanel';

const ROW_HEIGHT = 56;

/** Typing in the search box asks the core once the typing pauses. */
const SEARCH_DELAY_MS = 200;

type Selection = { appointmentIds: number[] } | { day: string };

export function AppointmentsView({ onOpenBatch }: { onOpenBatch: (batchId: string) => void }) {
  const api = useApi();
  const { timezone } = useAppState();
  const [rows, setRows] = useState<AppointmentView[] | null>(null);
  /** Every clinic day with appointments and the total count, from the last unfiltered answer. */
  const [allDays, setAllDays] = useState<string[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [listError, setListError] = useState<ApiError | null>(null);
  const [day, setDay] = useState('');
  const [statusFilter, setStatusFilter] = useState<StaffStatusFilter>('all');
  const [search, setSearch] = useState('');
  const [searchAsked, setSearchAsked] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [timelineFor, setTimelineFor] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const [importSummary, setImportSummary] = useState<ImportSummary | null>(null);
  const [importError, setImportError] = useState<ApiError | string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [strips, setStrips] = useState<BatchProgress[]>([]);
  const [batchError, setBatchError] = useState<ApiError | null>(null);
  const [planning, setPlanning] = useState<{ selection: Selection; plan: BatchPlan } | null>(null);
  const [starting, setStarting] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setSearchAsked(search.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  // The core filters by day, status and name (one query; the board never holds rows it does not show). Pushed
  // call updates change rows in place, so the same status rule (core/vocabulary) is applied again here: a call
  // that stops matching ("Calling now" → ended) leaves the list at once.
  const listSeq = useRef(0);
  const load = useCallback(async () => {
    const seq = ++listSeq.current;
    const result = await api.invoke('appointments/list', { ...(day ? { day } : {}), ...(statusFilter !== 'all' ? { status: statusFilter } : {}), ...(searchAsked ? { search: searchAsked } : {}) });
    if (seq !== listSeq.current) return; // a newer filter was asked meanwhile
    if (!result.ok) return setListError(result.error);
    setRows(result.value);
    setListError(null);
    if (!day && !searchAsked && statusFilter === 'all') {
      setTotal(result.value.length);
      setAllDays([...new Set(result.value.map((row) => clinicDay(row.appointmentAt, timezone)))].sort());
    }
  }, [api, day, statusFilter, searchAsked, timezone]);

  /** Every batch still calling, paused or with calls on the line: each gets its own strip. */
  const loadStrips = useCallback(async () => {
    const active = await api.invoke('batches/active', {});
    if (!active.ok) return;
    setStrips((current) => {
      const activeIds = new Set(active.value.map((p) => p.batch.id));
      // Finished strips already on screen stay (with their final numbers) until dismissed.
      const finished = current.filter((p) => !activeIds.has(p.batch.id) && p.phase === 'done');
      return [...active.value, ...finished];
    });
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    void loadStrips();
  }, [loadStrips]);

  // Pushes sent while the event stream was down are lost: catch up each time it (re)connects.
  useResync(() => {
    void load();
    void loadStrips();
  });

  // Live: the core pushes each status as it is stored; nothing here polls.
  useApiEvent('appointments-changed', () => void load());
  // A busy batch pushes hundreds of statuses a second: they are gathered and applied once per frame, in one pass
  // over the rows, so 10,000 rows are copied once per frame rather than once per status.
  const pendingCalls = useRef(new Map<number, CallSummary>());
  const pendingFrame = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (pendingFrame.current !== null) cancelAnimationFrame(pendingFrame.current);
    },
    [],
  );
  useApiEvent('call-updated', ({ appointmentId, call }) => {
    const pending = pendingCalls.current;
    pending.set(appointmentId, newerCall(pending.get(appointmentId) ?? null, call));
    if (pendingFrame.current !== null) return;
    pendingFrame.current = requestAnimationFrame(() => {
      pendingFrame.current = null;
      const updates = pendingCalls.current;
      pendingCalls.current = new Map();
      setRows((current) => current && applyCallUpdates(current, updates));
    });
  });
  useApiEvent('batch-progress', (progress) => {
    setStrips((current) => {
      const index = current.findIndex((p) => p.batch.id === progress.batch.id);
      if (index === -1) return progress.phase === 'done' ? current : [...current, progress];
      const next = current.slice();
      next[index] = progress;
      return next;
    });
  });

  const visible = useMemo(() => (rows ?? []).filter((row) => matchesStatusFilter(row, statusFilter)), [rows, statusFilter]);

  // TanStack Virtual hands back a mutable instance, so the React Compiler leaves this component unmemoised.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: visible.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });

  const selectedVisible = visible.filter((row) => selected.has(row.id));
  const allVisibleSelected = visible.length > 0 && selectedVisible.length === visible.length;

  const toggle = (id: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const toggleAllVisible = () => setSelected(allVisibleSelected ? new Set() : new Set(visible.map((row) => row.id)));

  async function importFile(file: File) {
    setImporting(true);
    setImportError(null);
    setImportSummary(null);
    try {
      if (!/\.(csv|xlsx)$/i.test(file.name)) {
        setImportError(`${file.name} is not a CSV or Excel (.xlsx) file. Save the list from your scheduling program as CSV or Excel and import that.`);
        return;
      }
      const result = await api.invoke('appointments/import', { fileName: file.name, contentBase64: await fileToBase64(file) });
      if (result.ok) {
        setImportSummary(result.value);
        void load();
      } else setImportError(result.error);
    } finally {
      setImporting(false);
    }
  }

  /** Nothing dials here: the core says what a start would do, and staff confirm it in a dialog. */
  async function planBatch(selection: Selection) {
    setStarting(true);
    setBatchError(null);
    const result = await api.invoke('batches/plan', { ...selection, callAgain: [] });
    setStarting(false);
    if (!result.ok) return setBatchError(result.error);
    setPlanning({ selection, plan: result.value });
  }

  async function startBatch(choice: { callAgain: number[]; alongsideRunning: boolean }) {
    if (!planning) return;
    setStarting(true);
    setBatchError(null);
    const result = await api.invoke('batches/start', { ...planning.selection, ...choice });
    setStarting(false);
    setPlanning(null);
    if (!result.ok) return setBatchError(result.error);
    const started = result.value;
    setStrips((current) => [...current.filter((p) => p.batch.id !== started.batch.id), started]);
    setSelected(new Set());
  }

  return (
    <div
      className={`board${dragging ? ' dragging' : ''}`}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        const file = event.dataTransfer.files[0];
        if (file) void importFile(file);
      }}
    >
      {dragging && <div className="drop-overlay">Drop the file to import its appointments</div>}
      <div className="toolbar">
        <label className="field">
          <span>Day</span>
          <select value={day} onChange={(event) => setDay(event.target.value)} data-testid="filter-day">
            <option value="">All days</option>
            {allDays.map((d) => (
              <option key={d} value={d}>
                {formatDayHeading(d)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select value={statusFilter} onChange={(event) => setStatusFilter(event.target.value as StaffStatusFilter)} data-testid="filter-status">
            {STAFF_STATUS_FILTERS.map((value) => (
              <option key={value} value={value}>
                {STATUS_FILTER_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <label className="field grow">
          <span>Search by name</span>
          <input type="search" value={search} placeholder="Patient name" onChange={(event) => setSearch(event.target.value)} data-testid="filter-search" />
        </label>
        <div className="toolbar-actions">
          <input
            ref={fileInput}
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            hidden
            data-testid="import-input"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void importFile(file);
            }}
          />
          <button type="button" className="button" onClick={() => fileInput.current?.click()} disabled={importing} data-testid="import-button" title="Import appointments from a CSV or Excel (.xlsx) file">
            {importing ? 'Importing…' : 'Import list…'}
          </button>
          <button
            type="button"
            className="button primary"
            disabled={selectedVisible.length === 0 || starting}
            onClick={() => void planBatch({ appointmentIds: selectedVisible.map((row) => row.id) })}
            data-testid="call-selected"
          >
            Call selected ({selectedVisible.length})
          </button>
          {day && (
            <button type="button" className="button primary" disabled={starting} onClick={() => void planBatch({ day })} data-testid="call-day">
              Call everyone on {formatShortDay(day)}…
            </button>
          )}
        </div>
      </div>

      {importError && <ErrorNotice error={importError} testId="import-error" />}
      {importSummary && <ImportResult summary={importSummary} onClose={() => setImportSummary(null)} />}
      {batchError && <ErrorNotice error={batchError} testId="batch-error" />}
      <BatchStrips strips={strips} onOpenBatch={onOpenBatch} onDismiss={(batchId) => setStrips((current) => current.filter((p) => p.batch.id !== batchId))} />
      {planning && <BatchConfirmDialog plan={planning.plan} busy={starting} onConfirm={(choice) => void startBatch(choice)} onCancel={() => setPlanning(null)} />}

      <div className="board-body">
        <div className={`table-wrap${timelineFor !== null ? ' with-drawer' : ''}`} role="table" aria-label="Appointments" aria-rowcount={visible.length + 1}>
          <div className="appt-row appt-head" role="row">
            <span role="columnheader" className="cell-check">
              <input type="checkbox" aria-label="Select every appointment shown" checked={allVisibleSelected} onChange={toggleAllVisible} data-testid="select-all" />
            </span>
            <span role="columnheader">Patient</span>
            <span role="columnheader" className="col-phone">Phone</span>
            <span role="columnheader">Appointment</span>
            <span role="columnheader" className="col-reminder">Reminder</span>
            <span role="columnheader">Call status</span>
            <span role="columnheader" title="What the patient answered on the call">Answer</span>
          </div>
          <div className="appt-scroll" ref={scroller} data-testid="appointments-scroll">
            {rows === null && !listError && <p className="empty">Loading appointments…</p>}
            {listError && <ErrorNotice error={listError} variant="inline" />}
            {rows !== null && rows.length === 0 && !day && !searchAsked && statusFilter === 'all' && (
              <div className="empty" data-testid="appointments-empty">
                <p>No appointments yet.</p>
                <p>Import your appointment list (CSV or Excel) with the button above, or drop the file here.</p>
              </div>
            )}
            {rows !== null && visible.length === 0 && (day || searchAsked || statusFilter !== 'all' || rows.length > 0) && <p className="empty">No appointment matches these filters.</p>}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = visible[item.index];
                if (!row) return null;
                return (
                  <div
                    key={row.id}
                    role="row"
                    aria-rowindex={item.index + 2}
                    className={`appt-row${timelineFor === row.id ? ' current' : ''}${selected.has(row.id) ? ' selected' : ''}`}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                    data-testid={`appointment-row-${row.id}`}
                    data-name={row.name}
                  >
                    <span role="cell" className="cell-check">
                      <input type="checkbox" aria-label={`Select ${row.name}`} checked={selected.has(row.id)} onChange={() => toggle(row.id)} />
                    </span>
                    <span role="cell">
                      <button type="button" className="link-button" onClick={() => setTimelineFor(row.id)} title="Show this patient’s calls and phone number">
                        {row.name}
                      </button>
                    </span>
                    <span role="cell" className="mono col-phone">{row.maskedPhone}</span>
                    <span role="cell">{formatAppointmentTime(row.appointmentAt, timezone)}</span>
                    <span role="cell" className="col-reminder">{reminderStateLabel(row.call)}</span>
                    <span role="cell">
                      <StatusChip call={row.call} testId={`call-status-${row.id}`} />
                    </span>
                    <span role="cell" data-testid={`confirmation-${row.id}`} className={`confirmation confirmation-${row.confirmation ?? 'none'}`}>
                      {confirmationLabel(row.confirmation)}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
          <div className="table-foot" data-testid="appointments-count">
            {rows ? `${visible.length.toLocaleString('en-US')} of ${plural(total ?? rows.length, 'appointment')} shown` : ''}
            {selected.size > 0 ? ` · ${selected.size} selected` : ''}
          </div>
        </div>
        {timelineFor !== null && <TimelinePanel appointmentId={timelineFor} onClose={() => setTimelineFor(null)} />}
      </div>
    </div>
  );
}

/**
 * Which of two pushed calls of one appointment the board shows. Events may arrive out of order across calls of the
 * same appointment: the newest attempt wins; a later batch that left this patient out (already reminded, ...) does
 * not hide the call that reminded them.
 */
function newerCall(shown: CallSummary | null, call: CallSummary): CallSummary {
  if (!shown) return call;
  if (shown.attemptId > call.attemptId) return shown;
  if (call.status === 'skipped' && shown.status !== 'skipped') return shown;
  return call;
}

/** Applies a frame's pushed calls in one pass over the rows; rows nothing changed keep their identity. */
function applyCallUpdates(rows: AppointmentView[], updates: ReadonlyMap<number, CallSummary>): AppointmentView[] {
  let changed = false;
  const next = rows.map((row) => {
    const pushed = updates.get(row.id);
    if (!pushed) return row;
    const call = newerCall(row.call, pushed);
    if (call === row.call) return row;
    changed = true;
    return { ...row, call, confirmation: call.confirmation ?? row.confirmation };
  });
  return changed ? next : rows;
}
