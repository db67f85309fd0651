import { ApiFailure } from '../api/invoke-operation';
import type { EngineContext } from '../engine-context';
import { saveSettings, SettingsError } from './load-settings';
import type { Settings, SettingsInput } from './schema';

/** Saves a patch to settings.yaml (validated by the one schema) and makes it current; a bad value is a validation failure. */
export function updateSettings(ctx: EngineContext, patch: SettingsInput): Settings {
  try {
    const next = saveSettings(ctx.settingsFile, patch);
    ctx.setSettings(next);
    return next;
  } catch (error) {
    if (error instanceof SettingsError) throw new ApiFailure('validation', error.issues.length ? error.issues.join('; ') : error.message);
    throw error;
  }
}
