// `reminder-desk tunnel check`: does Twilio's path reach the Reminder Desk that is running on this data folder
// right now? It never starts an engine (nor takes the data-folder lock): it reads where the running engine
// receives callbacks (engine-runtime.json), sends a signed probe there, and looks for the probe in that
// engine's callback inspector, which proves the engine that answered is this one and not another computer.

import { SELF_TEST_PARAM } from '../callbacks/self-test';
import type { Db } from '../store/database';
import { lastCallbackRequestId, listCallbackRequests } from '../store/callback-requests';
import type { EngineRuntime } from './engine-runtime';
import { runCallbackSelfTest, type SelfTestHop } from './self-test';
import crypto from 'node:crypto';

export type TunnelCheckHop = SelfTestHop | 'not-running' | 'no-public-url' | 'no-auth-token' | 'not-recorded';

export interface TunnelCheckResult {
  ok: boolean;
  hop: TunnelCheckHop | null;
  message: string;
  details: string[];
}

export interface TunnelCheckInput {
  dataDir: string;
  /** The engine running on the data folder (runningEngine()), or null. */
  running: EngineRuntime | null;
  /** The token that engine checks signatures with (the practice token in practice mode). */
  authToken: string | null;
  /** calling.status_callback_url: with nothing running, the only public path that exists. */
  ownStatusUrl: string | null;
  /** The data folder's database, read only: where the running engine records the probe. */
  db: Db;
  timeoutMs?: number;
  /** How long to wait for the engine to store the probe after answering it. */
  recordWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const NOBODY = 'No Reminder Desk is receiving callbacks now: neither the app nor `reminder-desk serve` is running on this data folder.';

export async function checkTunnel(input: TunnelCheckInput): Promise<TunnelCheckResult> {
  return input.running ? checkRunning(input, input.running) : checkNothingRunning(input);
}

async function checkNothingRunning(input: TunnelCheckInput): Promise<TunnelCheckResult> {
  const startIt = 'Start the app or `reminder-desk serve`, then run `reminder-desk tunnel check` again.';
  if (!input.ownStatusUrl || !input.authToken) {
    return { ok: false, hop: 'not-running', message: `${NOBODY} ${startIt}`, details: [`data folder: ${input.dataDir}`] };
  }
  // The clinic's own URL exists without us: say whether its path works, without letting "works" read as "received".
  const path = await runCallbackSelfTest({ statusCallbackUrl: input.ownStatusUrl, localBaseUrl: null, authToken: input.authToken, ...timeout(input) });
  const about = path.ok
    ? `The path itself works: a Reminder Desk answered at ${input.ownStatusUrl}, but not one running on this data folder (another computer or folder).`
    : `The path fails too: ${path.message}`;
  return { ok: false, hop: 'not-running', message: `${NOBODY} ${about} ${startIt}`, details: [`data folder: ${input.dataDir}`, ...path.details] };
}

async function checkRunning(input: TunnelCheckInput, running: EngineRuntime): Promise<TunnelCheckResult> {
  const who = `Reminder Desk is running on this data folder (process ${running.pid}${running.practice ? ', practice mode' : ''})`;
  const details = [`callback server: ${running.localBaseUrl ?? 'not listening'}`, `public URL: ${running.statusCallbackUrl ?? 'none'} (${running.mode})`];
  if (!running.statusCallbackUrl) {
    return {
      ok: false,
      hop: 'no-public-url',
      message: `${who}, but it has no public URL, so Twilio cannot send it call statuses; calls are checked by polling instead. Set up the tunnel or your own URL to get live statuses.`,
      details,
    };
  }
  if (!input.authToken) {
    return { ok: false, hop: 'no-auth-token', message: `${who}, but no Twilio Auth Token is set up, so no callback can pass its signature check.`, details };
  }
  const lastBefore = lastCallbackRequestId(input.db);
  const nonce = crypto.randomBytes(12).toString('hex');
  const probe = await runCallbackSelfTest({
    statusCallbackUrl: running.statusCallbackUrl,
    localBaseUrl: running.localBaseUrl,
    authToken: input.authToken,
    nonce,
    ...timeout(input),
  });
  if (!probe.ok) return { ok: false, hop: probe.hop, message: `${who}, but callbacks do not reach it. ${probe.message}`, details: [...details, ...probe.details] };

  const recorded = await findProbe(input, lastBefore, nonce);
  if (recorded === null) {
    return {
      ok: false,
      hop: 'not-recorded',
      message: `${who}, but the probe sent to ${running.statusCallbackUrl} was answered by another Reminder Desk: this one did not record it. The public URL leads to another computer or data folder.`,
      details: [...details, ...probe.details],
    };
  }
  return {
    ok: true,
    hop: null,
    message: `Callbacks reach the running Reminder Desk and pass its signature check: it recorded the probe (callback inspector #${recorded}).`,
    details: [...details, ...probe.details],
  };
}

/** The inspector id of the probe once the running engine has stored it (it stores after answering), or null. */
async function findProbe(input: TunnelCheckInput, afterId: number, nonce: string): Promise<number | null> {
  const sleep = input.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + (input.recordWaitMs ?? 3_000);
  for (;;) {
    const match = listCallbackRequests(input.db, { afterId, limit: 500 }).find((request) => request.params?.[SELF_TEST_PARAM] === nonce);
    if (match) return match.id;
    if (Date.now() >= deadline) return null;
    await sleep(50);
  }
}

function timeout(input: TunnelCheckInput): { timeoutMs?: number } {
  return input.timeoutMs ? { timeoutMs: input.timeoutMs } : {};
}
