import { diagnoseRejectedSignature, type SignatureDiagnosisInput } from './signature-diagnostics';
import { TokenBucket } from './token-bucket';

// The plain-words diagnosis of a rejected signature tries many URL variants (one HMAC each over the whole
// parameter set). Run on every forged request it was an amplifier: 30 attacking connections kept the listener busy
// past Twilio's 15 s timeout. A misconfiguration shows up on every callback of every call, so a sample is enough
// to name it: at most `burst` diagnoses, refilled one per `intervalMs`, only for bodies of Twilio's size, and with
// a small variant budget. Everything else gets NOT_DIAGNOSED_REASON after the one cheap comparison.

export const NOT_DIAGNOSED_REASON =
  'Callbacks are being rejected: the signature does not match the URL registered for this request (not diagnosed further: rate-limited or not shaped like a Twilio callback).';

export interface DiagnosisSamplerOptions {
  clock?: () => number;
  intervalMs?: number;
  burst?: number;
  /** Bodies larger than this are not diagnosed (Twilio's callbacks are 1-3 KB). */
  maxBodyBytes?: number;
  maxFields?: number;
  /** HMACs one diagnosis may compute. */
  maxVariants?: number;
}

export interface SampledDiagnosis {
  reason: string;
  /** False when the sample skipped this request (the reason is then NOT_DIAGNOSED_REASON). */
  diagnosed: boolean;
}

export class DiagnosisSampler {
  private readonly maxBodyBytes: number;
  private readonly maxFields: number;
  private readonly maxVariants: number;
  private readonly bucket: TokenBucket;

  constructor(opts: DiagnosisSamplerOptions = {}) {
    this.maxBodyBytes = opts.maxBodyBytes ?? 8 * 1024;
    this.maxFields = opts.maxFields ?? 64;
    this.maxVariants = opts.maxVariants ?? 64;
    this.bucket = new TokenBucket(1000 / (opts.intervalMs ?? 10_000), opts.burst ?? 3, opts.clock ?? Date.now);
  }

  diagnose(input: Omit<SignatureDiagnosisInput, 'maxVariants'> & { bodyBytes: number }): SampledDiagnosis {
    const { bodyBytes, ...diagnosis } = input;
    const fields = Object.values(input.params).reduce((n, value) => n + (Array.isArray(value) ? value.length : 1), 0);
    if (bodyBytes > this.maxBodyBytes || fields > this.maxFields || !this.bucket.take()) return { reason: NOT_DIAGNOSED_REASON, diagnosed: false };
    return { reason: diagnoseRejectedSignature({ ...diagnosis, maxVariants: this.maxVariants }).reason, diagnosed: true };
  }
}
