import { isOperationName, parseOperationArgs, type ApiError, type ApiHandlers, type Envelope, type OperationName } from './contract';

/** Throw this from a handler to send the UI a specific kind of error with a message meant for staff. */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly kind: ApiError['kind'],
    message: string,
  ) {
    super(message);
  }
}

/**
 * The single entry point every transport (Electron IPC, the preview's HTTP API) goes through:
 * unknown operations and bad arguments are refused here, and handler errors become values.
 */
export async function invokeOperation(
  handlers: ApiHandlers,
  operation: unknown,
  rawArgs: unknown,
  onInternalError?: (operation: string, error: unknown) => void,
): Promise<Envelope<unknown>> {
  if (!isOperationName(operation)) return { ok: false, error: { kind: 'not-found', message: `Unknown operation ${String(operation).slice(0, 80)}` } };
  const parsed = parseOperationArgs(operation, rawArgs);
  if (!parsed.ok) return parsed;
  try {
    const handler = handlers[operation] as (args: unknown) => unknown;
    return { ok: true, value: await handler(parsed.value) };
  } catch (error) {
    if (error instanceof ApiFailure) return { ok: false, error: { kind: error.kind, message: error.message } };
    onInternalError?.(operation as OperationName, error);
    return { ok: false, error: { kind: 'internal', message: 'Something went wrong inside Reminder Desk; the details are in the log file.' } };
  }
}
