import type { CallbackRequestView } from '../api/contract';
import type { CallbackRequest } from '../store/callback-requests';

/** A callback-inspector row as the UI and `reminder-desk callbacks` show it (headers and body stay in the store). */
export function toCallbackRequestView(r: CallbackRequest): CallbackRequestView {
  return {
    id: r.id,
    receivedAt: r.receivedAt,
    method: r.method,
    path: r.path,
    callSid: r.callSid,
    signatureVerdict: r.signatureVerdict,
    rejectionReason: r.rejectionReason,
    responseStatus: r.responseStatus,
    latencyMs: r.latencyMs,
  };
}
