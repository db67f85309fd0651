import type { IncomingHttpHeaders } from 'node:http';
import type { FormFields } from '../http/form';
import type { SignatureVerdict } from '../store/callback-requests';
import type { DiagnosisSampler } from './diagnosis-sampler';
import { headerValue } from './request-headers';
import { findSignedUrl, SIGNATURE_HEADER } from './signature';
import { MISSING_AUTH_TOKEN_REASON, MISSING_SIGNATURE_REASON } from './signature-diagnostics';

// The verdict on one request's X-Twilio-Signature: valid for one of the candidate URLs (one HMAC per URL form,
// signature.ts), or rejected with a reason. Only a bounded sample of forgeries gets the plain-words diagnosis.

export interface SignatureCheck {
  verdict: SignatureVerdict;
  /** Null when valid. */
  reason: string | null;
  /** False when the reason is the undiagnosed one (the sample skipped this request). */
  diagnosed: boolean;
}

export function checkSignature(input: {
  authToken: string | null;
  headers: IncomingHttpHeaders;
  /** Path and query as received. */
  target: string;
  form: { signed: FormFields; bytes: number };
  candidates: readonly string[];
  sampler: DiagnosisSampler;
}): SignatureCheck {
  const { authToken, form, candidates } = input;
  const signature = headerValue(input.headers, SIGNATURE_HEADER);
  if (!authToken) return { verdict: 'not-checked', reason: MISSING_AUTH_TOKEN_REASON, diagnosed: true };
  if (!signature) return { verdict: 'missing', reason: MISSING_SIGNATURE_REASON, diagnosed: true };
  if (findSignedUrl(authToken, signature, candidates, form.signed) !== null) return { verdict: 'valid', reason: null, diagnosed: true };
  const diagnosis = input.sampler.diagnose({
    authToken,
    signature,
    params: form.signed,
    bodyBytes: form.bytes,
    expectedUrls: candidates,
    request: { target: input.target, headers: input.headers },
  });
  return { verdict: 'invalid', reason: diagnosis.reason, diagnosed: diagnosis.diagnosed };
}
