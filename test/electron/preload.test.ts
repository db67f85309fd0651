import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../src-main/core/api/contract';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src-main/electron/ipc-channels';

// A fake of the two Electron objects a sandboxed preload may use.
const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  return {
    exposed,
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: null as unknown as FakeIpcRenderer,
  };
});

class FakeIpcRenderer extends EventEmitter {
  invoke = vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(async () => ({ ok: true, value: 'answer' }));
  /** What main's webContents.send(channel, message) looks like on this side. */
  push(message: unknown): void {
    this.emit(IPC_EVENT_CHANNEL, { sender: this, ports: [] }, message);
  }
}

vi.mock('electron', () => ({
  contextBridge: electron.contextBridge,
  get ipcRenderer() {
    return electron.ipcRenderer;
  },
}));

let ipc: FakeIpcRenderer;
let api: ApiClient;

beforeEach(async () => {
  vi.resetModules();
  electron.exposed.clear();
  ipc = new FakeIpcRenderer();
  electron.ipcRenderer = ipc;
  await import('../../src-main/electron/preload');
  api = electron.exposed.get('reminderDesk') as ApiClient;
});

describe('preload', () => {
  it('exposes exactly one object, reminderDesk, with invoke and subscribe and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['reminderDesk']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'subscribe']);
  });

  it('sends invocations over the one invoke channel as { operation, args }', async () => {
    await expect(api.invoke('appointments/timeline', { appointmentId: 3 })).resolves.toEqual({ ok: true, value: 'answer' });
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, { operation: 'appointments/timeline', args: { appointmentId: 3 } });
  });

  it('never rejects: a broken IPC round trip becomes an error value', async () => {
    ipc.invoke.mockRejectedValueOnce(new Error("No handler registered for 'reminder-desk:invoke'"));
    await expect(api.invoke('app/get-state', {})).resolves.toMatchObject({ ok: false, error: { kind: 'unavailable' } });
  });

  it('delivers only the subscribed event, with the payload alone (never the IPC event and its sender)', () => {
    const calls: unknown[][] = [];
    api.subscribe('call-updated', (...args) => calls.push(args));
    ipc.push({ event: 'batch-progress', payload: { total: 3 } });
    ipc.push({ event: 'call-updated', payload: { appointmentId: 7 } });
    expect(calls).toEqual([[{ appointmentId: 7 }]]);
  });

  it('refuses to subscribe to an event the contract does not declare', () => {
    expect(() => api.subscribe('internal-secret' as never, () => {})).toThrow(/Unknown event/);
    expect(() => api.subscribe('__proto__' as never, () => {})).toThrow(/Unknown event/);
  });

  it('ignores malformed or undeclared pushes', () => {
    const listener = vi.fn();
    api.subscribe('connection-changed', listener);
    ipc.push(null);
    ipc.push('connection-changed');
    ipc.push({ event: 'toString', payload: {} });
    expect(listener).not.toHaveBeenCalled();
  });

  it('unsubscribes, and shares one IPC listener between all subscribers', () => {
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = api.subscribe('appointments-changed', first);
    api.subscribe('appointments-changed', second);
    for (let i = 0; i < 20; i += 1) api.subscribe('call-updated', () => {});
    expect(ipc.listenerCount(IPC_EVENT_CHANNEL)).toBe(1);
    stopFirst();
    ipc.push({ event: 'appointments-changed', payload: { reason: 'import' } });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith({ reason: 'import' });
  });
});

describe('preload bundle contents', () => {
  // A sandboxed preload can require only 'electron' (and a few Node built-ins); it also stays tiny because
  // nothing from the core is bundled into it. Follow every runtime import from preload.ts.
  function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
    const bare = new Set<string>();
    if (seen.has(file)) return bare;
    seen.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)';/gm)) {
      const [, typeOnly, specifier] = match;
      if (typeOnly) continue;
      if (specifier!.startsWith('.')) {
        for (const inner of runtimeImports(path.resolve(path.dirname(file), `${specifier}.ts`), seen)) bare.add(inner);
      } else bare.add(specifier!);
    }
    return bare;
  }

  it("needs nothing at runtime but 'electron', its own small files and the dependency-free event vocabulary", () => {
    const seen = new Set<string>();
    const bare = runtimeImports(path.resolve(import.meta.dirname, '../../src-main/electron/preload.ts'), seen);
    expect([...bare]).toEqual(['electron']);
    expect([...seen].map((file) => path.relative(path.resolve(import.meta.dirname, '../../src-main'), file)).sort()).toEqual(['core/vocabulary/events.ts', 'electron/ipc-channels.ts', 'electron/preload-bridge.ts', 'electron/preload.ts']);
  });
});
