// Bytes of a CSV file -> text chunks with one line-ending convention, without holding the file as one string.
// Encodings met in clinics: UTF-8 (with or without BOM), Excel's "Unicode text" / some EHR exports in UTF-16
// (LE or BE, usually with a BOM, sometimes without), and Windows-1252 from Excel's plain "CSV" on Windows.

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** A file's bytes, from the start each time it is called (an encoding guess that fails restarts the read). */
export type ByteSource = () => AsyncIterable<Buffer>;

/** How many leading bytes decide a BOM-less UTF-16 file. */
const SNIFF_BYTES = 1024;

/**
 * The encoding the file's first bytes show: a BOM when there is one; otherwise UTF-16 text of mostly ASCII
 * has a NUL in every other byte (odd positions for LE, even for BE), which UTF-8 and 1252 text never has.
 * Anything else is tried as UTF-8 (Windows-1252 when that fails).
 */
export function sniffEncoding(head: Uint8Array): Exclude<CsvEncoding, 'windows-1252'> {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const pairs = Math.floor(Math.min(head.length, SNIFF_BYTES) / 2);
  if (pairs === 0) return 'utf-8';
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNuls++;
    if (head[2 * i + 1] === 0) oddNuls++;
  }
  // A header row is ASCII, so nearly every pair has its NUL; a stray NUL in UTF-8 text doesn't come close.
  if (oddNuls >= pairs * 0.6 && evenNuls <= pairs * 0.05) return 'utf-16le';
  if (evenNuls >= pairs * 0.6 && oddNuls <= pairs * 0.05) return 'utf-16be';
  return 'utf-8';
}

/** Thrown inside decodeCsvChunks when UTF-8 was guessed and the bytes aren't UTF-8: the caller retries as Windows-1252. */
export class NotUtf8Error extends Error {
  override name = 'NotUtf8Error';
}

/** The first bytes of the source (up to `count`), for sniffing. */
export async function readHead(source: ByteSource, count = SNIFF_BYTES): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of source()) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= count) break;
  }
  return Buffer.concat(parts).subarray(0, count);
}

/**
 * Decoded text of the source, chunk by chunk, with CRLF and lone CR turned into LF (so csv-parse's line
 * count is what an editor shows) and a leading BOM dropped.
 */
export async function* decodeCsvChunks(source: ByteSource, encoding: CsvEncoding): AsyncGenerator<string> {
  // TextDecoder drops a BOM matching its encoding; fatal only for UTF-8, where failing means "it's 1252".
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  let carriageReturn = false;
  const normalise = (text: string): string => {
    let piece = carriageReturn ? `\r${text}` : text;
    carriageReturn = piece.endsWith('\r');
    if (carriageReturn) piece = piece.slice(0, -1); // it may be the first half of a CRLF split across chunks
    return piece.replace(/\r\n?/g, '\n');
  };
  try {
    for await (const chunk of source()) {
      const text = normalise(decoder.decode(chunk, { stream: true }));
      if (text) yield text;
    }
    const rest = normalise(decoder.decode());
    if (rest) yield rest;
  } catch (error) {
    if (encoding === 'utf-8' && error instanceof TypeError) throw new NotUtf8Error('not UTF-8');
    throw error;
  }
  if (carriageReturn) yield '\n';
}
