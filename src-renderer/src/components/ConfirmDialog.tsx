import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal question before anything that rings phones or stops calls. The native <dialog> (showModal) keeps focus
 * inside, makes the page behind inert for screen readers, and closes on Esc; focus returns to what opened it.
 * The safe choice is focused first, so Enter never dials by accident.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = 'Go back',
  tone = 'primary',
  busy = false,
  confirmDisabled = false,
  onConfirm,
  onCancel,
  testId,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  tone?: 'primary' | 'danger';
  busy?: boolean;
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const onCancelRef = useRef(onCancel);
  useEffect(() => {
    onCancelRef.current = onCancel;
  });

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) element.showModal();
    cancelButton.current?.focus();
    const onEscape = (event: Event) => {
      event.preventDefault(); // React decides when it closes
      onCancelRef.current();
    };
    element.addEventListener('cancel', onEscape);
    return () => {
      element.removeEventListener('cancel', onEscape);
      if (element.open) element.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={dialog} className="confirm-dialog" aria-labelledby="confirm-dialog-title" data-testid={testId}>
      <h2 id="confirm-dialog-title">{title}</h2>
      <div className="confirm-body">{children}</div>
      <div className="button-row">
        <button type="button" className={`button ${tone}`} disabled={busy || confirmDisabled} onClick={onConfirm} data-testid={testId ? `${testId}-confirm` : undefined}>
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button ref={cancelButton} type="button" className="button ghost" disabled={busy} onClick={onCancel} data-testid={testId ? `${testId}-cancel` : undefined}>
          {cancelLabel}
        </button>
      </div>
    </dialog>
  );
}
