import { describe, expect, it } from 'vitest';
import { basicAuthMatches, parseBasicAuth } from '../../../src-main/core/http/basic-auth';

const header = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('Basic auth', () => {
  it('decodes user and password (the password may contain colons)', () => {
    expect(parseBasicAuth(header('AC123:tok:en'))).toEqual({ user: 'AC123', password: 'tok:en' });
    expect(parseBasicAuth(`basic   ${Buffer.from('u:p').toString('base64')}`)).toEqual({ user: 'u', password: 'p' });
  });

  it('refuses other schemes, missing colons and garbage', () => {
    expect(parseBasicAuth(undefined)).toBeNull();
    expect(parseBasicAuth('Bearer abc')).toBeNull();
    expect(parseBasicAuth(header('no-colon'))).toBeNull();
    expect(parseBasicAuth('Basic not base64!')).toBeNull();
  });

  it('matches only the exact credentials', () => {
    expect(basicAuthMatches(header('AC1:secret'), 'AC1', 'secret')).toBe(true);
    expect(basicAuthMatches(header('AC1:secreT'), 'AC1', 'secret')).toBe(false);
    expect(basicAuthMatches(header('AC1:secret2'), 'AC1', 'secret')).toBe(false);
    expect(basicAuthMatches(header('AC2:secret'), 'AC1', 'secret')).toBe(false);
    expect(basicAuthMatches(undefined, 'AC1', 'secret')).toBe(false);
  });
});
