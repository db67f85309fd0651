// The events the core pushes to the UI, named once. The contract gives each its payload type; the preload and the
// browser preview's client accept exactly these names. No imports: the sandboxed preload bundles this file.

export const EVENT_NAMES = ['call-updated', 'batch-progress', 'connection-changed', 'appointments-changed', 'callback-rejected'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}
