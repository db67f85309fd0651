import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppointmentView, BatchProgress, CallSummary, ImportSummary } from '../../../src-main/core/api/contract';
import { useApi, useApiEvent, useAppState, useResync } from '../api/hooks';
import { BatchCounts } from '../components/BatchCounts';
import { ImportResult, fileToBase64 } from '../components/ImportResult';
import { ProgressBar } from '../components/ProgressBar';
import { StatusChip } from '../components/StatusChip';
import { clinicDay, confirmationLabel, formatAppointmentTime, formatDayHeading, formatEta, reminderStateLabel } from '../format';
import { matchesStatusFilter, STAFF_STATUS_FILTERS, STATUS_FILTER_LABELS, type StaffStatusFilter } from '../../../src-main/core/vocabulary/status-filter';
import { TimelinePanel } from './TimelinePanel';

const ROW_HEIGHT = 56;

const STATUS_FILTERS = STAFF_STATUS_FILTERS.map((value) => ({ value, label: STATUS_FILTER_LABELS[value] }));
type StatusFilter = StaffStatusFilter;

const RUNNING_STATES = new Set(['running', 'paused']);

export function AppointmentsView({ onOpenBatch }: { onOpenBatch: (batchId: string) => void }) {
  const api = useApi();
  const { timezone } = useAppState();
  const [rows, setRows] = useState<AppointmentView[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [day, setDay] = useState('');
  const [statusFilter, setStatusFilter] = useState<StatusFilter>('all');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [timelineFor, setTimelineFor] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const [importSummary, setImportSummary] = useState<ImportSummary | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [batch, setBatch] = useState<BatchProgress | null>(null);
  const [batchError, setBatchError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    // Everything is fetched once and filtered here: filtering 10,000 rows in memory is instant and the
    // day/status/search boxes then never wait on a round trip.
    const result = await api.invoke('appointments/list', {});
    if (result.ok) {
      setRows(result.value);
      setListError(null);
    } else setListError(result.error.message);
  }, [api]);

  /** The batch strip: a batch that is calling wins; otherwise the one already shown is brought up to date. */
  const loadBatch = useCallback(
    async (shownBatchId: string | null) => {
      const batches = await api.invoke('batches/list', {});
      if (!batches.ok) return;
      const batchId = batches.value.find((b) => RUNNING_STATES.has(b.state))?.id ?? shownBatchId;
      if (!batchId) return;
      const progress = await api.invoke('batches/progress', { batchId });
      if (progress.ok) setBatch(progress.value);
    },
    [api],
  );

  useEffect(() => {
    void load();
    void loadBatch(null);
  }, [load, loadBatch]);

  // Pushes sent while the event stream was down are lost: catch up each time it (re)connects.
  useResync(() => {
    void load();
    void loadBatch(batch?.batch.id ?? null);
  });

  // Live: the core pushes each status as it is stored; nothing here polls.
  useApiEvent('appointments-changed', () => void load());
  useApiEvent('call-updated', ({ appointmentId, call }) => {
    setRows((current) => current && applyCallUpdate(current, appointmentId, call));
  });
  useApiEvent('batch-progress', (progress) => {
    setBatch((current) => (!current || current.batch.id === progress.batch.id || !RUNNING_STATES.has(current.batch.state) ? progress : current));
  });

  const days = useMemo(() => {
    const set = new Set<string>();
    for (const row of rows ?? []) set.add(clinicDay(row.appointmentAt, timezone));
    return [...set].sort();
  }, [rows, timezone]);

  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (rows ?? []).filter(
      (row) => (!day || clinicDay(row.appointmentAt, timezone) === day) && matchesStatusFilter(row, statusFilter) && (!needle || row.name.toLowerCase().includes(needle)),
    );
  }, [rows, day, statusFilter, search, timezone]);

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
        setImportError(`${file.name} is not a CSV or Excel (.xlsx) file.`);
        return;
      }
      const result = await api.invoke('appointments/import', { fileName: file.name, contentBase64: await fileToBase64(file) });
      if (result.ok) {
        setImportSummary(result.value);
        void load();
      } else setImportError(result.error.message);
    } finally {
      setImporting(false);
    }
  }

  async function startBatch(args: { appointmentIds: number[] } | { day: string }) {
    setStarting(true);
    setBatchError(null);
    const result = await api.invoke('batches/start', args);
    setStarting(false);
    if (!result.ok) return setBatchError(result.error.message);
    setBatch(result.value);
    setSelected(new Set());
  }

  const batchActive = batch && RUNNING_STATES.has(batch.batch.state);

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
            {days.map((d) => (
              <option key={d} value={d}>
                {formatDayHeading(d)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select value={statusFilter} onChange={(event) => setStatusFilter(event.target.value as StatusFilter)} data-testid="filter-status">
            {STATUS_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
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
          <button type="button" className="button" onClick={() => fileInput.current?.click()} disabled={importing} data-testid="import-button">
            {importing ? 'Importing…' : 'Import appointments…'}
          </button>
          <button
            type="button"
            className="button primary"
            disabled={selectedVisible.length === 0 || starting}
            onClick={() => void startBatch({ appointmentIds: selectedVisible.map((row) => row.id) })}
            data-testid="call-selected"
          >
            Call selected ({selectedVisible.length})
          </button>
          {day && (
            <button type="button" className="button primary" disabled={starting} onClick={() => void startBatch({ day })} data-testid="call-day">
              Call everyone on {formatDayHeading(day)}
            </button>
          )}
        </div>
      </div>

      {importError && (
        <p className="error-banner" role="alert">
          {importError}
        </p>
      )}
      {importSummary && <ImportResult summary={importSummary} onClose={() => setImportSummary(null)} />}
      {batchError && (
        <p className="error-banner" role="alert">
          {batchError}
        </p>
      )}
      {batch && (
        <section className="batch-strip" data-testid="batch-strip" aria-label="Current batch">
          <div className="batch-strip-head">
            <strong>{batch.finished >= batch.total ? 'All calls finished' : batch.batch.state === 'paused' ? 'Batch paused' : batchActive ? 'Calling…' : 'Last batch stopped'}</strong>
            <span>
              {batch.finished} of {batch.total} calls finished{batchActive && batch.etaSeconds !== null ? ` · ${formatEta(batch.etaSeconds)}` : ''}
            </span>
            <button type="button" className="button small" onClick={() => onOpenBatch(batch.batch.id)}>
              Open batch
            </button>
          </div>
          <ProgressBar done={batch.finished} total={batch.total} label="Batch progress" />
          <BatchCounts counts={batch.counts} />
        </section>
      )}

      <div className="board-body">
        <div className="table-wrap" role="table" aria-label="Appointments" aria-rowcount={visible.length + 1}>
          <div className="appt-row appt-head" role="row">
            <span role="columnheader" className="cell-check">
              <input type="checkbox" aria-label="Select every appointment shown" checked={allVisibleSelected} onChange={toggleAllVisible} data-testid="select-all" />
            </span>
            <span role="columnheader">Patient</span>
            <span role="columnheader">Phone</span>
            <span role="columnheader">Appointment</span>
            <span role="columnheader">Reminder</span>
            <span role="columnheader">Call status</span>
            <span role="columnheader">Confirmation</span>
          </div>
          <div className="appt-scroll" ref={scroller} data-testid="appointments-scroll">
            {rows === null && !listError && <p className="empty">Loading appointments…</p>}
            {listError && <p className="error-text">{listError}</p>}
            {rows !== null && rows.length === 0 && (
              <div className="empty" data-testid="appointments-empty">
                <p>No appointments yet.</p>
                <p>Import your appointment list (CSV or Excel) with the button above, or drop the file here.</p>
              </div>
            )}
            {rows !== null && rows.length > 0 && visible.length === 0 && <p className="empty">No appointment matches these filters.</p>}
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
                      <button type="button" className="link-button" onClick={() => setTimelineFor(row.id)} title="Show the call timeline">
                        {row.name}
                      </button>
                    </span>
                    <span role="cell" className="mono">{row.maskedPhone}</span>
                    <span role="cell">{formatAppointmentTime(row.appointmentAt, timezone)}</span>
                    <span role="cell">{reminderStateLabel(row.call)}</span>
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
            {rows ? `${visible.length} of ${rows.length} appointments shown` : ''}
            {selected.size > 0 ? ` · ${selected.size} selected` : ''}
          </div>
        </div>
        {timelineFor !== null && <TimelinePanel appointmentId={timelineFor} onClose={() => setTimelineFor(null)} />}
      </div>
    </div>
  );
}

function applyCallUpdate(rows: AppointmentView[], appointmentId: number, call: CallSummary): AppointmentView[] {
  const index = rows.findIndex((row) => row.id === appointmentId);
  const row = rows[index];
  if (!row) return rows;
  // Events may arrive out of order across calls of the same appointment: keep the newest attempt.
  if (row.call && row.call.attemptId > call.attemptId) return rows;
  const next = rows.slice();
  next[index] = { ...row, call, confirmation: call.confirmation ?? row.confirmation };
  return next;
}
