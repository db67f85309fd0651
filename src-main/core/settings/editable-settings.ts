import { EDITABLE_SETTING_KEYS, type EditableSettings } from '../api/contract';
import type { Settings, SettingsInput } from './schema';

// The settings staff may change in the app map to settings.yaml keys through one table (EDITABLE_SETTING_KEYS in the
// contract): both directions (settings -> screen, screen patch -> settings patch) are derived from it.

const EDITABLE = Object.entries(EDITABLE_SETTING_KEYS).map(([name, key]) => [name, ...key.split('.')] as [keyof EditableSettings, keyof Settings, string]);

export function toEditableSettings(settings: Settings): EditableSettings {
  const out: Record<string, unknown> = {};
  for (const [name, section, key] of EDITABLE) {
    out[name] = (settings[section] as Record<string, unknown>)[key];
  }
  return out as unknown as EditableSettings;
}

export function toSettingsPatch(patch: Partial<EditableSettings>): SettingsInput {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, section, key] of EDITABLE) {
    const value = patch[name];
    if (value === undefined) continue;
    (out[section] ??= {})[key] = value;
  }
  return out as SettingsInput;
}
