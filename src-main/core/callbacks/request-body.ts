import type { IncomingMessage } from 'node:http';
import type { SignedParams } from './signature';

// Reading a form body from the public side: the size limit is enforced while the bytes stream in, so a client
// announcing (or sending) megabytes costs us at most `maxBytes` of memory.

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

export class BodyAbortedError extends Error {
  override readonly name = 'BodyAbortedError';
}

export function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new BodyTooLargeError(`Body of ${declared} bytes exceeds ${maxBytes}`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (error) {
        // Stop reading: the rest of the body is not wanted (the response closes the connection).
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(new BodyTooLargeError(`Body exceeds ${maxBytes} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = (error: Error) => finish(new BodyAbortedError(error.message));
    const onClose = () => finish(new BodyAbortedError('Client closed the connection before sending the whole body'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

export interface FormParams {
  /** As posted (a repeated key keeps all its values): what the signature covers. */
  signed: SignedParams;
  /** One value per key (the first), for everything else. */
  flat: Record<string, string>;
}

export function parseForm(body: Buffer): FormParams {
  const signed: SignedParams = {};
  const flat: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    const existing = signed[key];
    if (existing === undefined) {
      signed[key] = value;
      flat[key] = value;
    } else {
      signed[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  return { signed, flat };
}
