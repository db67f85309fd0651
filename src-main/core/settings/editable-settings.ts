import type { EditableSettings } from '../api/contract';
import type { Settings, SettingsInput } from './schema';

// The settings staff may change in the app, as a table from each UI name to its settings.yaml key: the two
// mappings (settings -> screen, screen patch -> settings patch) are derived from it instead of written twice.

type Section = keyof Settings;
export const EDITABLE_SETTINGS = {
  messageTemplate: ['message', 'message_template'],
  callsPerSecond: ['calling', 'calls_per_second'],
  maxRetries: ['calling', 'max_retries'],
  retryDelaySeconds: ['calling', 'retry_delay_seconds'],
  callTimeoutSeconds: ['calling', 'call_timeout_seconds'],
  detectVoicemail: ['calling', 'detect_voicemail'],
  callingHours: ['scheduling', 'calling_hours'],
  timezone: ['scheduling', 'timezone'],
  defaultRegion: ['phone', 'default_region'],
} as const satisfies Record<keyof EditableSettings, readonly [Section, string]>;

export function toEditableSettings(settings: Settings): EditableSettings {
  const out: Record<string, unknown> = {};
  for (const [name, [section, key]] of Object.entries(EDITABLE_SETTINGS)) {
    out[name] = (settings[section] as Record<string, unknown>)[key];
  }
  return out as unknown as EditableSettings;
}

export function toSettingsPatch(patch: Partial<EditableSettings>): SettingsInput {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, [section, key]] of Object.entries(EDITABLE_SETTINGS)) {
    let value = patch[name as keyof EditableSettings];
    if (value === undefined) continue;
    if (name === 'defaultRegion') value = String(value).toUpperCase();
    (out[section] ??= {})[key] = value;
  }
  return out as SettingsInput;
}
