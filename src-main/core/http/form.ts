// The one form type and parser (application/x-www-form-urlencoded): Twilio's callbacks, the simulator's REST
// requests and query strings. A repeated key keeps every value in order (Twilio signs each of them and reads
// `StatusCallbackEvent=a&StatusCallbackEvent=b` as a list). Objects have no prototype, so a key named
// `__proto__` or `constructor` is just a key.

export type FormFields = Record<string, string | string[]>;

export class TooManyFieldsError extends Error {
  override readonly name = 'TooManyFieldsError';
}

export function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** Parses a form body or query string; more than `maxFields` pairs throws (no legitimate sender of ours sends that many). */
export function parseForm(encoded: string | Buffer, opts: { maxFields?: number } = {}): FormFields {
  const maxFields = opts.maxFields ?? Number.POSITIVE_INFINITY;
  const fields = Object.create(null) as FormFields;
  let count = 0;
  for (const [key, value] of new URLSearchParams(typeof encoded === 'string' ? encoded : encoded.toString('utf8'))) {
    count += 1;
    if (count > maxFields) throw new TooManyFieldsError(`More than ${maxFields} form fields`);
    const existing = fields[key];
    if (existing === undefined) fields[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else fields[key] = [existing, value];
  }
  return fields;
}

/** A scalar field; when a client repeats it, the first value counts (as Twilio reads it). */
export function single(fields: FormFields, key: string): string | undefined {
  const value = fields[key];
  return Array.isArray(value) ? value[0] : value;
}

export function multiple(fields: FormFields, key: string): string[] {
  const value = fields[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** One value per key (the first), for code that reads a form as a plain record. */
export function firstValues(fields: FormFields): Record<string, string> {
  const flat = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(fields)) flat[key] = single(fields, key)!;
  return flat;
}
