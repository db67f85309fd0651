import type { EngineEvents } from './engine-events';
import type { SimulatorOptions } from './practice/simulator/twilio-simulator';
import type { Settings } from './settings/schema';
import type { SecretStore } from './settings/secrets';
import type { Db } from './store/database';
import type { TunnelProvider } from './connection/tunnel-manager';

// What the composition root (engine.ts) hands every room: the open database, settings, secrets, clock and the
// event channel to the UI. Rooms take this plus the few functions of other rooms they need, never the rooms.

export interface EngineTiming {
  pollFirstAfterMs?: number;
  pollMaxIntervalMs?: number;
  reconcileIntervalMs?: number;
  /** How often a batch re-reads its counts while waiting for final statuses (default 1 s). */
  waitCheckMs?: number;
  /** The tunnel's reconnect back-off (default 1 s doubling to 60 s). */
  tunnelBackoff?: { initialMs: number; maxMs: number };
}

export interface EngineContext {
  dataDir: string;
  settingsFile: string;
  db: Db;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  clock: () => number;
  events: EngineEvents;
  practiceOverride: boolean | undefined;
  simulatorOverrides: Partial<SimulatorOptions>;
  tunnelProvider: TunnelProvider | undefined;
  timing: EngineTiming;
  /** The sample CSV `practice/load-sample` imports, or null when this installation ships none. */
  sampleAppointmentsFile: string | null;
  getSettings(): Settings;
  setSettings(next: Settings): void;
}
