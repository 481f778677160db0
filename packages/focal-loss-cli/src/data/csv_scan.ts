/**
 * The CSV record scanner: RFC 4180 from raw bytes (UTF-8, checked by csv_encoding.ts), one
 * callback per record, so that a file of millions of rows is never held as strings.
 */
import { DataError } from './errors.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Calls `onRecord(cells, row)` for every record of RFC 4180 CSV bytes (`row` counts
 * records from 1, the header included; blank lines are skipped and not counted). Records
 * end at LF, CRLF or a lone CR (old Mac files), as in Python's csv module. A field that
 * starts with `"` is quoted (commas, line ends and doubled quotes inside); a `"` inside an
 * unquoted field is an ordinary character, as in Python's csv module. Text between a
 * closing quote and the next comma is rejected, naming the line, rather than guessed at.
 */
export function scanCsv(bytes: Uint8Array, onRecord: (cells: string[], row: number) => void): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0; // byte-order mark from spreadsheet exports
  const n = buffer.length;
  let line = 1;
  let row = 0;
  let cells: string[] = [];
  while (i <= n) {
    // One field starting at i.
    let value: string;
    const fieldLine = line;
    if (buffer[i] === QUOTE) {
      const start = i + 1;
      let j = start;
      let doubled = false;
      for (;;) {
        if (j >= n) throw new DataError(`unterminated quoted field starting on line ${fieldLine}`);
        const b = buffer[j]!;
        if (b === QUOTE) {
          if (buffer[j + 1] === QUOTE) {
            doubled = true;
            j += 2;
            continue;
          }
          break;
        }
        if (b === LF || (b === CR && buffer[j + 1] !== LF)) line++;
        j++;
      }
      value = buffer.toString('utf8', start, j);
      if (doubled) value = value.replaceAll('""', '"');
      i = j + 1;
      const next = buffer[i];
      if (i < n && next !== COMMA && next !== LF && next !== CR) {
        throw new DataError(
          `line ${line}: text after the closing quote of a quoted field (a quote inside a quoted field must be doubled: "")`,
        );
      }
    } else {
      let j = i;
      while (j < n) {
        const b = buffer[j]!;
        if (b === COMMA || b === LF || b === CR) break;
        j++;
      }
      value = buffer.toString('utf8', i, j);
      i = j;
    }
    cells.push(value);
    // i is at a comma, a line end (LF, CRLF or CR) or the end.
    if (i < n && buffer[i] === COMMA) {
      i++;
      continue;
    }
    if (!(cells.length === 1 && cells[0]!.trim() === '')) onRecord(cells, ++row);
    cells = [];
    line++;
    if (buffer[i] === CR && buffer[i + 1] === LF) i++;
    i++; // past the line end, or past the end, which ends the loop
  }
}

/** Parses CSV text into rows of cells (see {@link scanCsv}). Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  scanCsv(Buffer.from(text, 'utf8'), (cells) => rows.push(cells));
  return rows;
}
