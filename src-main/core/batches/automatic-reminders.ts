import type { AutomaticRemindersView } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import type { EngineContext } from '../engine-context';
import { getMeta, setMeta } from '../store/app-meta';
import type { Db } from '../store/database';
import { nextReminderRun } from './reminder-scheduler';

// The desktop app's "Automatic reminders" switch. Stored per mode (app_meta), because turning it on to try it in
// practice mode must never mean real patients are called the moment a real account is set up: in real mode it is
// off until staff turn it on there, which needs a working Twilio account. `serve` ignores the switch (its whole
// job is the schedule).

const key = (practice: boolean): string => `automatic_reminders.${practice ? 'practice' : 'real'}`;

export function isAutomaticOn(db: Db, practice: boolean): boolean {
  return getMeta(db, key(practice)) === '1';
}

export interface AutomaticDeps {
  practice(): boolean;
  callingUnavailableReason(): string | null;
}

export class AutomaticReminders {
  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: AutomaticDeps,
  ) {}

  /** Whether the scheduler may put due reminders into batches now (checked on every tick). */
  active(): boolean {
    return isAutomaticOn(this.ctx.db, this.deps.practice()) && this.deps.callingUnavailableReason() === null;
  }

  /** The switch of the current mode. */
  isOn(): boolean {
    return isAutomaticOn(this.ctx.db, this.deps.practice());
  }

  /** The desktop app says once that it keeps running in the tray (remembered across runs). */
  readonly backgroundNotice = {
    shown: (): boolean => getMeta(this.ctx.db, 'automatic_reminders.background_notice') !== null,
    markShown: (): void => setMeta(this.ctx.db, 'automatic_reminders.background_notice', new Date(this.ctx.clock()).toISOString()),
  };

  view(): AutomaticRemindersView {
    const practice = this.deps.practice();
    const unavailable = this.deps.callingUnavailableReason();
    const enabled = isAutomaticOn(this.ctx.db, practice);
    return {
      enabled,
      practice,
      available: unavailable === null,
      unavailableReason: unavailable,
      next: nextReminderRun(this.ctx.db, this.ctx.getSettings(), this.ctx.clock()),
    };
  }

  set(enabled: boolean): AutomaticRemindersView {
    const practice = this.deps.practice();
    const unavailable = this.deps.callingUnavailableReason();
    if (enabled && unavailable) throw new ApiFailure('unavailable', `Automatic reminders need a working account first: ${unavailable}`);
    setMeta(this.ctx.db, key(practice), enabled ? '1' : '0');
    return this.view();
  }
}
