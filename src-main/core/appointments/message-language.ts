import type { Settings } from '../settings/schema';

// Which template and which <Say> voice an appointment gets, from its optional `language` column.
// message.templates[lang]; `en` (and any language without a template) falls back to message.message_template.

export interface MessageChoice {
  language: string;
  template: string;
  voicemailTemplate: string;
  voice: { voice?: string; language?: string };
}

/** "es-MX" finds templates["es-mx"], then templates["es"]. */
function lookup<T>(table: Record<string, T>, language: string): T | undefined {
  return table[language] ?? table[language.split('-')[0]!];
}

export function chooseMessage(settings: Settings, language: string | null | undefined): MessageChoice {
  const lang = (language ?? 'en').trim().toLowerCase() || 'en';
  const { message } = settings;
  const template = lookup(message.templates, lang) ?? message.message_template;
  const voicemailTemplate = lookup(message.voicemail_templates, lang) ?? message.voicemail_template;
  const configured = lookup(message.voices, lang);
  const voice: MessageChoice['voice'] = {};
  if (configured?.voice) voice.voice = configured.voice;
  if (configured?.language) voice.language = configured.language;
  return { language: lang, template, voicemailTemplate, voice };
}

/** Every language the settings name (for the settings screen's previews), `en` first. */
export function configuredLanguages(settings: Settings): string[] {
  const langs = new Set(['en', ...Object.keys(settings.message.templates), ...Object.keys(settings.message.voices)]);
  return [...langs];
}
