import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { acceptedUrlForms, findSignedUrl, MAX_CANDIDATE_URLS, signedParamString } from '../../../src-main/core/callbacks/signature';
import type { FormFields } from '../../../src-main/core/http/form';

// The listener's own signature check (one HMAC per URL form, the parameter string built once) must accept
// exactly what twilio's validateRequest accepts.

const TOKEN = 'token-0123456789';
const PARAMS: FormFields = { CallSid: 'CA1', CallStatus: 'ringing', Event: ['b', 'a', 'b'], Empty: '', 'Ünï': 'çødé ✓' };

describe('the one-HMAC signature check', () => {
  const urls = [
    'https://a.example/status',
    'https://a.example:443/status',
    'http://a.example/status',
    'http://a.example:8080/status?x=1&y=2',
    "https://a.example/twiml?attempt=3&name=O'Brien",
    'https://user@a.example/status',
    'https://[::1]:9/status',
    'https://a.example/status/',
  ];

  it('agrees with twilio.validateRequest for every URL form it signs', () => {
    for (const registered of urls) {
      for (const signedFor of new Set([...urls, ...acceptedUrlForms(registered)])) {
        const signature = twilio.getExpectedTwilioSignature(TOKEN, signedFor, PARAMS);
        const ours = findSignedUrl(TOKEN, signature, [registered], PARAMS) === registered;
        expect(ours, `${signedFor} against ${registered}`).toBe(twilio.validateRequest(TOKEN, signature, registered, PARAMS));
      }
    }
  });

  it('builds the parameter string as Twilio does (keys sorted, repeated values deduplicated and sorted)', () => {
    expect(signedParamString({ b: '2', a: ['y', 'x', 'y'] })).toBe('axayb2');
  });

  it('refuses signatures that cannot be an HMAC-SHA1 without computing one, and tries a bounded number of URLs', () => {
    expect(findSignedUrl(TOKEN, 'not base64!', ['https://a.example/status'], PARAMS)).toBeNull();
    expect(findSignedUrl(TOKEN, Buffer.alloc(32).toString('base64'), ['https://a.example/status'], PARAMS)).toBeNull();
    const many = Array.from({ length: MAX_CANDIDATE_URLS + 5 }, (_, i) => `https://h${i}.example/status`);
    const last = many.at(-1)!;
    expect(findSignedUrl(TOKEN, twilio.getExpectedTwilioSignature(TOKEN, last, PARAMS), many, PARAMS)).toBeNull();
    const inRange = many[MAX_CANDIDATE_URLS - 1]!;
    expect(findSignedUrl(TOKEN, twilio.getExpectedTwilioSignature(TOKEN, inRange, PARAMS), many, PARAMS)).toBe(inRange);
  });

  it('costs about one HMAC over the body for a forged 62 KB request with 9,000 repeated values', () => {
    const forged: FormFields = { CallSid: 'CA1', X: Array.from({ length: 9000 }, (_, i) => `v${i}`) };
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(findSignedUrl(TOKEN, Buffer.alloc(20).toString('base64'), ['https://a.example/status'], forged)).toBeNull();
    // Generous bound for a shared 2-core machine; the old path took ~130 ms per request.
    expect((performance.now() - started) / 20).toBeLessThan(40);
  });
});
