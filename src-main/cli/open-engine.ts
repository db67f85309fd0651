import { Engine, type EngineOptions } from '../core/engine';
import { defaultDataDir } from '../core/settings/load-settings';

/** Options every command accepts (before or after the command name). */
export interface GlobalOptions {
  config?: string;
  dataDir?: string;
}

export function resolveDataDir(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  return globals.dataDir ?? defaultDataDir(env);
}

export function openEngine(globals: GlobalOptions, extra: Omit<EngineOptions, 'dataDir' | 'configFile'> = {}): Promise<Engine> {
  return Engine.open({ dataDir: resolveDataDir(globals), configFile: globals.config, logToConsole: true, ...extra });
}

/** Runs `work` with an opened engine and always stops it (which closes the database). */
export async function withEngine<T>(
  globals: GlobalOptions,
  extra: Omit<EngineOptions, 'dataDir' | 'configFile'>,
  work: (engine: Engine) => Promise<T>,
): Promise<T> {
  const engine = await openEngine(globals, extra);
  try {
    return await work(engine);
  } finally {
    await engine.stop();
  }
}

/** Resolves when the process is asked to stop (Ctrl+C, `kill`, a service manager). */
export function untilSignal(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      for (const s of signals) process.off(s, onSignal);
      resolve(signal);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
