// Background mode of the desktop app: while automatic reminders are on, closing the window hides it instead of
// quitting (the schedule must keep running), a tray icon offers Open / Pause automatic reminders / Quit, and the
// app says so once. A wake from sleep triggers an immediate reminder check (timers stall while the computer
// sleeps). Electron's objects are passed in as the small shapes below, so vitest drives this with fakes.

export interface MenuItemSpec {
  label: string;
  enabled?: boolean;
  click?: () => void;
  type?: 'separator';
}

export interface TrayLike {
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface ClosableWindow {
  hide(): void;
  show(): void;
  focus(): void;
  isDestroyed(): boolean;
}

export interface BackgroundDeps {
  createTray: () => TrayLike;
  buildMenu: (items: MenuItemSpec[]) => unknown;
  /** The switch of the current mode (engine.batches.automatic). */
  automatic: { isOn(): boolean; pause(): void };
  getWindow: () => ClosableWindow | null;
  /** Opens a new window when the old one is gone. */
  openWindow: () => void;
  quit: () => void;
  /** A system notification (or a dialog) telling staff the app keeps running. */
  notify: (title: string, body: string) => void;
  /** Remembers across runs that the notice was shown ("says so once"). */
  notice: { shown(): boolean; markShown(): void };
  /** The engine's wake hook (check due reminders now). */
  onResume: () => void;
  powerMonitor?: { on(event: 'resume', listener: () => void): unknown };
}

export const TRAY_TOOLTIP = 'Reminder Desk: automatic reminders are on';
export const KEEPS_RUNNING_TITLE = 'Reminder Desk keeps running';
export const KEEPS_RUNNING_BODY =
  'Automatic reminders are on, so Reminder Desk stays open in the tray to call patients on schedule. Use the tray icon to open it, pause automatic reminders or quit.';

export class BackgroundMode {
  private tray: TrayLike | null = null;
  private quitting = false;

  constructor(private readonly deps: BackgroundDeps) {
    deps.powerMonitor?.on('resume', () => deps.onResume());
  }

  /** For the window's 'close' event: hides instead of closing while automatic reminders are on. */
  onWindowClose(event: { preventDefault(): void }): void {
    if (this.quitting || !this.deps.automatic.isOn()) return;
    event.preventDefault();
    this.deps.getWindow()?.hide();
    this.showTray();
    if (!this.deps.notice.shown()) {
      this.deps.notice.markShown();
      this.deps.notify(KEEPS_RUNNING_TITLE, KEEPS_RUNNING_BODY);
    }
  }

  /** For app 'before-quit': a real quit closes the window for good. */
  onBeforeQuit(): void {
    this.quitting = true;
  }

  /** The tray icon with its menu (rebuilt so "Pause" reflects the switch). */
  showTray(): void {
    if (!this.tray) {
      this.tray = this.deps.createTray();
      this.tray.setToolTip(TRAY_TOOLTIP);
      this.tray.on('click', () => this.open());
    }
    this.refreshMenu();
  }

  refreshMenu(): void {
    if (!this.tray) return;
    const on = this.deps.automatic.isOn();
    this.tray.setContextMenu(
      this.deps.buildMenu([
        { label: 'Open Reminder Desk', click: () => this.open() },
        { label: on ? 'Pause automatic reminders' : 'Automatic reminders are paused', enabled: on, click: () => this.pause() },
        { label: '', type: 'separator' },
        { label: 'Quit Reminder Desk', click: () => this.quit() },
      ]),
    );
  }

  private open(): void {
    const window = this.deps.getWindow();
    if (window && !window.isDestroyed()) {
      window.show();
      window.focus();
    } else {
      this.deps.openWindow();
    }
  }

  private pause(): void {
    this.deps.automatic.pause();
    this.refreshMenu();
  }

  private quit(): void {
    this.quitting = true;
    this.tray?.destroy();
    this.tray = null;
    this.deps.quit();
  }
}

/** Electron's pieces the background mode needs (main.ts passes them through desktop-app.ts). */
export interface TrayElectron {
  Tray: new (icon: string) => TrayLike;
  Menu: { buildFromTemplate(items: MenuItemSpec[]): unknown };
  Notification: { isSupported(): boolean; new (opts: { title: string; body: string }): { show(): void } };
  powerMonitor: { on(event: 'resume', listener: () => void): unknown };
  app: { quit(): void };
}

export interface TrayEngine {
  batches: {
    automatic: { isOn(): boolean; set(enabled: boolean): unknown; backgroundNotice: BackgroundDeps['notice'] };
    wake(): void;
  };
}

export function desktopBackgroundMode(
  electron: TrayElectron,
  engine: TrayEngine,
  opts: { iconPath: string; getWindow: () => ClosableWindow | null; openWindow: () => void },
): BackgroundMode {
  const { automatic } = engine.batches;
  return new BackgroundMode({
    createTray: () => new electron.Tray(opts.iconPath),
    buildMenu: (items) => electron.Menu.buildFromTemplate(items),
    automatic: { isOn: () => automatic.isOn(), pause: () => void automatic.set(false) },
    getWindow: opts.getWindow,
    openWindow: opts.openWindow,
    quit: () => electron.app.quit(),
    notify: (title, body) => {
      if (electron.Notification.isSupported()) new electron.Notification({ title, body }).show();
    },
    notice: automatic.backgroundNotice,
    onResume: () => engine.batches.wake(),
    powerMonitor: electron.powerMonitor,
  });
}
