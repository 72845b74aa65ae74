import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file through a temporary sibling and a rename, so readers never see half a file.
 * `mode` sets the new file's permissions (e.g. 0o600 for a file only its owner may read).
 */
export function writeFileAtomic(file: string, data: string | Buffer, options: { readonly mode?: number } = {}): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, options.mode !== undefined ? { mode: options.mode } : undefined);
  renameSync(tmp, file);
}

/**
 * Reads a file only its owner may change: undefined when there is none; `refused` when another
 * user owns it or anyone else may write it (someone who could plant a cache edgelock trusts).
 */
export function readOwnFile(file: string): { readonly text: string } | { readonly refused: string } | undefined {
  let s;
  try {
    s = statSync(file);
  } catch {
    return undefined;
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if ((uid !== undefined && s.uid !== uid) || (s.mode & 0o022) !== 0) return { refused: 'another user owns it or may write it' };
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (err) {
    return { refused: (err as Error).message };
  }
}
