/**
 * The bytes of the user's CSV as UTF-8, or a {@link DataError} that says what the file looks
 * like instead. UTF-8 (with or without a byte-order mark) is used as it is; UTF-16 with a
 * byte-order mark (LE or BE, as Excel's "Unicode text" writes) is decoded. Anything else is
 * refused rather than decoded with U+FFFD in place of the bytes it does not understand, which
 * would silently merge label values such as `élevé` and `élevè`: the message names the first
 * row and column with a byte that is not UTF-8, guesses the encoding, and says how to re-save.
 */
import { isUtf8 } from 'node:buffer';
import { quoted } from './csv_columns.js';
import { DataError } from './errors.js';

/** How to fix an encoding problem, for the messages below; `from` is iconv's name of the encoding the file is in. */
const resave = (from: string) => `re-save it as UTF-8 (Excel: "CSV UTF-8"; or iconv -f ${from} -t UTF-8 in.csv > out.csv)`;

const startsWith = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/**
 * Returns `bytes` as UTF-8 (a UTF-8 byte-order mark is left for the CSV scanner to skip).
 * `name` is the file name used in messages; `scan` parses CSV bytes into records (passed in to
 * avoid an import cycle) and is used only to locate the first bad byte for the message.
 */
export function csvBytesAsUtf8(
  bytes: Buffer,
  name: string,
  scan: (bytes: Uint8Array, onRecord: (cells: string[], row: number) => void) => void,
): Buffer {
  if (startsWith(bytes, 0xff, 0xfe, 0x00, 0x00) || startsWith(bytes, 0x00, 0x00, 0xfe, 0xff)) {
    throw new DataError(`${name} is UTF-32 (it starts with a UTF-32 byte-order mark); ${resave('UTF-32')}`);
  }
  for (const [bom, encoding] of [
    [[0xff, 0xfe], 'utf-16le'],
    [[0xfe, 0xff], 'utf-16be'],
  ] as const) {
    if (!startsWith(bytes, ...bom)) continue;
    const label = encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE';
    let text: string;
    try {
      // fatal: an odd byte count or an unpaired surrogate is an error, not U+FFFD.
      text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      throw new DataError(
        `${name} starts with a ${label} byte-order mark but is not valid ${label} text; ${resave(label.replace(' ', ''))}`,
      );
    }
    return Buffer.from(text, 'utf8');
  }
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04))
    throw new DataError(`${name} is a ZIP archive (an Excel .xlsx workbook?), not a CSV text file; export it as "CSV UTF-8"`);
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0))
    throw new DataError(`${name} is an Excel .xls workbook, not a CSV text file; export it as "CSV UTF-8"`);
  if (startsWith(bytes, 0x1f, 0x8b)) throw new DataError(`${name} is gzip-compressed; decompress it first (gunzip)`);
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = countLines(bytes, nul);
    throw new DataError(
      `${name} has a NUL byte on line ${line}: it is not a text CSV (UTF-16 without a byte-order mark, or a binary file?); ${resave('UTF-16LE')}`,
    );
  }
  if (isUtf8(bytes)) return bytes;
  const guess = guessEncoding(bytes);
  throw new DataError(`${name} is not UTF-8: ${locateBadByte(bytes, scan)} (${guess.text}); ${resave(guess.iconv)}`);
}

/** 1-based line number of byte `offset` (LF, CRLF and lone CR end lines). */
function countLines(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}

/** Which row and column hold the first byte that is not UTF-8, with the cell's bytes shown. */
function locateBadByte(bytes: Buffer, scan: (bytes: Uint8Array, onRecord: (cells: string[], row: number) => void) => void): string {
  // Each byte as one character (latin1) and back as UTF-8: the same CSV structure (every
  // structural byte is ASCII), with each cell's original bytes recoverable with latin1.
  const transcoded = Buffer.from(bytes.toString('latin1'), 'utf8');
  let header: string[] | undefined;
  let found: string | undefined;
  const STOP = Symbol('found');
  try {
    scan(transcoded, (cells, row) => {
      const raw = cells.map((cell) => Buffer.from(cell, 'latin1'));
      const bad = raw.findIndex((cell) => !isUtf8(cell));
      if (bad >= 0) {
        const shown = showBytes(raw[bad]!);
        const column = header?.[bad] ? `column ${quoted(header[bad])}` : `column #${bad + 1}`;
        found = row === 1 ? `the header (row 1), column #${bad + 1}, is '${shown}'` : `row ${row}, ${column} is '${shown}'`;
        throw STOP;
      }
      if (row === 1) header = raw.map((cell) => cell.toString('utf8').trim());
    });
  } catch (error) {
    if (error !== STOP) found = undefined;
  }
  if (found) return found;
  // The CSV structure itself is broken (e.g. an unterminated quote): name the line instead.
  let start = 0;
  for (let line = 1; start < bytes.length; line++) {
    let end = start;
    while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
    if (!isUtf8(bytes.subarray(start, end))) return `line ${line} is '${showBytes(bytes.subarray(start, end))}'`;
    start = end + (bytes[end] === 0x0d && bytes[end + 1] === 0x0a ? 2 : 1);
  }
  return 'a byte is not UTF-8';
}

/** A cell's bytes for a message: ASCII as it is, other bytes as \xNN; at most 40 bytes. */
function showBytes(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes.subarray(0, 40))
    text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return bytes.length > 40 ? `${text}...` : text;
}

/**
 * A guess at the encoding of bytes that are not UTF-8: accented letters of Latin-1 and
 * Windows-1252 are single bytes >= 0x80 between ASCII letters; double-byte encodings
 * (Shift_JIS, GBK, Big5, EUC-KR) put such bytes in pairs.
 */
function guessEncoding(bytes: Uint8Array): { text: string; iconv: string } {
  let high = 0;
  let isolated = 0;
  let c1 = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    high++;
    if (b < 0xa0) c1++;
    if (!(bytes[i - 1]! >= 0x80) && !(bytes[i + 1]! >= 0x80)) isolated++;
  }
  if (isolated >= 0.8 * high)
    return { text: c1 > 0 ? 'looks like Windows-1252' : 'looks like Latin-1/Windows-1252', iconv: 'WINDOWS-1252' };
  return { text: 'looks like a legacy 8-bit or double-byte encoding such as Windows-1252, Shift_JIS or GBK', iconv: 'ENCODING' };
}
