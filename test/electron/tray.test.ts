import { describe, expect, it, vi } from 'vitest';
import { BackgroundMode, KEEPS_RUNNING_TITLE, TRAY_TOOLTIP, type MenuItemSpec } from '../../src-main/electron/tray';
import { FakeTray, FakePowerMonitor } from './fake-electron';

function setup(on = true) {
  const state = { on, noticeShown: false };
  const trays: FakeTray[] = [];
  const window = { hide: vi.fn(), show: vi.fn(), focus: vi.fn(), isDestroyed: () => false };
  const power = new FakePowerMonitor();
  const deps = {
    createTray: () => {
      const tray = new FakeTray();
      trays.push(tray);
      return tray;
    },
    buildMenu: (items: MenuItemSpec[]) => items,
    automatic: { isOn: () => state.on, pause: vi.fn(() => (state.on = false)) },
    getWindow: () => window,
    openWindow: vi.fn(),
    quit: vi.fn(),
    notify: vi.fn(),
    notice: { shown: () => state.noticeShown, markShown: () => (state.noticeShown = true) },
    onResume: vi.fn(),
    powerMonitor: power,
  };
  const background = new BackgroundMode(deps);
  const close = (): boolean => {
    let prevented = false;
    background.onWindowClose({ preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { state, trays, window, power, deps, background, close, menu: () => trays[0]!.menu as MenuItemSpec[] };
}

describe('background mode (tray)', () => {
  it('closing the window with automatic reminders on hides it, shows the tray and says so once', () => {
    const t = setup(true);
    expect(t.close()).toBe(true);
    expect(t.window.hide).toHaveBeenCalledTimes(1);
    expect(t.trays).toHaveLength(1);
    expect(t.trays[0]!.tooltip).toBe(TRAY_TOOLTIP);
    expect(t.menu().map((i) => i.label)).toEqual(['Open Reminder Desk', 'Pause automatic reminders', '', 'Quit Reminder Desk']);
    expect(t.deps.notify).toHaveBeenCalledWith(KEEPS_RUNNING_TITLE, expect.stringContaining('stays open in the tray'));
    t.close();
    expect(t.deps.notify).toHaveBeenCalledTimes(1); // once, not every close
    expect(t.trays).toHaveLength(1);
  });

  it('with automatic reminders off, closing the window closes it (the app quits as before)', () => {
    const t = setup(false);
    expect(t.close()).toBe(false);
    expect(t.trays).toHaveLength(0);
  });

  it('the tray menu opens the window, pauses automatic reminders and quits for real', () => {
    const t = setup(true);
    t.close();
    t.menu()[0]!.click!();
    expect(t.window.show).toHaveBeenCalled();
    t.menu()[1]!.click!();
    expect(t.deps.automatic.pause).toHaveBeenCalledTimes(1);
    expect(t.menu()[1]).toMatchObject({ label: 'Automatic reminders are paused', enabled: false });
    t.state.on = true;
    t.menu()[3]!.click!();
    expect(t.deps.quit).toHaveBeenCalledTimes(1);
    expect(t.trays[0]!.destroyed).toBe(true);
    expect(t.close()).toBe(false); // quitting: the window may close now
  });

  it('a wake from sleep asks for an immediate reminder check', () => {
    const t = setup(true);
    t.power.emit('resume');
    expect(t.deps.onResume).toHaveBeenCalledTimes(1);
  });
});
