import { toPlainError, type ErrorLike } from './plain-errors';

/**
 * An error in staff words. The raw detail is folded away under "Details" (a native <details>, so it works with
 * keyboard and screen readers and prints open only when staff opened it).
 */
export function ErrorNotice({ error, testId, variant = 'banner' }: { error: ErrorLike | string; testId?: string; variant?: 'banner' | 'inline' }) {
  const { sentence, details } = toPlainError(error);
  return (
    <div className={variant === 'banner' ? 'error-banner' : 'error-text'} role="alert" data-testid={testId}>
      <p className="error-sentence">{sentence}</p>
      {details && (
        <details className="error-details">
          <summary>Details</summary>
          <p className="mono small">{details}</p>
        </details>
      )}
    </div>
  );
}
