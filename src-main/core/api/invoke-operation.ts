import { maskPhonesIn, staffMessage, toStaffError } from '../vocabulary/staff-errors';
import { isOperationName, parseOperationArgs, type ApiError, type ApiHandlers, type Envelope, type OperationName } from './contract';

/** Throw this from a handler to send the UI a specific kind of error with a message meant for staff. */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly kind: ApiError['kind'],
    message: string,
    /** The raw technical detail behind the message (a "Details" toggle); phone numbers are masked on the way out. */
    readonly details?: string,
  ) {
    super(message);
  }
}

/** Every error leaves in staff words (vocabulary/staff-errors.ts): a known raw text is translated, the raw kept as details. */
function staffError(kind: ApiError['kind'], message: string, details?: string): ApiError {
  const staff = staffMessage(message);
  const rawDetails = details ?? staff.details;
  return { kind, message: staff.message, ...(rawDetails ? { details: maskPhonesIn(rawDetails) } : {}) };
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
  /** A refusal with technical details behind its staff sentence (the host logs them; phone numbers are masked). */
  onRefused?: (operation: string, error: ApiError) => void,
): Promise<Envelope<unknown>> {
  if (!isOperationName(operation)) return { ok: false, error: { kind: 'not-found', message: `Unknown operation ${String(operation).slice(0, 80)}` } };
  const parsed = parseOperationArgs(operation, rawArgs);
  if (!parsed.ok) return { ok: false, error: staffError(parsed.error.kind, parsed.error.message) };
  try {
    const handler = handlers[operation] as (args: unknown) => unknown;
    return { ok: true, value: await handler(parsed.value) };
  } catch (error) {
    if (error instanceof ApiFailure) {
      const refused = staffError(error.kind, error.message, error.details);
      if (refused.details) onRefused?.(operation, refused);
      return { ok: false, error: refused };
    }
    // Unexpected here, but maybe a known one (offline, a file open in Excel): logged either way, said plainly.
    onInternalError?.(operation as OperationName, error);
    const staff = toStaffError(error);
    return { ok: false, error: { kind: staff.known ? 'unavailable' : 'internal', message: staff.message, ...(staff.known && staff.details ? { details: staff.details } : {}) } };
  }
}
