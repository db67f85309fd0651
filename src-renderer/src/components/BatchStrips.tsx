import type { BatchProgress } from '../../../src-main/core/api/contract';
import { batchHeadline, batchNumbers, batchProgressLine } from '../batch-words';
import { BatchCounts } from './BatchCounts';
import { ProgressBar } from './ProgressBar';

/** One strip per batch still calling (two batches at once are both shown), plus finished ones until dismissed. */
export function BatchStrips({ strips, onOpenBatch, onDismiss }: { strips: BatchProgress[]; onOpenBatch: (batchId: string) => void; onDismiss: (batchId: string) => void }) {
  if (strips.length === 0) return null;
  return (
    <div className="batch-strips">
      {strips.map((progress) => {
        const numbers = batchNumbers(progress);
        return (
          <section key={progress.batch.id} className="batch-strip" data-testid="batch-strip" data-batch={progress.batch.id} data-phase={progress.phase} aria-label={`Batch ${progress.batch.label}`}>
            <div className="batch-strip-head">
              <strong>
                {progress.batch.label} · {batchHeadline(progress)}
              </strong>
              <span data-testid="batch-strip-line">{batchProgressLine(progress)}</span>
              <button type="button" className="button small" onClick={() => onOpenBatch(progress.batch.id)}>
                Open batch
              </button>
              {progress.phase === 'done' && (
                <button type="button" className="button small ghost" onClick={() => onDismiss(progress.batch.id)} aria-label={`Hide the ${progress.batch.label} batch`}>
                  Hide
                </button>
              )}
            </div>
            {/* A finished batch needs no bar: its strip shrinks to the results. */}
            {progress.phase !== 'done' && <ProgressBar done={numbers.ended} total={numbers.called} label={`Progress of ${progress.batch.label}`} />}
            <BatchCounts progress={progress} />
          </section>
        );
      })}
    </div>
  );
}
