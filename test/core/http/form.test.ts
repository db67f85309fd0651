import { describe, expect, it } from 'vitest';
import { firstValues, isFormContentType, multiple, parseForm, single, TooManyFieldsError } from '../../../src-main/core/http/form';

describe('the one form parser', () => {
  it('keeps every value of a repeated key, in order, and reads scalars as the first value', () => {
    const fields = parseForm('StatusCallbackEvent=initiated&StatusCallbackEvent=ringing&To=%2B14155550100&A=1&A=2&A=3');
    expect({ ...fields }).toEqual({ StatusCallbackEvent: ['initiated', 'ringing'], To: '+14155550100', A: ['1', '2', '3'] });
    expect(single(fields, 'StatusCallbackEvent')).toBe('initiated');
    expect(multiple(fields, 'To')).toEqual(['+14155550100']);
    expect(multiple(fields, 'Missing')).toEqual([]);
    expect({ ...firstValues(fields) }).toEqual({ StatusCallbackEvent: 'initiated', To: '+14155550100', A: '1' });
  });

  it('treats __proto__ and constructor as plain keys (no prototype pollution)', () => {
    const fields = parseForm(Buffer.from('__proto__=a&__proto__=b&constructor=c'));
    expect(fields['__proto__']).toEqual(['a', 'b']);
    expect(fields['constructor']).toBe('c');
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(({} as Record<string, unknown>)['a']).toBeUndefined();
    expect(JSON.stringify(firstValues(fields))).toBe('{"__proto__":"a","constructor":"c"}');
  });

  it('refuses more fields than allowed', () => {
    expect(() => parseForm('a=1&b=2&c=3', { maxFields: 2 })).toThrow(TooManyFieldsError);
    expect(Object.keys(parseForm('a=1&b=2', { maxFields: 2 }))).toEqual(['a', 'b']);
  });

  it('accepts only form-encoded content types', () => {
    expect(isFormContentType('application/x-www-form-urlencoded; charset=utf-8')).toBe(true);
    expect(isFormContentType('Application/X-WWW-Form-Urlencoded')).toBe(true);
    expect(isFormContentType('application/json')).toBe(false);
    expect(isFormContentType(undefined)).toBe(false);
  });
});
