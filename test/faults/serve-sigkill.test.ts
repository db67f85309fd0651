import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { callbackParams, postCallback, startServe, writeServeSettings, type ServeProcess } from './serve-process';

// `reminder-desk serve` SIGKILLed again and again while signed status callbacks pour in: after every restart,
// every callback it acknowledged (2xx) is in the database. Group commit must never answer before its commit.

const KILLS = 20;
const CONNECTIONS = 8;

let dir = '';
let current: ServeProcess | null = null;
afterEach(async () => {
  if (current && current.child.exitCode === null && current.child.signalCode === null) {
    current.child.kill('SIGKILL');
    await current.exited;
  }
  current = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function storedKeys(file: string): Set<string> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare<[], { k: string }>("SELECT call_sid || '/' || sequence_number AS k FROM status_events WHERE source = 'callback'").all();
    return new Set(rows.map((r) => r.k));
  } finally {
    db.close();
  }
}

describe(`reminder-desk serve SIGKILLed ${KILLS} times under signed-callback load`, () => {
  it('keeps every acknowledged callback across every restart', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-faults-serve-'));
    writeServeSettings(dir);
    const dbFile = path.join(dir, 'data', 'reminder-desk.sqlite');
    const acknowledged = new Set<string>();
    let sent = 0;
    let failedDuringKill = 0;
    for (let round = 0; round < KILLS; round += 1) {
      current = await startServe(dir);
      const { port } = current;
      // Present after the restart: everything acknowledged in earlier rounds.
      const stored = storedKeys(dbFile);
      const lost = [...acknowledged].filter((key) => !stored.has(key));
      expect(lost, `round ${round}: acknowledged callbacks missing after restart`).toEqual([]);

      const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
      let stop = false;
      const workers = Array.from({ length: CONNECTIONS }, async (_, w) => {
        for (let i = 0; !stop; i += 1) {
          const callSid = `CA${round.toString(16).padStart(4, '0')}${w.toString(16).padStart(4, '0')}${i.toString(16).padStart(24, '0')}`;
          const params = callbackParams(callSid, i % 4);
          sent += 1;
          const status = await postCallback(port, agent, params);
          if (status !== null && status >= 200 && status < 300) acknowledged.add(`${callSid}/${i % 4}`);
          else if (status === null) failedDuringKill += 1;
          else if (!stop) throw new Error(`serve answered ${status} to a valid callback`);
        }
      });
      // Kill at a different moment each round, while requests are in flight.
      await new Promise((resolve) => setTimeout(resolve, 150 + ((round * 97) % 400)));
      current.child.kill('SIGKILL');
      stop = true;
      await current.exited;
      await Promise.all(workers);
      agent.destroy();
    }
    current = await startServe(dir);
    const stored = storedKeys(dbFile);
    expect([...acknowledged].filter((key) => !stored.has(key))).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(KILLS * 10); // the load was real
    console.log(`serve SIGKILL x${KILLS}: ${sent} callbacks sent, ${acknowledged.size} acknowledged and all present, ${failedDuringKill} cut by a kill`);
  });
});
