import type { CallbackRequestView, HandlerSlice } from '../api/contract';
import type { EngineContext } from '../engine-context';
import { listCallbackRequests } from '../store/callback-requests';
import { toCallbackRequestView } from './callback-views';

export function callbackHandlers(ctx: EngineContext): HandlerSlice<'callbacks/list'> {
  return {
    'callbacks/list': ({ limit, callSid }): CallbackRequestView[] =>
      listCallbackRequests(ctx.db, { limit, ...(callSid ? { callSid } : {}) }).map(toCallbackRequestView),
  };
}
