/**
 * What the deploy's local caches (digest-cache.ts, reference-cache.ts) share: reading a cache file
 * only its owner may change, and the checks every cache file passes before its entries are read.
 * A cache is a speed-up, never a source of truth: whatever fails here is ignored with the reason.
 */
import { readFileSync, statSync } from 'node:fs';

/**
 * Reads a file only its owner may change: undefined when there is none; `refused` when another
 * user owns it or anyone else may write it (whoever could plant a cache edgelock trusts), or it
 * cannot be read.
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

/**
 * A cache file's JSON object when it is one in `format` with an entries table, or why it is not
 * (to be said as "ignored (why)").
 */
export function parseCacheFile(text: string, format: string): { readonly cache: Record<string, unknown>; readonly entries: Record<string, unknown> } | { readonly why: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { why: 'it is not JSON' };
  }
  const c = json as Record<string, unknown> | null;
  if (!c || typeof c !== 'object' || c.format !== format) return { why: `it is not a ${format} file` };
  if (!c.entries || typeof c.entries !== 'object' || Array.isArray(c.entries)) return { why: 'it has no entries table' };
  return { cache: c, entries: c.entries as Record<string, unknown> };
}
