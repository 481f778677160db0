/**
 * Reads the JSON files that users hand to the CLI (`eval-detections --gt/--dt`, `render
 * --results`), as they come: UTF-8 with or without a byte-order mark, UTF-16 with one (what
 * Windows tools write), or gzip-compressed (`.json.gz`, recognised by its magic bytes, not by
 * its name). Every problem is a one-line {@link DataError} naming the flag and the file, with
 * no byte of the file's binary content in it.
 *
 * Size: a file is parsed as one JavaScript string, and V8 strings hold at most
 * {@link MAX_JSON_BYTES} (2^29 − 24) characters, about 512 MiB. Larger files are refused up
 * front with that limit rather than streamed: the COCO files past it are training-set
 * annotations (LVIS v1 train, 1.1 GB, is mostly segmentation polygons), which bbox evaluation
 * does not need, and a streaming parser would hold the same data as objects in a heap of a
 * few GB anyway. Dropping `segmentation` (e.g. `jq -c 'del(.annotations[].segmentation)'`)
 * brings such files far below the limit.
 */
import { constants as bufferConstants, isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { codePoint, DataError, printable } from '../data/errors.js';

export { printable };

/** The largest file (or decompressed content), in bytes, that {@link readJsonFile} reads: the longest string Node.js can hold. */
export const MAX_JSON_BYTES = bufferConstants.MAX_STRING_LENGTH;

/** Options of {@link readJsonFile}. */
export interface ReadJsonOptions {
  /** Size limit in bytes, of the file and of its decompressed content (default {@link MAX_JSON_BYTES}; smaller in tests). */
  maxBytes?: number;
  /** Appended to the message about a file over the limit: how to make it smaller. */
  tooLargeHint?: string;
}

/**
 * Reads and parses a JSON file. `what` names it in messages (`--gt`); a missing,
 * unreadable, too large, binary or malformed file is a {@link DataError}.
 */
export function readJsonFile(path: string, what: string, options: ReadJsonOptions = {}): unknown {
  const limit = { maxBytes: options.maxBytes ?? MAX_JSON_BYTES, hint: options.tooLargeHint };
  const name = `${what} ${path}`;
  const bytes = unpack(readBytes(path, what, limit), name, limit);
  return parseJson(decodeText(bytes, name), name);
}

/** The file's bytes; refuses a file over `maxBytes` before reading it. */
function readBytes(path: string, what: string, limit: Limit): Buffer {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new DataError(`${what} ${path} is not a file`);
    if (stats.size > limit.maxBytes)
      throw new DataError(`${what} ${path} is ${sizeWords(stats.size, limit.maxBytes)}; ${limitWords(limit)}`);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error));
    throw new DataError(`cannot read ${what} ${path}: ${why}`);
  }
}

const GIB = 2 ** 30;
const MIB = 2 ** 20;
const roundedSize = (bytes: number) =>
  bytes >= GIB ? `${(bytes / GIB).toFixed(1)} GiB` : bytes >= MIB ? `${Math.round(bytes / MIB)} MiB` : `${bytes} bytes`;

/** "600 MiB", or the exact byte count where the rounded size would read as the limit itself. */
function sizeWords(bytes: number, maxBytes: number): string {
  return roundedSize(bytes) === roundedSize(maxBytes) ? `${bytes} bytes` : roundedSize(bytes);
}

interface Limit {
  maxBytes: number;
  hint: string | undefined;
}

function limitWords({ maxBytes, hint }: Limit): string {
  const why = maxBytes === MAX_JSON_BYTES ? 'the longest string Node.js holds' : 'the limit set';
  return `JSON files are read up to ${roundedSize(maxBytes)} (${why})${hint ? `; ${hint}` : ''}`;
}

/** Compressed and archive formats recognised by their first bytes, which are never the start of JSON text. */
const ARCHIVES: readonly { magic: readonly number[]; name: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], name: 'a zip archive' },
  { magic: [0x50, 0x4b, 0x05, 0x06], name: 'a zip archive' },
  { magic: [0x42, 0x5a, 0x68], name: 'bzip2-compressed' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz-compressed' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd-compressed' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7z archive' },
];
const GZIP_MAGIC = [0x1f, 0x8b];
const startsWith = (bytes: Buffer, magic: readonly number[]) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/** The content of a gzip file (by its magic bytes, whatever its name), or the bytes themselves. */
function unpack(bytes: Buffer, name: string, limit: Limit): Buffer {
  const archive = ARCHIVES.find((a) => startsWith(bytes, a.magic));
  if (archive) throw new DataError(`${name} is ${archive.name}, not JSON; unpack it first (gzip-compressed JSON is read as it is)`);
  if (!startsWith(bytes, GZIP_MAGIC)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: limit.maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE')
      throw new DataError(`${name} decompresses to more than ${roundedSize(limit.maxBytes)}; ${limitWords(limit)}`);
    throw new DataError(`cannot decompress ${name} (gzip): ${(error as Error).message}`);
  }
}

/** The text of the bytes: UTF-8 (a byte-order mark dropped), or UTF-16 where a byte-order mark says so. */
function decodeText(bytes: Buffer, name: string): string {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return utf8(bytes.subarray(3), name);
  if (startsWith(bytes, [0xff, 0xfe])) return bytes.toString('utf16le', 2);
  if (startsWith(bytes, [0xfe, 0xff]))
    return Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)))
      .swap16()
      .toString('utf16le');
  return utf8(bytes, name);
}

function utf8(bytes: Buffer, name: string): string {
  // Checked, not decoded leniently: a binary file would otherwise turn into U+FFFD characters.
  if (!isUtf8(bytes)) throw new DataError(`${name} is not UTF-8 text (a binary file, or text in another encoding?)`);
  return bytes.toString('utf8');
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the error, binary bytes included, and often has no position.
    const problem = jsonSyntaxProblem(text);
    throw new DataError(`${name} is not valid JSON: ${problem ?? printable((error as Error).message)}`);
  }
}

const CHARACTER_NAMES: Record<string, string> = {
  '\ufeff': 'a byte-order mark',
  '\u00a0': 'a no-break space',
  '\u200b': 'a zero-width space',
  '\u0000': 'a NUL byte',
};

/** One character for a message: 'x' where it is visible, its code point (and name) where not. */
function describeCharacter(c: string): string {
  const visible = printable(c) === c && c.trim() !== '';
  const name = CHARACTER_NAMES[c];
  return visible ? `'${c}'` : `character ${codePoint(c)}${name ? ` (${name})` : ''}`;
}

/** "line 3, column 7" of position `index` (1-based). */
function lineColumn(text: string, index: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${index - lineStart + 1}`;
}

/**
 * Where and why `text` is not JSON, in words; undefined when it is valid. Called only after
 * `JSON.parse` failed, for a message that says where (V8's often does not) and quotes no
 * binary. Iterative, so that deep nesting cannot overflow the stack.
 */
export function jsonSyntaxProblem(text: string): string | undefined {
  if (text.trim() === '') return 'the file is empty';
  const at = (i: number, expected: string) =>
    i >= text.length
      ? `the text ends before the JSON is complete (at ${lineColumn(text, i)}, expecting ${expected})`
      : `unexpected ${describeCharacter(String.fromCodePoint(text.codePointAt(i)!))} at ${lineColumn(text, i)} (expecting ${expected})`;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  const skipSpace = (i: number) => {
    while (isSpace(text[i])) i++;
    return i;
  };
  /** End of the string starting at the quote at `i`, or a problem. */
  const stringEnd = (i: number): number | string => {
    for (i++; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return i + 1;
      if (c < 0x20) return at(i, 'the string to go on (control characters must be written as \\u escapes)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return at(i + 2, 'four hexadecimal digits after \\u');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else return at(i + 1, 'an escape: one of " \\ / b f n r t u');
      }
    }
    return at(i, "the closing '\"' of a string");
  };
  /** End of the number starting at `i`, or a problem. */
  const numberEnd = (i: number): number | string => {
    const digits = (j: number) => {
      while (text[j] !== undefined && text[j]! >= '0' && text[j]! <= '9') j++;
      return j;
    };
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (text[i] !== undefined && text[i]! >= '1' && text[i]! <= '9') i = digits(i);
    else return at(i, 'a digit');
    if (text[i] === '.') {
      const j = digits(i + 1);
      if (j === i + 1) return at(j, 'a digit after the decimal point');
      i = j;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      const j = digits(i);
      if (j === i) return at(j, 'a digit in the exponent');
      i = j;
    }
    return i;
  };
  // The containers we are in: '{' or '['; after a value, what may follow depends on the innermost.
  const stack: string[] = [];
  let i = skipSpace(0);
  for (;;) {
    // Here a value starts.
    const c = text[i];
    let end: number | string;
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i = skipSpace(i + 1);
      if (text[i] === close) {
        end = i + 1;
      } else {
        stack.push(c);
        if (c === '{') {
          const key = propertyName(i);
          if (typeof key === 'string') return key;
          i = key;
        }
        continue;
      }
    } else if (c === '"') end = stringEnd(i);
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) end = numberEnd(i);
    else {
      const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
      if (!word) return at(i, 'a value');
      end = i + word.length;
    }
    if (typeof end === 'string') return end;
    // After a value: a separator, the end of containers, or the end of the text.
    i = skipSpace(end);
    for (;;) {
      const inner = stack.at(-1);
      if (inner === undefined) return i < text.length ? at(i, 'the end of the text after the JSON value') : undefined;
      const close = inner === '{' ? '}' : ']';
      if (text[i] === ',') {
        i = skipSpace(i + 1);
        if (inner === '{') {
          const key = propertyName(i);
          if (typeof key === 'string') return key;
          i = key;
        }
        break;
      }
      if (text[i] !== close) return at(i, `',' or '${close}'`);
      stack.pop();
      i = skipSpace(i + 1);
    }
  }

  /** A property name and its ':' at `i`; the start of its value, or a problem. */
  function propertyName(i: number): number | string {
    if (text[i] !== '"') return at(i, 'a property name in double quotes');
    const end = stringEnd(i);
    if (typeof end === 'string') return end;
    const colon = skipSpace(end);
    if (text[colon] !== ':') return at(colon, "':' after the property name");
    return skipSpace(colon + 1);
  }
}
