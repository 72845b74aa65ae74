/**
 * What changes: a pure comparison of the local site with the bucket listing (and, when there is
 * one, the last deploy record), and the order in which changes go out so that no visitor ever gets
 * a page whose assets are missing.
 */
import type { LocalFile } from './local-files';
import type { KeptKey } from './prune';
import type { RecordedObject } from './record';

export interface RemoteObject {
  readonly key: string;
  /** ETag without quotes. */
  readonly etag: string;
  readonly size: number;
}

/** A site file with the headers it is (or will be) stored with. */
export interface PlannedFile extends LocalFile {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly contentEncoding?: string;
}

export interface SiteChanges {
  readonly add: readonly PlannedFile[];
  readonly change: readonly PlannedFile[];
  readonly unchanged: readonly PlannedFile[];
  /** Unchanged content whose stored headers differ from the rules (or are unknown): an in-place metadata copy. */
  readonly restamp: readonly PlannedFile[];
  /** Keys to delete once the new site is live: only what edgelock wrote (see prune.ts). */
  readonly delete: readonly string[];
  /** Keys under the prefix the site no longer has that stay, with the reason. */
  readonly kept: readonly KeptKey[];
}

export interface Comparison {
  readonly add: readonly PlannedFile[];
  readonly change: readonly PlannedFile[];
  readonly unchanged: readonly PlannedFile[];
  readonly restamp: readonly PlannedFile[];
  /** Remote keys the site does not have. */
  readonly gone: readonly RemoteObject[];
}

/** HTML goes up last: it is what references every other file. */
export function isHtml(key: string): boolean {
  return /\.html?$/i.test(key);
}

function sameHeaders(f: PlannedFile, r: RecordedObject): boolean {
  return f.contentType === r.contentType && f.cacheControl === r.cacheControl && (f.contentEncoding ?? '') === (r.contentEncoding ?? '');
}

/**
 * Same content: the size matches and the stored ETag is the file's (single or multipart ETag), or
 * its plain MD5 (uploaded whole by another tool), or the ETag the last record stored for this very
 * MD5 (SSE-KMS ETags are not MD5s, so only the record can tell).
 */
export function compareSite(local: readonly PlannedFile[], remote: readonly RemoteObject[], written: ReadonlyMap<string, RecordedObject> = new Map()): Comparison {
  const byKey = new Map(remote.map((r) => [r.key, r]));
  const add: PlannedFile[] = [];
  const change: PlannedFile[] = [];
  const unchanged: PlannedFile[] = [];
  const restamp: PlannedFile[] = [];
  for (const f of local) {
    const r = byKey.get(f.key);
    const w = written.get(f.key);
    if (!r) add.push(f);
    else if (r.size === f.size && (r.etag === f.etag || r.etag === f.md5 || (w !== undefined && w.etag === r.etag && w.md5 === f.md5))) {
      unchanged.push(f);
      // Headers are known only from a record entry for this very object.
      if (!w || w.etag !== r.etag || !sameHeaders(f, w)) restamp.push(f);
    } else change.push(f);
  }
  const localKeys = new Set(local.map((f) => f.key));
  return { add, change, unchanged, restamp, gone: remote.filter((r) => !localKeys.has(r.key)) };
}

/** Files to upload, split into the two waves: everything but HTML, then HTML. */
export function uploadWaves(changes: Pick<SiteChanges, 'add' | 'change'>): { assets: PlannedFile[]; html: PlannedFile[] } {
  const all = [...changes.add, ...changes.change];
  return { assets: all.filter((f) => !isHtml(f.key)), html: all.filter((f) => isHtml(f.key)) };
}
