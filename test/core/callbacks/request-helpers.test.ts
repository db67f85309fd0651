import { describe, expect, it } from 'vitest';
import { firstValues, isFormContentType, parseForm } from '../../../src-main/core/http/form';
import { cameThroughProxy, headersWithoutSecrets, isLoopbackAddress, isLoopbackHost, safeHeaderValue } from '../../../src-main/core/callbacks/request-headers';

describe('request headers', () => {
  it('drops the signature, credentials and cookies but keeps the rest', () => {
    expect(
      headersWithoutSecrets({
        'x-twilio-signature': 'sig',
        authorization: 'Basic x',
        'proxy-authorization': 'Basic y',
        cookie: 'a=b',
        'x-api-token': 't',
        'user-agent': 'TwilioProxy/1.1',
        'x-forwarded-for': ['203.0.113.1', '10.0.0.1'],
      }),
    ).toEqual({ 'user-agent': 'TwilioProxy/1.1', 'x-forwarded-for': '203.0.113.1, 10.0.0.1' });
  });

  it('recognises proxied requests and loopback clients', () => {
    expect(cameThroughProxy({ host: '127.0.0.1:8080' })).toBe(false);
    expect(cameThroughProxy({ 'x-forwarded-proto': 'https' })).toBe(true);
    expect(cameThroughProxy({ 'ngrok-trace-id': 'abc' })).toBe(true);
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['10.0.0.2', '::ffff:192.168.1.5', undefined].some(isLoopbackAddress)).toBe(false);
    expect(['127.0.0.1:8080', 'localhost', '[::1]:9'].every(isLoopbackHost)).toBe(true);
    expect(['evil.example', '127.0.0.1.evil.example', undefined].some(isLoopbackHost)).toBe(false);
  });

  it('makes echoed header values one printable line', () => {
    expect(safeHeaderValue('a\r\nSet-Cookie: x=1 ✓')).toBe('a??Set-Cookie: x=1 ?');
  });
});

describe('form bodies', () => {
  it('accepts only form-encoded content types', () => {
    expect(isFormContentType('application/x-www-form-urlencoded; charset=utf-8')).toBe(true);
    expect(isFormContentType('Application/X-WWW-Form-Urlencoded')).toBe(true);
    expect(isFormContentType('application/json')).toBe(false);
    expect(isFormContentType(undefined)).toBe(false);
  });

  it('keeps every value of a repeated key for the signature and the first one for use', () => {
    const fields = parseForm(Buffer.from('To=%2B14155550100&Event=initiated&Event=ringing&Name=A+B'));
    expect({ ...fields }).toEqual({ To: '+14155550100', Event: ['initiated', 'ringing'], Name: 'A B' });
    expect({ ...firstValues(fields) }).toEqual({ To: '+14155550100', Event: 'initiated', Name: 'A B' });
  });
});
