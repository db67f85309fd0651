import { describe, expect, it } from 'vitest';
import { maskPhone } from '../../../src-main/core/vocabulary/mask-phone';
import { normalisePhoneNumber } from '../../../src-main/core/appointments/phone-number';

describe('normalisePhoneNumber', () => {
  it('turns US numbers as people write them into E.164', () => {
    for (const written of ['(212) 555-0100', '212-555-0100', '212.555.0100', '2125550100', '1 212 555 0100', '+1 (212) 555-0100']) {
      expect(normalisePhoneNumber(written, 'US')).toEqual({ ok: true, e164: '+12125550100' });
    }
  });

  it('uses the default region only for numbers without a country code', () => {
    expect(normalisePhoneNumber('020 7946 0958', 'GB')).toEqual({ ok: true, e164: '+442079460958' });
    expect(normalisePhoneNumber('07400 123456', 'GB')).toEqual({ ok: true, e164: '+447400123456' });
    expect(normalisePhoneNumber('+44 20 7946 0958', 'US')).toEqual({ ok: true, e164: '+442079460958' });
    expect(normalisePhoneNumber('+1 212 555 0100', 'GB')).toEqual({ ok: true, e164: '+12125550100' });
  });

  it('rejects numbers that could never be dialled, saying which region it judged by', () => {
    expect(normalisePhoneNumber('555-12', 'US')).toEqual({ ok: false, reason: 'phone_number "555-12" is not a valid US phone number' });
    expect(normalisePhoneNumber('020 7946', 'GB')).toEqual({ ok: false, reason: 'phone_number "020 7946" is not a valid GB phone number' });
    // The right length, but 555 is not a US area code.
    expect(normalisePhoneNumber('+1 555 555 0100', 'US')).toEqual({ ok: false, reason: 'phone_number "+1 555 555 0100" is not a valid phone number' });
    expect(normalisePhoneNumber('call me', 'US').ok).toBe(false);
  });
});

describe('maskPhone', () => {
  it('keeps the country code and last four digits behind a fixed-width mask', () => {
    expect(maskPhone('+12125554567')).toBe('+1•••••••4567');
    expect(maskPhone('+442079460958')).toBe('+44•••••••0958');
    expect(maskPhone('+35312345678')).toBe('+353•••••••5678');
    expect(maskPhone('+79161234567')).toBe('+7•••••••4567');
  });

  it('hides everything when too little would remain hidden', () => {
    expect(maskPhone('+1234567')).toBe('•••••••');
    expect(maskPhone('')).toBe('•••••••');
  });
});
