/**
 * What changes: a pure comparison of the local site with the bucket listing, and the order in
 * which changes go out so that no visitor ever gets a page whose assets are missing.
 */
import type { LocalFile } from './local-files';

export interface RemoteObject {
  readonly key: string;
  /** ETag without quotes. */
  readonly etag: string;
  readonly size: number;
}

export interface SiteChanges {
  readonly add: readonly LocalFile[];
  readonly change: readonly LocalFile[];
  readonly unchanged: readonly LocalFile[];
  /** Keys in the bucket that the site no longer has (empty with `prune: false`). */
  readonly delete: readonly string[];
  /** Keys that would be deleted but are kept because pruning is off. */
  readonly kept: readonly string[];
}

/** HTML goes up last: it is what references every other file. */
export function isHtml(key: string): boolean {
  return /\.html?$/i.test(key);
}

export function compareSite(local: readonly LocalFile[], remote: readonly RemoteObject[], options: { prune: boolean }): SiteChanges {
  const byKey = new Map(remote.map((r) => [r.key, r]));
  const add: LocalFile[] = [];
  const change: LocalFile[] = [];
  const unchanged: LocalFile[] = [];
  for (const f of local) {
    const r = byKey.get(f.key);
    if (!r) add.push(f);
    // A plain MD5 ETag equal to the file's MD5 is the same content too (uploaded whole by another tool).
    else if (r.size === f.size && (r.etag === f.etag || r.etag === f.md5)) unchanged.push(f);
    else change.push(f);
  }
  const localKeys = new Set(local.map((f) => f.key));
  const gone = remote.filter((r) => !localKeys.has(r.key)).map((r) => r.key);
  return { add, change, unchanged, delete: options.prune ? gone : [], kept: options.prune ? [] : gone };
}

/** Files to upload, split into the two waves: everything but HTML, then HTML. */
export function uploadWaves(changes: SiteChanges): { assets: LocalFile[]; html: LocalFile[] } {
  const all = [...changes.add, ...changes.change];
  return { assets: all.filter((f) => !isHtml(f.key)), html: all.filter((f) => isHtml(f.key)) };
}
