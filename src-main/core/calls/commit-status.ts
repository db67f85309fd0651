import type { Db } from '../store/database';
import { recordStatusEvent, type RecordResult, type StatusEventInput } from '../store/status-events';

/** Stores one status event durably; resolves once it is committed (possibly together with others). */
export type CommitStatus = (event: StatusEventInput) => Promise<RecordResult>;

/** One transaction per event: for callers without a group commit (tests, one-off tools). */
export function commitDirectly(db: Db): CommitStatus {
  return (event) => Promise.resolve(recordStatusEvent(db, event));
}
