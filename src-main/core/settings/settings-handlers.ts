import type { HandlerSlice } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import { renderReminderMessage, validateMessageTemplate } from '../appointments/reminder-message';
import type { EngineContext } from '../engine-context';
import { toEditableSettings, toSettingsPatch } from './editable-settings';
import { updateSettings } from './settings-editor';

const PREVIEW_APPOINTMENT = { name: 'Alex Morgan', location: 'Main Street Clinic' };

export function settingsHandlers(ctx: EngineContext): HandlerSlice<'settings/get' | 'settings/update' | 'settings/preview-message'> {
  return {
    'settings/get': () => toEditableSettings(ctx.getSettings()),

    'settings/update': (patch) => {
      if (patch.messageTemplate !== undefined) {
        const problems = validateMessageTemplate(patch.messageTemplate);
        if (problems.length) throw new ApiFailure('validation', `messageTemplate: ${problems.join('; ')}`);
      }
      return toEditableSettings(updateSettings(ctx, toSettingsPatch(patch)));
    },

    'settings/preview-message': ({ template }) => {
      const problems = validateMessageTemplate(template);
      // Tomorrow at 2:30 PM clinic time reads naturally in the preview whatever today is.
      const at = new Date(ctx.clock() + 86_400_000).toISOString();
      const text = renderReminderMessage(template, { ...PREVIEW_APPOINTMENT, appointmentAt: at }, ctx.getSettings().scheduling.timezone);
      return { text, problems };
    },
  };
}
