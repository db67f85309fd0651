import type { IncomingMessage } from 'node:http';

// Reading a request body from anyone: the size cap is enforced while the bytes stream in (a client announcing or
// sending megabytes costs at most `maxBytes` of memory), and the whole body must arrive before a deadline that
// grows with the cap (a 2 KB Twilio callback arrives in milliseconds; a client trickling bytes is cut early).
// One oversize behaviour everywhere: stop buffering, reject with BodyTooLargeError, and discard what is still
// coming so the caller's 413 reaches the client instead of a reset; the caller closes the connection after it.

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** The body did not arrive in time (a stalled or trickling client). */
export class BodyTimeoutError extends Error {
  override readonly name = 'BodyTimeoutError';
}

/** The client went away (or the socket failed) before the whole body arrived. */
export class BodyAbortedError extends Error {
  override readonly name = 'BodyAbortedError';
}

export type BodyReadError = BodyTooLargeError | BodyTimeoutError | BodyAbortedError;

/** Slowest upload we wait for, and the allowance for the first bytes: a 64 KiB cap gives 1 s + 1 s. */
export const MIN_BYTES_PER_SECOND = 64 * 1024;
export const BODY_GRACE_MS = 1_000;

/** The deadline for a body of at most `maxBytes`: proportional to the cap, so a small cap means a short wait. */
export function bodyDeadlineMs(maxBytes: number, minBytesPerSecond = MIN_BYTES_PER_SECOND, graceMs = BODY_GRACE_MS): number {
  return Math.ceil(graceMs + (maxBytes / minBytesPerSecond) * 1000);
}

export interface ReadBodyOptions {
  maxBytes: number;
  /** Defaults to bodyDeadlineMs(maxBytes). */
  deadlineMs?: number;
  /** Lets a caller cut the read (e.g. an admission pool evicting a slow reader). */
  signal?: AbortSignal;
}

/** How long discarded bytes are drained after an oversize or a timeout before the socket is destroyed. */
const DRAIN_MS = 1_000;

export function readBody(req: IncomingMessage, opts: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes } = opts;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discardRest(req);
    return Promise.reject(new BodyTooLargeError(`Body of ${declared} bytes exceeds ${maxBytes}`));
  }
  const deadlineMs = opts.deadlineMs ?? bodyDeadlineMs(maxBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: BodyReadError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (error) {
        chunks.length = 0;
        if (error instanceof BodyAbortedError) req.destroy();
        else discardRest(req);
        reject(error);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(new BodyTooLargeError(`Body exceeds ${maxBytes} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = (error: Error) => finish(new BodyAbortedError(error.message));
    const onClose = () => finish(new BodyAbortedError('The client closed the connection before sending the whole body'));
    const onAbort = () => finish(new BodyTimeoutError('The body read was cut to make room for other requests'));
    const timer = setTimeout(() => finish(new BodyTimeoutError(`The body did not arrive within ${deadlineMs} ms`)), deadlineMs);
    timer.unref();
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Reads and drops what is still coming (so a response can be written), but never for longer than DRAIN_MS. */
function discardRest(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  const timer = setTimeout(() => req.destroy(), DRAIN_MS);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

/** The HTTP status for a failed body read: 413 too large, 408 too slow; null when nobody is left to answer. */
export function statusForBodyError(error: unknown): 413 | 408 | null {
  if (error instanceof BodyTooLargeError) return 413;
  if (error instanceof BodyTimeoutError) return 408;
  return null;
}
