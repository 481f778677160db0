/** Listing a folder of images (JPEG, PNG) or masks (PNG), keyed by file stem; problems are DataErrors naming the folder. */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DataError, printable } from '../errors.js';
import { IMAGE_EXTENSIONS } from './decode.js';

/** A file of a folder: its name, full path and stem (name without extension). */
export interface FolderFile {
  name: string;
  path: string;
  stem: string;
}

/** Files of `dir` with one of `extensions` (case-insensitive), sorted by name; at least one; no two with the same stem. */
export function listFolder(dir: string, flag: string, extensions: readonly string[] = IMAGE_EXTENSIONS): FolderFile[] {
  const where = printable(dir);
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new DataError(`${flag} ${where}: not a folder`);
    names = readdirSync(dir);
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`${flag} ${where}: ${code === 'ENOENT' ? 'no such folder' : `cannot read (${code ?? (error as Error).message})`}`);
  }
  const files = names
    .filter((n) => !n.startsWith('.') && extensions.includes(extname(n).toLowerCase()))
    .sort()
    .map((name) => ({ name, path: join(dir, name), stem: name.slice(0, name.length - extname(name).length) }));
  if (files.length === 0) throw new DataError(`${flag} ${where}: no ${extensions.map((e) => e.slice(1)).join('/')} files in the folder`);
  const seen = new Map<string, string>();
  for (const f of files) {
    const other = seen.get(f.stem);
    if (other !== undefined)
      throw new DataError(`${flag} ${where}: duplicate file stem '${printable(f.stem)}' (${printable(other)} and ${printable(f.name)})`);
    seen.set(f.stem, f.name);
  }
  return files;
}
