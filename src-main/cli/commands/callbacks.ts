import { setTimeout as delay } from 'node:timers/promises';
import { replayCallbackRequest } from '../../core/callbacks/replay';
import type { Engine } from '../../core/engine';
import { toCallbackRequestView } from '../../core/callbacks/callback-views';
import { lastCallbackRequestId, listCallbackRequests, type CallbackRequest } from '../../core/store/callback-requests';
import { UsageError } from '../cli-errors';
import { formatCallbackRequest } from '../format';
import { untilSignal, withEngine, type GlobalOptions } from '../open-engine';

const TAIL_POLL_MS = 500;


function print(requests: CallbackRequest[], json: boolean): void {
  for (const r of requests) process.stdout.write(`${json ? JSON.stringify(toCallbackRequestView(r)) : formatCallbackRequest(toCallbackRequestView(r))}\n`);
}

/**
 * `callbacks [--tail] [--call CALLSID]`: the callback inspector. With --json one JSON object per line. --tail keeps
 * printing new requests (stored by a running `serve` or the app) until Ctrl+C.
 */
export async function callbacksCommand(opts: { tail?: boolean; call?: string; limit?: number; json?: boolean }, globals: GlobalOptions): Promise<number> {
  return withEngine(globals, {}, async (engine) => {
    const json = opts.json ?? false;
    const first = listCallbackRequests(engine.db, { limit: opts.limit ?? 50, callSid: opts.call });
    if (first.length === 0 && !opts.tail && !json) process.stdout.write('No callback requests stored.\n');
    print(first, json);
    if (!opts.tail) return 0;
    await tail(engine, first.at(-1)?.id ?? lastCallbackRequestId(engine.db), opts.call, json);
    return 0;
  });
}

async function tail(engine: Engine, afterId: number, callSid: string | undefined, json: boolean): Promise<void> {
  let stop = false;
  void untilSignal().then(() => {
    stop = true;
  });
  let last = afterId;
  while (!stop) {
    const next = listCallbackRequests(engine.db, { limit: 200, callSid, afterId: last });
    print(next, json);
    last = next.at(-1)?.id ?? last;
    if (next.length < 200) await delay(TAIL_POLL_MS);
  }
}

/** `callbacks replay ID`: re-applies a stored status callback; idempotent. */
export async function replayCommand(idText: string, opts: { json?: boolean }, globals: GlobalOptions): Promise<number> {
  const id = Number(idText);
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`callbacks replay expects a request id (a positive number), not "${idText}"`);
  return withEngine(globals, {}, async (engine) => {
    const result = replayCallbackRequest(engine.db, id);
    const summary = {
      id,
      stored: result.stored,
      applied: result.applied,
      callSid: result.attempt?.callSid ?? null,
      status: result.attempt?.status ?? null,
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      const what = !result.stored ? 'already stored: nothing changed' : result.applied ? `applied: the call is now ${summary.status}` : result.attempt ? 'stored; the call already had a later status' : 'stored as an orphan (its call is not known yet)';
      process.stdout.write(`Callback request #${id} ${what}\n`);
    }
    return 0;
  });
}
