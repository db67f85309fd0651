import type { DoNotCallView, HandlerSlice, LanguagePreview } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import { chooseMessage, configuredLanguages } from '../appointments/message-language';
import type { EngineContext } from '../engine-context';
import { nowIso } from '../store/database';
import { addNumber, DoNotCallInputError, listDoNotCall, removeNumber } from './do-not-call-list';
import type { Voice } from './voice';

// The Do-not-call screen and the settings screen's language previews.

type Operations = 'do-not-call/list' | 'do-not-call/add' | 'do-not-call/remove' | 'settings/preview-languages';

/** The preview's sample patient: this time tomorrow, like the message preview's. */
function sampleAppointmentAt(nowMs: number): string {
  return new Date(nowMs + 86_400_000).toISOString();
}

export function reminderVoiceHandlers(ctx: EngineContext, voice: Pick<Voice, 'renderMessage'>): HandlerSlice<Operations> {
  const list = (): DoNotCallView[] => listDoNotCall(ctx.db);
  const region = (): string => ctx.getSettings().phone.default_region;
  return {
    'do-not-call/list': list,
    'do-not-call/add': ({ number, reason }) => {
      try {
        addNumber(ctx.db, { number, reason: reason ?? null, defaultRegion: region(), now: nowIso(ctx.clock) });
      } catch (error) {
        if (error instanceof DoNotCallInputError) throw new ApiFailure('validation', error.message);
        throw error;
      }
      return list();
    },
    'do-not-call/remove': ({ phoneNumber }) => {
      if (!removeNumber(ctx.db, phoneNumber, region()).removed) throw new ApiFailure('not-found', `${phoneNumber} is not on the do-not-call list.`);
      return list();
    },
    'settings/preview-languages': (): LanguagePreview[] => {
      const settings = ctx.getSettings();
      const sample = { name: 'Maria Delgado', appointmentAt: sampleAppointmentAt(ctx.clock()), location: 'Main Street Clinic', timezone: null };
      return configuredLanguages(settings).map((language) => ({
        language,
        voice: chooseMessage(settings, language).voice.voice ?? null,
        text: voice.renderMessage({ ...sample, language }),
        voicemailText: voice.renderMessage({ ...sample, language }, 'voicemail'),
      }));
    },
  };
}
