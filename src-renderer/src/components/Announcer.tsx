import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useApiEvent } from '../api/hooks';
import { batchHeadline, batchProgressLine } from '../batch-words';

// Screen-reader announcements for things that change on their own (a call ends, a batch finishes). One polite
// live region for the whole app, rate-limited: a batch of hundreds of calls must not read out every chip, so
// messages arriving within the interval are folded into the next announcement, newest wins per topic.

export const ANNOUNCE_INTERVAL_MS = 4_000;

type Announce = (topic: string, message: string) => void;
const AnnouncerContext = createContext<Announce>(() => undefined);

export function useAnnounce(): Announce {
  return useContext(AnnouncerContext);
}

export function AnnouncerProvider({ children, intervalMs = ANNOUNCE_INTERVAL_MS }: { children: ReactNode; intervalMs?: number }) {
  const [text, setText] = useState('');
  const pending = useRef(new Map<string, string>());
  const lastAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = useCallback(() => {
    timer.current = null;
    if (pending.current.size === 0) return;
    lastAt.current = Date.now();
    setText([...pending.current.values()].join(' '));
    pending.current.clear();
  }, []);

  const announce = useCallback<Announce>(
    (topic, message) => {
      pending.current.set(topic, message);
      if (timer.current) return;
      const wait = Math.max(0, lastAt.current + intervalMs - Date.now());
      timer.current = setTimeout(flush, wait);
    },
    [flush, intervalMs],
  );

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {text}
      </div>
    </AnnouncerContext.Provider>
  );
}

/** Batch progress for screen readers on every screen (one topic per batch, so two batches are both heard). */
export function BatchAnnouncements() {
  const announce = useAnnounce();
  useApiEvent('batch-progress', (progress) => {
    announce(`batch-${progress.batch.id}`, `${progress.batch.label}: ${batchHeadline(progress)}. ${batchProgressLine(progress)}.`);
  });
  return null;
}
