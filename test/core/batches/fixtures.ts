import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import twilio from 'twilio';
import type { Timers } from '../../../src-main/core/batches/timing';
import type { CallStatus } from '../../../src-main/core/domain';
import { settingsSchema, type Settings, type SettingsInput } from '../../../src-main/core/settings/schema';
import { upsertAppointments } from '../../../src-main/core/store/appointments';
import { closeDatabase, openDatabase, type Db } from '../../../src-main/core/store/database';
import type { CallResource, CallsApi, CreateCallParams, ListCallsFilter } from '../../../src-main/core/twilio/twilio-client';

// Shared by the dispatch and polling tests: a real SQLite file in a temp dir, a fake clock with timers,
// and an in-process fake of the narrow CallsApi.

export function tempDb(): { db: Db; file: string; dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reminder-desk-dispatch-'));
  const file = path.join(dir, 'reminder-desk.sqlite');
  const db = openDatabase(file);
  return {
    db,
    file,
    dir,
    cleanup: () => {
      closeDatabase(db);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function makeSettings(input: SettingsInput = {}): Settings {
  return settingsSchema.parse({ scheduling: { timezone: 'UTC' }, ...input });
}

export function addAppointments(db: Db, phones: readonly string[], appointmentAt = '2030-01-15T10:00:00+00:00'): number[] {
  return upsertAppointments(
    db,
    phones.map((phone, i) => ({
      dedupeKey: `k-${phone}-${i}-${appointmentAt}`,
      externalId: null,
      name: `Patient ${i}`,
      phoneNumber: phone,
      email: null,
      appointmentAt,
      location: 'Main St Clinic',
    })),
    null,
    new Date(0).toISOString(),
  ).ids;
}

/** A clock that only moves when told to, with timers that fire as it moves. `sleep` moves it at once. */
export class FakeTime {
  now: number;
  private seq = 0;
  private pending: { id: number; at: number; fn: () => void }[] = [];

  constructor(start = Date.parse('2030-01-14T15:00:00Z')) {
    this.now = start;
  }

  readonly clock = (): number => this.now;

  /** Sleeping moves the clock and fires the timers that fall due meanwhile (the poller's, for instance). */
  readonly sleep = (ms: number): Promise<void> => this.advance(Math.max(0, ms));

  readonly timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = ++this.seq;
      this.pending.push({ id, at: this.now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (handle) => {
      this.pending = this.pending.filter((t) => t.id !== handle);
    },
  };

  get pendingTimers(): number {
    return this.pending.length;
  }

  /** Moves the clock forward, firing due timers in time order and letting their async work settle. */
  async advance(ms: number, settle: () => Promise<void> = flush): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      this.pending.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.pending[0];
      if (!next || next.at > target) break;
      this.pending.shift();
      this.now = Math.max(this.now, next.at);
      next.fn();
      await settle();
    }
    this.now = target;
    await settle();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function restError(status: number, code: number, message: string): Error {
  return new twilio.RestException({ statusCode: status, body: { status, code, message, more_info: `https://www.twilio.com/docs/errors/${code}` } });
}

interface FakeCall extends CallResource {
  /** Statuses returned by successive fetches; the last one repeats. */
  script: CallStatus[];
  fetches: number;
}

/** An in-process Twilio: records every create with the fake clock's time, plays scripted statuses on fetch. */
export class FakeCallsApi implements CallsApi {
  readonly creates: { params: CreateCallParams; at: number }[] = [];
  readonly fetched: string[] = [];
  readonly lists: ListCallsFilter[] = [];
  readonly calls = new Map<string, FakeCall>();
  /** Decides each create: throw to fail it; return a status script for the call. */
  onCreate: (params: CreateCallParams, index: number) => CallStatus[] = () => ['queued', 'ringing', 'in-progress', 'completed'];
  onFetch: ((sid: string) => void) | null = null;
  /** Creates whose call IS made but whose response never reaches us (connection reset). */
  readonly loseResponse = new Set<number>();
  private counter = 0;

  constructor(private readonly clock: () => number) {}

  async create(params: CreateCallParams): Promise<CallResource> {
    const index = this.creates.length;
    this.creates.push({ params, at: this.clock() });
    const script = this.onCreate(params, index);
    const sid = `CA${String(++this.counter).padStart(32, '0')}`;
    const call: FakeCall = {
      sid,
      to: params.to,
      from: params.from,
      status: 'queued',
      dateCreated: new Date(this.clock()),
      startTime: null,
      endTime: null,
      duration: null,
      answeredBy: null,
      script,
      fetches: 0,
    };
    this.calls.set(sid, call);
    if (this.loseResponse.has(index)) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    return this.snapshot(call);
  }

  async fetch(sid: string): Promise<CallResource> {
    this.fetched.push(sid);
    this.onFetch?.(sid);
    const call = this.calls.get(sid);
    if (!call) throw restError(404, 20404, `The requested resource /Calls/${sid}.json was not found`);
    call.status = call.script[Math.min(call.fetches, call.script.length - 1)] ?? 'queued';
    call.fetches += 1;
    if (call.status === 'in-progress' || call.status === 'completed') call.startTime ??= new Date(this.clock());
    if (call.status === 'completed') {
      call.endTime = new Date(this.clock());
      call.duration = 12;
      call.answeredBy = 'human';
    }
    return this.snapshot(call);
  }

  async list(filter: ListCallsFilter): Promise<CallResource[]> {
    this.lists.push(filter);
    return [...this.calls.values()]
      .filter((c) => (!filter.to || c.to === filter.to) && (!filter.from || c.from === filter.from))
      .reverse()
      .map((c) => this.snapshot(c));
  }

  /** Makes Twilio's view of a call jump to a status (as if the call progressed without us asking). */
  setStatus(sid: string, status: CallStatus): void {
    const call = this.calls.get(sid)!;
    call.script = [status];
    call.status = status;
    call.fetches = 0;
  }

  private snapshot(call: FakeCall): CallResource {
    const { script: _script, fetches: _fetches, ...resource } = call;
    return { ...resource };
  }
}
