import type { HandlerSlice } from '../api/contract';
import type { AutomaticReminders } from './automatic-reminders';

export function automaticHandlers(automatic: AutomaticReminders): HandlerSlice<'automatic/get' | 'automatic/set'> {
  return {
    'automatic/get': () => automatic.view(),
    'automatic/set': ({ enabled }) => automatic.set(enabled),
  };
}
