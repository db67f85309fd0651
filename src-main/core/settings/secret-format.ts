// How one secret is kept in secrets.json, and what reading it back means. Each value says how it was written:
//   { "encryption": "os",    "data": "<base64 of the OS keychain's ciphertext>" }
//   { "encryption": "plain", "data": "<the value>" }   (no keychain was available; the file is mode 0600)
// Without that mark a keyring missing on one launch and present on the next (or a Windows profile move that
// breaks DPAPI) made ciphertext and plain text indistinguishable: the token read back as garbage and went to
// Twilio, which answered 401 to every call. Now an unreadable value is reported and never passed on.

export const SECRET_NAMES = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER', 'NGROK_AUTHTOKEN'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** What the OS keychain offers (secrets.ts's SecretCipher without its description). */
export interface ValueCipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export type StoredSecret = { encryption: 'os' | 'plain'; data: string };

export interface SecretReading {
  /** The value, or null when none is stored or it cannot be read. */
  value: string | null;
  /** A value is stored but this computer cannot read it (staff must enter it again). */
  unreadable: boolean;
  /** What the entry should be replaced with (a plain value the keychain can now protect, a legacy value now marked). */
  rewrite: StoredSecret | null;
}

const LABELS: Record<SecretName, string> = {
  TWILIO_AUTH_TOKEN: 'Twilio token',
  TWILIO_ACCOUNT_SID: 'Twilio Account SID',
  TWILIO_PHONE_NUMBER: 'Twilio phone number',
  NGROK_AUTHTOKEN: 'ngrok authtoken',
};

/** What staff are told, e.g. "the saved Twilio token can't be read on this computer any more — enter it again". */
export function unreadableSecretMessage(name: SecretName): string {
  return `the saved ${LABELS[name]} can't be read on this computer any more — enter it again`;
}

// Every secret the app keeps (tokens, SIDs, phone numbers) is printable ASCII: anything else is a wrong key's garbage.
const PLAUSIBLE = /^[\x20-\x7e]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// DPAPI blobs begin with a version and this provider GUID; Chromium's OSCrypt prefixes "v10"/"v11".
const DPAPI_HEADER = Buffer.from('01000000d08c9ddf0115d1118c7a00c04fc297eb', 'hex');

/**
 * Does an unmarked (legacy) value look like what the OS keychain produced? Such values were written base64;
 * no Twilio or ngrok token, SID or phone number decodes to these prefixes, so a plain value is never mistaken.
 */
export function looksLikeOsCiphertext(text: string): boolean {
  if (!BASE64.test(text) || text.length % 4 !== 0) return false;
  const bytes = Buffer.from(text, 'base64');
  return /^v1\d/.test(bytes.subarray(0, 3).toString('latin1')) || bytes.subarray(0, DPAPI_HEADER.length).equals(DPAPI_HEADER);
}

function decrypt(cipher: ValueCipher, data: string): string | null {
  try {
    const value = cipher.decrypt(Buffer.from(data, 'base64'));
    return PLAUSIBLE.test(value) ? value : null;
  } catch {
    return null;
  }
}

/** Encrypts with the keychain when there is one and it gives the value back; otherwise keeps it plain. */
export function sealSecret(value: string, cipher: ValueCipher | null): StoredSecret {
  if (cipher) {
    try {
      const data = cipher.encrypt(value).toString('base64');
      // A keyring that encrypts but cannot decrypt (locked, half set up) would lose the token: keep it plain then.
      if (decrypt(cipher, data) === value) return { encryption: 'os', data };
    } catch {
      // Fall through to plain: the file stays readable only by this user.
    }
  }
  return { encryption: 'plain', data: value };
}

function isStoredSecret(raw: unknown): raw is StoredSecret {
  if (typeof raw !== 'object' || raw === null) return false;
  const { encryption, data } = raw as Record<string, unknown>;
  return (encryption === 'os' || encryption === 'plain') && typeof data === 'string';
}

const NOTHING: SecretReading = { value: null, unreadable: false, rewrite: null };
const UNREADABLE: SecretReading = { value: null, unreadable: true, rewrite: null };

/** Reads one entry of secrets.json with the cipher available on this launch (null: no keychain). */
export function readStoredSecret(raw: unknown, cipher: ValueCipher | null): SecretReading {
  if (raw === undefined || raw === null || raw === '') return NOTHING;
  if (isStoredSecret(raw)) {
    if (raw.encryption === 'os') {
      // Kept as it is when unreadable: the keyring may be back on the next launch.
      const value = cipher ? decrypt(cipher, raw.data) : null;
      return value === null ? UNREADABLE : { value, unreadable: false, rewrite: null };
    }
    if (!raw.data) return NOTHING;
    const sealed = cipher ? sealSecret(raw.data, cipher) : null;
    return { value: raw.data, unreadable: false, rewrite: sealed?.encryption === 'os' ? sealed : null };
  }
  if (typeof raw !== 'string') return UNREADABLE;
  // A legacy, unmarked value: ciphertext written when a keychain was there, or plain text when none was.
  if (looksLikeOsCiphertext(raw)) {
    const value = cipher ? decrypt(cipher, raw) : null;
    return value === null ? UNREADABLE : { value, unreadable: false, rewrite: { encryption: 'os', data: raw } };
  }
  return { value: raw, unreadable: false, rewrite: sealSecret(raw, cipher) };
}
