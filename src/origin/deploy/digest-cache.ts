/**
 * The local digest cache: what hashing a site file found (its MD5, the ETag S3 would give it, and
 * whether its bytes look like a secret), keyed by the file's path under the site folder and its
 * size, modification time, change time and inode. A re-deploy reads only the files whose stat
 * differs; the rest keep the digest they had.
 *
 * One file per site folder, in the project's `.edgelock/digests/` (named by a hash of the folder's
 * real path), written whole through a rename (src/fs-atomic.ts). It is a speed-up, never a source of
 * truth: a cache that is not JSON, not in this format, written for another folder, under other
 * secret-detection rules or another part size, or writable by anyone but its owner is
 * ignored with a note and every file is hashed. An entry is stored only for a file whose times are
 * at least {@link RACY_SECONDS} older than the scan: a file rewritten within the file system's
 * timestamp resolution of being hashed could otherwise keep a stale digest ("racily clean").
 */
import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../fs-atomic';
import { parseCacheFile, readOwnFile } from './cache-file';
import { SECRET_RULES_ID } from './secrets';

export const DIGEST_CACHE_FORMAT = 'edgelock.digest-cache/1';

/** Files changed this recently before a scan are hashed again next time (covers 2-second FAT times). */
export const RACY_SECONDS = 2;

/** What hashing one file found. */
export interface FileDigest {
  readonly md5: string;
  readonly etag: string;
  readonly multipart: boolean;
  /** Why the file looked like a secret when it was read, if it did. */
  readonly secret?: string;
}

/** The stat fields an entry is keyed by (nanoseconds and inode as decimal strings). */
interface StatKey {
  readonly size: number;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
  readonly ino: string;
}

/** [size, mtimeNs, ctimeNs, ino, md5, etag, multipart (0/1), secret ('' for none)] */
type Entry = [number, string, string, string, string, string, 0 | 1, string];

/** What a cache is valid for: anything else found in the file makes it foreign. */
export interface CacheScope {
  /** The site folder's real path. */
  readonly root: string;
  /** Multipart part size the ETags were computed with. */
  readonly partBytes: number;
}

export interface LoadedCache {
  readonly entries: ReadonlyMap<string, Entry>;
  /** Why the file on disk was not used, when it was there and not used. */
  readonly note?: string;
}

function statKey(s: BigIntStats): StatKey {
  return { size: Number(s.size), mtimeNs: String(s.mtimeNs), ctimeNs: String(s.ctimeNs), ino: String(s.ino) };
}

/** The cache file of a site folder, under the project's `.edgelock/` folder. */
export function digestCacheFile(edgelockDir: string, realRoot: string): string {
  return path.join(edgelockDir, 'digests', `${createHash('sha256').update(realRoot).digest('hex').slice(0, 16)}.json`);
}

const HEX32 = /^[0-9a-f]{32}$/;
const DIGITS = /^\d+$/;

function validEntry(e: unknown): e is Entry {
  return (
    Array.isArray(e) && e.length === 8 && Number.isInteger(e[0]) && (e[0] as number) >= 0 &&
    typeof e[1] === 'string' && DIGITS.test(e[1]) && typeof e[2] === 'string' && DIGITS.test(e[2]) && typeof e[3] === 'string' && DIGITS.test(e[3]) &&
    typeof e[4] === 'string' && HEX32.test(e[4]) && typeof e[5] === 'string' && /^[0-9a-f]{32}(-\d+)?$/.test(e[5]) &&
    (e[6] === 0 || e[6] === 1) && typeof e[7] === 'string'
  );
}

/**
 * Parses a cache file's text for `scope` (pure). Returns its entries, or none and the reason it is
 * not trusted.
 */
export function parseDigestCache(text: string, scope: CacheScope): LoadedCache {
  const ignore = (why: string): LoadedCache => ({ entries: new Map(), note: `the digest cache was ignored (${why}); every file is hashed and the cache rewritten` });
  const parsed = parseCacheFile(text, DIGEST_CACHE_FORMAT);
  if ('why' in parsed) return ignore(parsed.why);
  const c = parsed.cache;
  if (c.root !== scope.root) return ignore(`it was written for the folder ${JSON.stringify(c.root)}`);
  if (c.secretRules !== SECRET_RULES_ID) return ignore('it was written under other secret-detection rules');
  if (c.partBytes !== scope.partBytes) return ignore(`its multipart ETags are for ${String(c.partBytes)}-byte parts`);
  const entries = new Map<string, Entry>();
  for (const [key, e] of Object.entries(parsed.entries)) {
    if (!validEntry(e)) return ignore(`its entry for ${JSON.stringify(key)} is malformed`);
    entries.set(key, e);
  }
  return { entries };
}

/**
 * Reads the cache file. A missing file is an empty cache without a note; one another user owns or
 * may write (someone who could make edgelock skip a changed file, or hide a secret from the
 * content check) is ignored with a note.
 */
export function loadDigestCache(file: string, scope: CacheScope): LoadedCache {
  const read = readOwnFile(file);
  if (!read) return { entries: new Map() };
  if ('refused' in read) return { entries: new Map(), note: `the digest cache ${file} was ignored (${read.refused}); every file is hashed` };
  return parseDigestCache(read.text, scope);
}

/** A scan's view of the cache: look-ups by stat, and the entries to keep for the next scan. */
export class DigestCache {
  private readonly next = new Map<string, Entry>();
  private changed = false;
  /** Files whose digest came from the cache (not read) in this scan. */
  hits = 0;

  /**
   * @param scanStartNs when the scan began, in ns of wall-clock time (file times are wall-clock)
   * @param racySeconds files changed less than this long before the scan are not stored
   */
  constructor(private readonly loaded: ReadonlyMap<string, Entry>, private readonly scanStartNs: bigint, private readonly racySeconds: number = RACY_SECONDS) {}

  /** The digest stored for this very file (same path, size, times and inode), if any. */
  lookup(key: string, s: BigIntStats): FileDigest | undefined {
    const e = this.loaded.get(key);
    if (!e) return undefined;
    const k = statKey(s);
    if (e[0] !== k.size || e[1] !== k.mtimeNs || e[2] !== k.ctimeNs || e[3] !== k.ino) return undefined;
    this.next.set(key, e);
    this.hits++;
    return { md5: e[4], etag: e[5], multipart: e[6] === 1, ...(e[7] ? { secret: e[7] } : {}) };
  }

  /** Keeps what hashing found, unless the file changed too recently to be sure of its times. */
  store(key: string, s: BigIntStats, d: FileDigest): void {
    this.changed = true;
    const racyAfter = this.scanStartNs - BigInt(Math.round(this.racySeconds * 1000)) * 1_000_000n;
    if (s.mtimeNs >= racyAfter || s.ctimeNs >= racyAfter) return;
    const k = statKey(s);
    this.next.set(key, [k.size, k.mtimeNs, k.ctimeNs, k.ino, d.md5, d.etag, d.multipart ? 1 : 0, d.secret ?? '']);
  }

  /** Whether the file on disk should be rewritten: a file was hashed, or one left the site. */
  get dirty(): boolean {
    return this.changed || this.next.size !== this.loaded.size;
  }

  /** The cache file's text: entries in key order, so the file diffs and compares well. */
  serialize(scope: CacheScope): string {
    const entries = Object.fromEntries([...this.next.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return `${JSON.stringify({ format: DIGEST_CACHE_FORMAT, secretRules: SECRET_RULES_ID, root: scope.root, partBytes: scope.partBytes, entries })}\n`;
  }

  /** Writes the cache through a rename (readers never see half a file), readable by its owner only. */
  save(file: string, scope: CacheScope): void {
    writeFileAtomic(file, this.serialize(scope), { mode: 0o600 });
  }
}
