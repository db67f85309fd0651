import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import {
  diagnoseRejectedSignature,
  MAX_VARIANTS,
  NO_MATCH_REASON,
  signatureUrlVariants,
  splitUrl,
  type RequestHeaders,
} from '../../../src-main/core/callbacks/signature-diagnostics';
import { findSignedUrl } from '../../../src-main/core/callbacks/signature';

const TOKEN = 'diagnostics-token';
const params = { CallSid: 'CA0123456789abcdef0123456789abcdef', CallStatus: 'ringing', SequenceNumber: '1', To: '+14155550100' };

function diagnose(opts: { signedUrl: string; expectedUrls: string[]; target?: string; headers?: RequestHeaders; token?: string }) {
  const signature = twilio.getExpectedTwilioSignature(opts.token ?? TOKEN, opts.signedUrl, params);
  return diagnoseRejectedSignature({
    authToken: TOKEN,
    signature,
    params,
    expectedUrls: opts.expectedUrls,
    request: { target: opts.target ?? '/status', headers: opts.headers ?? { host: '127.0.0.1:8080' } },
  });
}

function sentence(signed: string, expected: string): string {
  return `Callbacks are being rejected: Twilio signs ${signed} but this server expects ${expected}.`;
}

describe('signature diagnostics', () => {
  it('names https vs http', () => {
    const result = diagnose({ signedUrl: 'https://abc.ngrok-free.app/status', expectedUrls: ['http://abc.ngrok-free.app/status'] });
    expect(result).toEqual({
      signedUrl: 'https://abc.ngrok-free.app/status',
      expectedUrl: 'http://abc.ngrok-free.app/status',
      reason: sentence('https://abc.ngrok-free.app/status', 'http://abc.ngrok-free.app/status'),
    });
  });

  it('finds another host from X-Forwarded-Host, X-Original-Host or Host', () => {
    for (const header of ['x-forwarded-host', 'x-original-host', 'host']) {
      const result = diagnose({
        signedUrl: 'https://new-name.ngrok-free.app/status',
        expectedUrls: ['https://old-name.ngrok-free.app/status'],
        headers: { [header]: 'new-name.ngrok-free.app' },
      });
      expect(result.reason, header).toBe(sentence('https://new-name.ngrok-free.app/status', 'https://old-name.ngrok-free.app/status'));
    }
  });

  it('takes the first host of a proxy chain', () => {
    const result = diagnose({
      signedUrl: 'https://clinic.example/status',
      expectedUrls: ['https://reminders.clinic.example/status'],
      headers: { host: '127.0.0.1:8080', 'x-forwarded-host': 'clinic.example, internal-lb:80' },
    });
    expect(result.signedUrl).toBe('https://clinic.example/status');
  });

  it('finds an explicit port, a trailing slash, another path and a dropped query', () => {
    const cases: { signed: string; expected: string; target?: string; headers?: RequestHeaders }[] = [
      { signed: 'https://clinic.example:8443/status', expected: 'https://clinic.example/status', headers: { host: 'clinic.example:8443' } },
      { signed: 'https://clinic.example/status/', expected: 'https://clinic.example/status' },
      { signed: 'https://clinic.example/status', expected: 'https://clinic.example/status/' },
      { signed: 'https://clinic.example/callbacks/status', expected: 'https://clinic.example/status', target: '/callbacks/status' },
      { signed: 'https://clinic.example/status', expected: 'https://clinic.example/status?clinic=north' },
    ];
    for (const c of cases) {
      const result = diagnose({ signedUrl: c.signed, expectedUrls: [c.expected], target: c.target ?? '/status', headers: c.headers ?? {} });
      expect(result.reason, c.signed).toBe(sentence(c.signed, c.expected));
    }
  });

  it('finds a reordered query (as received) and a fragment', () => {
    const reordered = diagnose({
      signedUrl: 'https://clinic.example/twiml?b=2&attempt=5',
      expectedUrls: ['https://clinic.example/twiml?attempt=5&b=2'],
      target: '/twiml?b=2&attempt=5',
    });
    expect(reordered.signedUrl).toBe('https://clinic.example/twiml?b=2&attempt=5');
    const fragment = diagnose({ signedUrl: 'http://clinic.example/status', expectedUrls: ['https://clinic.example/status#rc=3&rp=all'] });
    expect(fragment.signedUrl).toBe('http://clinic.example/status');
  });

  it('says to check the auth token when no variant matches', () => {
    const result = diagnose({ signedUrl: 'https://abc.ngrok-free.app/status', expectedUrls: ['https://abc.ngrok-free.app/status'], token: 'other-account' });
    expect(result).toEqual({ signedUrl: null, expectedUrl: null, reason: NO_MATCH_REASON });
    expect(NO_MATCH_REASON).toBe(
      'Callbacks are being rejected: they are not signed with this account’s Auth Token. Check that the Auth Token in Setup (or TWILIO_AUTH_TOKEN) belongs to the Twilio account placing the calls.',
    );
  });

  it('tries every expected URL in order and reports against the one that explains the signature', () => {
    const result = diagnose({
      signedUrl: 'https://second.ngrok-free.app/status/',
      expectedUrls: ['https://first.ngrok-free.app/status', 'https://second.ngrok-free.app/status'],
      headers: {},
    });
    expect(result.reason).toBe(sentence('https://second.ngrok-free.app/status/', 'https://second.ngrok-free.app/status'));
  });

  it('with no URL registered for the request, still names the URL Twilio signed from the headers', () => {
    const result = diagnose({
      signedUrl: 'https://abc.ngrok-free.app/twiml?attempt=99',
      expectedUrls: [],
      target: '/twiml?attempt=99',
      headers: { host: '127.0.0.1:8080', 'x-forwarded-host': 'abc.ngrok-free.app', 'x-forwarded-proto': 'https' },
    });
    expect(result.reason).toBe(
      'Callbacks are being rejected: Twilio signs https://abc.ngrok-free.app/twiml?attempt=99 but this server has no call or callback URL registered for it.',
    );
  });

  it('tries the fewest changes first and stays bounded, even with hostile headers', () => {
    const variants = signatureUrlVariants('https://abc.ngrok-free.app/status?x=1', { target: '/status?x=1', headers: { host: 'localhost:8080' } });
    expect(variants).not.toContain('https://abc.ngrok-free.app/status?x=1');
    expect(variants[0]).toBe('http://abc.ngrok-free.app/status?x=1');
    const hostile = signatureUrlVariants('https://abc.ngrok-free.app/a/b?z=1&y=2#rc=1', {
      target: '/c/d?q=1&p=2',
      headers: { host: 'h1:1', 'x-forwarded-host': 'h2:2', 'x-original-host': 'h3:3' },
    });
    expect(hostile.length).toBeLessThanOrEqual(MAX_VARIANTS);
  });

  it('takes hosts from headers only when they look like hosts, and cuts a huge target', () => {
    const variants = signatureUrlVariants('https://abc.ngrok-free.app/status', {
      target: `/status?${'q'.repeat(100_000)}`,
      headers: { host: 'a b c/../x', 'x-forwarded-host': `${'h'.repeat(300)}.example`, 'x-original-host': 'ok.example:9' },
    });
    const hosts = new Set(variants.map((url) => splitUrl(url)!.host));
    expect([...hosts].sort()).toEqual(['abc.ngrok-free.app', 'ok.example']);
    expect(Math.max(...variants.map((url) => url.length))).toBeLessThan(2_200);
  });

  it('splits URLs without normalising them', () => {
    expect(splitUrl("https://user@Host.example:8443/a%27b/'c?q=it's#frag")).toEqual({
      scheme: 'https',
      host: 'Host.example',
      port: ':8443',
      path: "/a%27b/'c",
      query: "?q=it's",
      fragment: '#frag',
    });
    expect(splitUrl('http://[::1]:8080/status')).toMatchObject({ host: '[::1]', port: ':8080' });
    expect(splitUrl('not a url')).toBeNull();
  });
});

describe('findSignedUrl', () => {
  it('accepts the registered URL, its default-port form, and a registered fragment Twilio may leave out', () => {
    const sign = (url: string) => twilio.getExpectedTwilioSignature(TOKEN, url, params);
    expect(findSignedUrl(TOKEN, sign('https://a.example/status'), ['https://a.example/status'], params)).toBe('https://a.example/status');
    expect(findSignedUrl(TOKEN, sign('https://a.example:443/status'), ['https://a.example/status'], params)).toBe('https://a.example/status');
    const withOverrides = 'https://a.example/status#rc=3&rp=all';
    expect(findSignedUrl(TOKEN, sign(withOverrides), [withOverrides], params)).toBe(withOverrides);
    expect(findSignedUrl(TOKEN, sign('https://a.example/status'), [withOverrides], params)).toBe(withOverrides);
  });

  it('rejects other URLs, an empty signature and malformed candidates without throwing', () => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, 'https://a.example/status', params);
    expect(findSignedUrl(TOKEN, signature, ['http://a.example/status', 'https://a.example/status/'], params)).toBeNull();
    expect(findSignedUrl(TOKEN, '', ['https://a.example/status'], params)).toBeNull();
    expect(findSignedUrl(TOKEN, signature, ['::not a url::', 'https://a.example/status'], params)).toBe('https://a.example/status');
  });
});
