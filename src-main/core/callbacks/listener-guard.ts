import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, statusForBodyError } from '../http/body';
import { send } from '../http/respond';
import type { Logger } from '../logging/logger';
import type { CallbackRequestInput, SignatureVerdict } from '../store/callback-requests';
import type { Db } from '../store/database';
import { describeLowDisk, type DiskSpace } from '../store/disk-space';
import { BodyReadAdmission } from './admission';
import { DiagnosisSampler } from './diagnosis-sampler';
import { DEFAULT_INSPECTOR_BUDGET_BYTES, InspectorBudget } from './inspector-budget';
import { headersExcerpt, paramsExcerpt } from './inspector-excerpt';
import { RejectionLog } from './rejection-log';
import { TokenBucket } from './token-bucket';

// What keeps the public listener standing when anyone on the internet can reach it: body reads bounded in size
// and time without holding the slots valid callbacks need, the signature diagnosis as a bounded sample, rejected
// requests counted into one summary line, the inspector kept within a byte budget, and a low disk noticed early.
// The callback server asks this guard at each of those points; the rules live here.

/** The public listener's limits (each explained in docs/SECURITY.md). */
export interface ListenerLimits {
  /** Largest body read (64 KB); its read deadline is proportional to it (http/body.ts). */
  maxBodyBytes: number;
  /** Requests past their body (being handled) at once; requests still sending a body do not count. */
  maxConcurrentRequests: number;
  /** Requests still sending their body at once; when full, the one reading longest is cut (see admission.ts). */
  maxReadingRequests: number;
  /** Size budget of the callback inspector's rows (oldest out first, rejected ones before valid ones). */
  inspectorBudgetBytes: number;
  /** Period of the one-line summary of rejected requests. */
  rejectionLogIntervalMs: number;
  /** Free space of the data folder's disk (null when unknown); checked on start and every minute. */
  checkDiskSpace: (() => DiskSpace | null) | undefined;
  /** Signature rejections answered at once per second (twice that in a burst); beyond, they wait rejectionTarpitMs. */
  rejectionsPerSecond: number;
  /** How long a rejection waits during a flood of them (0: never), holding no slot meanwhile. */
  rejectionTarpitMs: number;
}

export const DEFAULT_LIMITS: ListenerLimits = {
  maxBodyBytes: 64 * 1024,
  maxConcurrentRequests: 64,
  maxReadingRequests: 256,
  inspectorBudgetBytes: DEFAULT_INSPECTOR_BUDGET_BYTES,
  rejectionLogIntervalMs: 60_000,
  checkDiskSpace: undefined,
  rejectionsPerSecond: 50,
  rejectionTarpitMs: 1_000,
};

export type ListenerGuardOptions = Partial<ListenerLimits> & { db: Db; log: Pick<Logger, 'warn' | 'info'>; clock: () => number };

type InspectorRow = Omit<CallbackRequestInput, 'responseStatus' | 'latencyMs'>;

const DISK_CHECK_INTERVAL_MS = 60_000;

export class ListenerGuard {
  readonly sampler: DiagnosisSampler;
  private readonly admission: BodyReadAdmission;
  private readonly rejections: RejectionLog;
  private readonly budget: InspectorBudget;
  private processing = 0;
  private readonly releases = new WeakMap<ServerResponse, () => void>();
  private readonly rejectionBucket: TokenBucket;
  private disk: DiskSpace | null = null;
  private diskTimer: NodeJS.Timeout | null = null;

  private readonly opts: ListenerLimits & ListenerGuardOptions;

  constructor(opts: ListenerGuardOptions) {
    // Options given as undefined keep their default.
    const given = Object.fromEntries(Object.entries(opts).filter(([, value]) => value !== undefined)) as ListenerGuardOptions;
    this.opts = { ...DEFAULT_LIMITS, ...given };
    this.admission = new BodyReadAdmission(this.opts.maxReadingRequests);
    this.sampler = new DiagnosisSampler({ clock: this.opts.clock });
    this.rejections = new RejectionLog({ log: this.opts.log, intervalMs: this.opts.rejectionLogIntervalMs });
    this.budget = new InspectorBudget(this.opts.db, this.opts.inspectorBudgetBytes);
    this.rejectionBucket = new TokenBucket(this.opts.rejectionsPerSecond, this.opts.rejectionsPerSecond * 2, this.opts.clock);
  }

  start(): void {
    this.checkDisk();
    this.diskTimer = setInterval(() => this.checkDisk(), DISK_CHECK_INTERVAL_MS);
    this.diskTimer.unref();
  }

  stop(): void {
    if (this.diskTimer) clearInterval(this.diskTimer);
    this.diskTimer = null;
    this.rejections.stop();
  }

  /**
   * The body within its cap and its deadline, holding a reading slot meanwhile (not a handler slot); then a
   * handler slot, released when the response is done. Null when the request was answered (413, 408, 503) or the
   * client went away (`aborted` is then called).
   */
  async admitBody(req: IncomingMessage, res: ServerResponse, ex: { rejectionReason: string | null }, aborted: () => void): Promise<Buffer | null> {
    const slot = this.admission.admit();
    let body: Buffer;
    try {
      body = await readBody(req, { maxBytes: this.opts.maxBodyBytes, signal: slot.signal });
    } catch (error) {
      const status = statusForBodyError(error);
      if (status === null) aborted();
      else {
        ex.rejectionReason = status === 413 ? `Body larger than ${this.opts.maxBodyBytes} bytes` : 'The body did not arrive in time';
        send(res, status, { Connection: 'close' });
      }
      return null;
    } finally {
      slot.release();
    }
    if (this.processing >= this.opts.maxConcurrentRequests) {
      send(res, 503, { 'Retry-After': '1', Connection: 'close' });
      return null;
    }
    this.processing += 1;
    let released = false;
    const release = () => {
      if (!released) this.processing -= 1;
      released = true;
    };
    res.once('finish', release);
    res.once('close', release);
    this.releases.set(res, release);
    return body;
  }

  /**
   * Answers a rejected signature now, or, during a flood of them, after rejectionTarpitMs: a client that keeps
   * a few connections busy forging then gets about one answer per connection per tarpit period, which caps the
   * CPU the flood can take from valid callbacks. The waiting request holds no handler slot and no timer past
   * its connection. Valid callbacks never wait.
   */
  answerRejection(res: ServerResponse, answer: () => void): void {
    if (this.opts.rejectionTarpitMs <= 0 || this.rejectionBucket.take()) return answer();
    this.releases.get(res)?.();
    const timer = setTimeout(answer, this.opts.rejectionTarpitMs);
    timer.unref();
    res.once('close', () => clearTimeout(timer));
  }

  /** One count per rejected request for the periodic summary line (never a log line per request). */
  noteRejection(status: number, verdict: SignatureVerdict, rejectionReason: string | null): void {
    if (status < 400 && !rejectionReason) return;
    // Labels avoid words the logger redacts as secrets ("signature", "auth").
    const why = verdict === 'invalid' ? ' forged' : verdict === 'missing' ? ' unsigned' : '';
    this.rejections.note(status < 400 ? `${status} keypad answer ignored` : `${status}${why}`);
  }

  /**
   * The inspector row to store, or null when none should be: a request that did not pass the signature keeps
   * an excerpt of its body and headers (never the whole body), and none at all while the disk is low.
   */
  inspectorRow<T extends InspectorRow>(row: T): T | null {
    if (row.signatureVerdict === 'valid') return row;
    if (this.disk?.low) return null;
    const bodyBytes = row.params === null ? null : (row.bodyBytes ?? null);
    return { ...row, params: paramsExcerpt(row.params), headers: headersExcerpt(row.headers), bodyBytes };
  }

  /** Counts a stored row against the budget (trimming the oldest when over it). */
  noteStored(bytes: number): void {
    this.budget.noteStored(bytes);
  }

  /** Re-reads the inspector's size (after pruning by age) and trims to the budget. */
  resyncBudget(): number {
    return this.budget.resync();
  }

  /** A sentence for the connection status while the data folder's disk is low, else null. */
  diskWarning(): string | null {
    return this.disk?.low ? describeLowDisk(this.disk) : null;
  }

  private checkDisk(): void {
    const was = this.disk?.low ?? false;
    this.disk = this.opts.checkDiskSpace?.() ?? null;
    if (this.disk?.low && !was) this.opts.log.warn(describeLowDisk(this.disk), { freeBytes: this.disk.freeBytes });
    if (was && this.disk && !this.disk.low) this.opts.log.info('Disk space is back above the low mark', { freeBytes: this.disk.freeBytes });
  }
}
