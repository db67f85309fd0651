// An .xlsx is a zip of XML parts. exceljs expands every part into memory before we see a cell, so a 1 MB
// file whose sharedStrings.xml unpacks to gigabytes (a "zip bomb") would take the import down with it.
// The zip's central directory lists each part's uncompressed size: read it first and refuse before expanding.
// (A directory that lies about sizes is still bounded: the import worker has a fixed heap and dies alone.)

import { ImportFileError } from './sheet-rows';

export interface XlsxSizeLimits {
  /** xl/sharedStrings.xml, where a workbook keeps its text. */
  maxSharedStringsBytes: number;
  /** All parts together, unpacked. */
  maxUncompressedBytes: number;
}

interface ZipEntry {
  name: string;
  uncompressedSize: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
/** The end record is 22 bytes plus a comment of up to 65,535. */
const MAX_END_RECORD_SEARCH = 22 + 0xffff;
/** A workbook has tens of parts; a directory of millions of entries is itself the attack. */
const MAX_ENTRIES = 10_000;

/** The entries of a zip's central directory, or null when `data` isn't a readable zip. */
export function listZipEntries(data: Buffer): ZipEntry[] | null {
  const searchFrom = Math.max(0, data.length - MAX_END_RECORD_SEARCH);
  let end = -1;
  for (let i = data.length - 22; i >= searchFrom; i--) {
    if (data.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = data.readUInt16LE(end + 10);
  const offset = data.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let n = 0; n < count && n < MAX_ENTRIES; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) return null;
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    // 0xFFFFFFFF means the real size is in a ZIP64 extra field: no workbook a clinic exports is over 4 GB, so
    // counting it as 4 GB refuses it, which is the right answer.
    entries.push({ name: data.toString('utf8', at + 46, at + 46 + nameLength), uncompressedSize: data.readUInt32LE(at + 24) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** Throws ImportFileError when the workbook would unpack past the limits; returns quietly for a non-zip (exceljs says why). */
export function checkXlsxSizes(data: Buffer, fileName: string, limits: XlsxSizeLimits): void {
  const entries = listZipEntries(data);
  if (!entries) return;
  if (entries.length >= MAX_ENTRIES) throw new ImportFileError(`${fileName} is not a usable workbook: it has more than ${MAX_ENTRIES} parts`);
  const shared = entries.filter((entry) => /(^|\/)sharedStrings\.xml$/i.test(entry.name)).reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (shared > limits.maxSharedStringsBytes) {
    throw new ImportFileError(
      `${fileName} holds ${megabytes(shared)} of text once unpacked, more than the ${megabytes(limits.maxSharedStringsBytes)} an import reads ` +
        '(import.max_xlsx_shared_strings_mb). Save only the appointment columns, or export the sheet as CSV.',
    );
  }
  const total = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (total > limits.maxUncompressedBytes) {
    throw new ImportFileError(
      `${fileName} unpacks to ${megabytes(total)}, more than the ${megabytes(limits.maxUncompressedBytes)} an import reads ` +
        '(import.max_xlsx_unpacked_mb). Save only the appointment sheet, or export it as CSV.',
    );
  }
}
