import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { quitAfterCleanShutdown } from '../../src-main/electron/shutdown';

vi.mock('electron', () => {
  throw new Error('not needed');
});

class FakeApp extends EventEmitter {
  quitCalls = 0;
  quit(): void {
    this.quitCalls += 1;
    // Like Electron: quit() emits before-quit; the app exits if nobody prevents it.
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.emit('exited');
  }
}

describe('quitAfterCleanShutdown', () => {
  it('holds the quit until the engine stopped, stops it once, then quits', async () => {
    const app = new FakeApp();
    let finishStop!: () => void;
    const stop = vi.fn(() => new Promise<void>((resolve) => (finishStop = resolve)));
    const exited = vi.fn();
    app.on('exited', exited);
    quitAfterCleanShutdown(app, stop, () => {});

    app.quit();
    app.quit(); // a second Cmd+Q while stopping
    expect(stop).toHaveBeenCalledOnce();
    expect(exited).not.toHaveBeenCalled();

    finishStop();
    await vi.waitFor(() => expect(exited).toHaveBeenCalledOnce());
  });

  it('still quits when stopping fails, and reports the error', async () => {
    const app = new FakeApp();
    const onError = vi.fn();
    const exited = vi.fn();
    app.on('exited', exited);
    quitAfterCleanShutdown(app, async () => Promise.reject(new Error('disk gone')), onError);
    app.quit();
    await vi.waitFor(() => expect(exited).toHaveBeenCalledOnce());
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'disk gone' }));
  });

  it("stops the engine on Windows' session-end (shutdown, log-off: no before-quit comes), then quits", async () => {
    const app = new FakeApp();
    const window = new EventEmitter();
    const stop = vi.fn(async () => {});
    const exited = vi.fn();
    app.on('exited', exited);
    quitAfterCleanShutdown(app, stop, () => {}).watchSessionEnd(window);

    window.emit('session-end', {});
    expect(stop).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(exited).toHaveBeenCalledOnce());
    expect(app.quitCalls).toBe(1);
  });

  it("holds powerMonitor's shutdown (macOS, Linux) while the engine stops, through the same single stop", async () => {
    const app = new FakeApp();
    const powerMonitor = new EventEmitter();
    let finishStop!: () => void;
    const stop = vi.fn(() => new Promise<void>((resolve) => (finishStop = resolve)));
    const exited = vi.fn();
    app.on('exited', exited);
    quitAfterCleanShutdown(app, stop, () => {}, { powerMonitor });

    let delayed = false;
    powerMonitor.emit('shutdown', { preventDefault: () => (delayed = true) });
    app.quit(); // the OS also asks the app to quit while it stops
    expect(delayed).toBe(true);
    expect(stop).toHaveBeenCalledOnce();
    expect(exited).not.toHaveBeenCalled();

    finishStop();
    await vi.waitFor(() => expect(exited).toHaveBeenCalledOnce());
  });

  it('copes with a shutdown event that carries no event object (as Electron declares it)', async () => {
    const app = new FakeApp();
    const powerMonitor = new EventEmitter();
    const stop = vi.fn(async () => {});
    const exited = vi.fn();
    app.on('exited', exited);
    quitAfterCleanShutdown(app, stop, () => {}, { powerMonitor });
    powerMonitor.emit('shutdown');
    await vi.waitFor(() => expect(exited).toHaveBeenCalledOnce());
    expect(stop).toHaveBeenCalledOnce();
  });
});
