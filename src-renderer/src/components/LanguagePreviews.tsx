import { useEffect, useState } from 'react';
import type { LanguagePreview } from '../../../src-main/core/api/contract';
import { useApi } from '../api/hooks';

/** Each configured language (message.templates / message.voices): what a person and an answering machine hear. */
export function LanguagePreviews({ refreshKey }: { refreshKey: string }) {
  const api = useApi();
  const [previews, setPreviews] = useState<LanguagePreview[] | null>(null);
  useEffect(() => {
    void api.invoke('settings/preview-languages', {}).then((result) => setPreviews(result.ok ? result.value : null));
  }, [api, refreshKey]);
  if (!previews) return null;
  return (
    <div className="language-previews" data-testid="language-previews">
      {previews.map((preview) => (
        <div key={preview.language} className="result-box" data-testid="language-preview" data-language={preview.language}>
          <strong>
            {preview.language}
            {preview.voice ? ` · voice ${preview.voice}` : ''}
          </strong>
          <p>{preview.text}</p>
          <p className="muted small">Voicemail: {preview.voicemailText}</p>
        </div>
      ))}
      <p className="muted small">More languages and voices: message.templates and message.voices in settings.yaml; a “language” column in the appointments file picks one.</p>
    </div>
  );
}
