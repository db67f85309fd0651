import type { ApiEvents, ConnectionStatus } from '../../../src-main/core/api/contract';
import { useApiEvent } from '../api/hooks';

/** App-wide pushed events (the connection pill and the rejected-signature banner live above every screen). */
export function EventBridge({ onConnection, onRejected }: { onConnection: (status: ConnectionStatus) => void; onRejected: (payload: ApiEvents['callback-rejected']) => void }) {
  useApiEvent('connection-changed', onConnection);
  useApiEvent('callback-rejected', onRejected);
  return null;
}
