import path from 'node:path';
import { ApiFailure } from '../api/invoke-operation';
import type { EngineContext } from '../engine-context';
import { bounded } from '../lifecycle';
import { getMeta, setMeta } from '../store/app-meta';
import { PRACTICE_PHONE_NUMBERS, TwilioSimulator } from './simulator/twilio-simulator';

// Practice mode: a built-in Twilio simulator instead of the real account. This room owns the switch (saved in
// app_meta, overridable per run with --simulate) and the simulator's life; what a switch means for the other
// rooms (a new Twilio client, routing, the scheduler) is told to them through `onSwitched`.

export interface PracticeModeDeps {
  /** True while any batch is calling: switching modes then is refused. */
  batchesRunning(): boolean;
  /** The caller number the simulator must own. */
  fromNumber(): string | null;
  /** Runs after every switch (and after the simulator starts), so other rooms rebuild what depends on the mode. */
  onSwitched(): Promise<void> | void;
}

export class PracticeMode {
  /** True when calls go to the simulator. */
  active: boolean;
  private sim: TwilioSimulator | null = null;
  private running = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly deps: PracticeModeDeps,
  ) {
    this.active = ctx.practiceOverride ?? this.isStored();
  }

  /** The simulator while practice mode runs (tests read its request log). */
  get simulator(): TwilioSimulator | null {
    return this.sim;
  }

  isStored(): boolean {
    return getMeta(this.ctx.db, 'practice_mode') === '1';
  }

  async start(): Promise<void> {
    this.running = true;
    if (this.active) await this.startSimulator();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.stopSimulator();
  }

  async enable(): Promise<void> {
    // Checked before anything is remembered, so a refused switch leaves the saved mode as it was.
    if (!this.active && this.deps.batchesRunning()) throw new ApiFailure('conflict', 'a batch is running: pause or cancel it before switching to practice mode');
    setMeta(this.ctx.db, 'practice_mode', '1');
    if (this.active) return;
    this.active = true;
    if (this.running) await this.startSimulator();
    await this.deps.onSwitched();
  }

  /**
   * Back to real calls: the simulator stops, the next Twilio request uses the real account's credentials, and
   * callbacks route through the tunnel / own URL / polling again.
   */
  async disable(): Promise<void> {
    if (this.deps.batchesRunning()) throw new ApiFailure('conflict', 'A batch is still calling. Pause or cancel it on the Reminder batches screen, then connect your Twilio account.');
    setMeta(this.ctx.db, 'practice_mode', '0');
    if (!this.active) return;
    this.active = false;
    await this.stopSimulator();
    await this.deps.onSwitched();
  }

  private async stopSimulator(): Promise<void> {
    const sim = this.sim;
    this.sim = null;
    if (sim) await bounded('simulator', () => sim.stop());
  }

  private async startSimulator(): Promise<void> {
    const sim = this.ctx.getSettings().simulator;
    const from = this.deps.fromNumber() ?? PRACTICE_PHONE_NUMBERS[0]!;
    const simulator = new TwilioSimulator({
      host: '127.0.0.1',
      port: 0,
      timeScale: sim.time_scale,
      shuffleCallbacks: sim.shuffle_callbacks,
      duplicateCallbacks: sim.duplicate_callbacks,
      dropCallbacks: sim.drop_callbacks,
      rateLimitEvery: sim.rate_limit_every,
      seed: sim.seed,
      // Kept in the data dir so a restart mid-batch finds its calls again and reconciles them.
      stateFile: path.join(this.ctx.dataDir, 'simulator-state.json'),
      phoneNumbers: [...new Set([from, ...PRACTICE_PHONE_NUMBERS])],
      ...this.ctx.simulatorOverrides,
    });
    await simulator.start();
    this.sim = simulator;
  }
}
