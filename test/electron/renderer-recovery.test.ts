import { describe, expect, it, vi } from 'vitest';
import { GAVE_UP_MESSAGE, RELOADED_MESSAGE, reloadAfterRendererCrash } from '../../src-main/electron/renderer-recovery';
import { FakeBrowserWindow } from './fake-electron';

vi.mock('electron', () => {
  throw new Error('renderer recovery takes the window as a parameter');
});

function setup(opts: { maxReloads?: number; windowMs?: number } = {}) {
  const window = new FakeBrowserWindow({});
  let now = 1_000_000;
  const notify = vi.fn();
  reloadAfterRendererCrash(window, { notify, clock: () => now, log: { warn: () => {}, error: () => {} }, ...opts });
  const crash = (reason = 'crashed') => window.webContents.emit('render-process-gone', {}, { reason, exitCode: 1 });
  return { window, notify, crash, advance: (ms: number) => (now += ms) };
}

describe('reloadAfterRendererCrash', () => {
  it.each(['crashed', 'oom', 'killed', 'abnormal-exit'])('reloads the window after "%s" and tells staff', (reason) => {
    const { window, notify, crash } = setup();
    crash(reason);
    expect(window.webContents.reloads).toBe(1);
    expect(notify).toHaveBeenCalledWith(RELOADED_MESSAGE);
  });

  it('does nothing when the renderer ended normally or the window is gone', () => {
    const { window, notify, crash } = setup();
    crash('clean-exit');
    window.destroyed = true;
    crash('crashed');
    expect(window.webContents.reloads).toBe(0);
    expect(notify).not.toHaveBeenCalled();
  });

  it('stops reloading a page that keeps crashing, and says to restart', () => {
    const { window, notify, crash, advance } = setup({ maxReloads: 3, windowMs: 60_000 });
    for (let i = 0; i < 4; i += 1) {
      crash();
      advance(1_000);
    }
    expect(window.webContents.reloads).toBe(3);
    expect(notify).toHaveBeenLastCalledWith(GAVE_UP_MESSAGE);
  });

  it('forgets crashes older than its window, so a crash a day is always recovered', () => {
    const { window, crash, advance } = setup({ maxReloads: 2, windowMs: 60_000 });
    for (let i = 0; i < 5; i += 1) {
      crash();
      advance(61_000);
    }
    expect(window.webContents.reloads).toBe(5);
  });
});
