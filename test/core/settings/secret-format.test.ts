import { describe, expect, it } from 'vitest';
import { looksLikeOsCiphertext, readStoredSecret, sealSecret, unreadableSecretMessage } from '../../../src-main/core/settings/secret-format';

const cipher = { encrypt: (plain: string) => Buffer.from(`v10${plain}`), decrypt: (data: Buffer) => data.subarray(3).toString() };

describe('looksLikeOsCiphertext', () => {
  it("recognises safeStorage output (Chromium's v10/v11 prefix, Windows DPAPI blobs) written as base64", () => {
    expect(looksLikeOsCiphertext(Buffer.from('v10\u0001\u0002secret-bytes').toString('base64'))).toBe(true);
    expect(looksLikeOsCiphertext(Buffer.from('v11\u00ffmore').toString('base64'))).toBe(true);
    expect(looksLikeOsCiphertext(Buffer.concat([Buffer.from('01000000d08c9ddf0115d1118c7a00c04fc297eb', 'hex'), Buffer.from('blob')]).toString('base64'))).toBe(true);
  });

  it('never mistakes a plain token, SID, phone number or ngrok authtoken for ciphertext', () => {
    for (const plain of ['f00dfeedf00dfeedf00dfeedf00dfeed', `AC${'a1'.repeat(16)}`, '+12125550100', '2abcDEF_ghiJKLmnoPQRstuVWXyz0123456789', 'djEwabc']) {
      expect(looksLikeOsCiphertext(plain)).toBe(false);
    }
  });
});

describe('readStoredSecret', () => {
  it('nothing stored is no problem', () => {
    expect(readStoredSecret(undefined, cipher)).toEqual({ value: null, unreadable: false, rewrite: null });
  });

  it('an entry of an unknown shape is unreadable rather than guessed at', () => {
    expect(readStoredSecret({ encryption: 'rot13', data: 'x' }, cipher)).toMatchObject({ value: null, unreadable: true });
    expect(readStoredSecret(42, null)).toMatchObject({ value: null, unreadable: true });
  });

  it('a plain entry without a keychain stays as it is', () => {
    expect(readStoredSecret({ encryption: 'plain', data: 'tok' }, null)).toEqual({ value: 'tok', unreadable: false, rewrite: null });
  });

  it('an os entry whose decryption gives non-text is unreadable', () => {
    const garbage = { encrypt: cipher.encrypt, decrypt: () => '\u0003\u0010\ufffd' };
    expect(readStoredSecret(sealSecret('tok', cipher), garbage)).toMatchObject({ value: null, unreadable: true });
  });
});

describe('unreadableSecretMessage', () => {
  it('uses the words staff are shown', () => {
    expect(unreadableSecretMessage('TWILIO_AUTH_TOKEN')).toBe("the saved Twilio token can't be read on this computer any more — enter it again");
    expect(unreadableSecretMessage('NGROK_AUTHTOKEN')).toBe("the saved ngrok authtoken can't be read on this computer any more — enter it again");
  });
});
