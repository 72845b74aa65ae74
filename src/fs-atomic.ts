import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
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

