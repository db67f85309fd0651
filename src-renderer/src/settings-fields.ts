import type { EditableSettings } from '../../src-main/core/api/contract';

// Checks the Settings screen makes while staff type, in the words on screen. The core checks again on save
// (editableSettingsSchema); these limits mirror it so the box says what is wrong before Save is pressed.

export type NumberField = 'callsPerSecond' | 'maxRetries' | 'retryDelaySeconds' | 'callTimeoutSeconds';

export const NUMBER_FIELDS: readonly NumberField[] = ['callsPerSecond', 'maxRetries', 'retryDelaySeconds', 'callTimeoutSeconds'];

const RULES: Record<NumberField, { min: number; max: number; whole: boolean; minExclusive?: boolean }> = {
  callsPerSecond: { min: 0, max: 100, whole: false, minExclusive: true },
  maxRetries: { min: 0, max: 10, whole: true },
  retryDelaySeconds: { min: 0, max: 86_400, whole: true },
  callTimeoutSeconds: { min: 5, max: 600, whole: true },
};

/** A plain sentence when the typed text is not an acceptable value, else null. */
export function checkNumberField(field: NumberField, text: string): string | null {
  const rule = RULES[field];
  if (text.trim() === '') return 'Enter a number.';
  const value = Number(text);
  if (!Number.isFinite(value)) return 'Enter a number.';
  if (rule.whole && !Number.isInteger(value)) return 'Enter a whole number.';
  if (rule.minExclusive ? value <= rule.min : value < rule.min) return rule.minExclusive ? `Must be more than ${rule.min}.` : `Must be ${rule.min} or more.`;
  if (value > rule.max) return `Must be ${rule.max.toLocaleString('en-US')} or less.`;
  return null;
}

/** Every time zone this computer knows (IANA names), with the saved one kept even if it is unusual. */
export function timeZoneChoices(current: EditableSettings['timezone']): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  // "UTC" is not always in the list but is a valid setting.
  const all = new Set([...zones, 'UTC']);
  if (current) all.add(current);
  return [...all].sort();
}
