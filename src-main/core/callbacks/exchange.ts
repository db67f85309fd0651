import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CallbackRequestInput } from '../store/callback-requests';

/** Stored instead of a status code when the client went away before we answered (nginx's convention). */
export const CLIENT_CLOSED = 499;

/**
 * One request as it is handled: the inspector row it becomes (status and latency are known only at the end),
 * plus what the handler needs meanwhile.
 */
export type Exchange = Omit<CallbackRequestInput, 'responseStatus' | 'latencyMs'> & {
  startedAt: number;
  /** Set when the signature was rejected: persisted with the inspector row, after the response. */
  counted: boolean;
  /** The request body could not be read (client gone or too slow): Node answers 408 itself if it still can. */
  bodyAborted: boolean;
  /** Waiting in the group commit, or committed with it (its inspector row is part of that commit). */
  commit?: 'waiting' | 'committed';
  /** The connection closed (answered or not). */
  closed?: boolean;
};

/** The status the client got: 408 for a body never read, 499 when it left before the answer. */
export function statusOf(ex: Exchange, res: ServerResponse): number {
  return ex.bodyAborted ? 408 : res.writableFinished ? res.statusCode : CLIENT_CLOSED;
}

/** The inspector row an exchange becomes once its answer is known (latency counted from when the socket was accepted). */
export function inspectorRowOf(ex: Exchange, responseStatus: number): CallbackRequestInput {
  const { startedAt, counted: _counted, bodyAborted: _bodyAborted, commit: _commit, closed: _closed, ...exchange } = ex;
  return { ...exchange, responseStatus, latencyMs: Math.round((performance.now() - startedAt) * 1000) / 1000 };
}
