/**
 * The local side of the plan: every file under the site folder, with the ETag S3 would give it
 * (plain MD5 below the multipart threshold, multipart-style `md5(part md5s)-N` above it).
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { EdgelockError } from '../../errors';
import { runPool } from '../pool';
import { DigestCache, digestCacheFile, loadDigestCache, type LoadedCache } from './digest-cache';
import { secretReason } from './secrets';
import { selectSiteFiles, type SelectionRules, type SkippedFile } from './site-filter';

/** Files above this size go up as multipart uploads with parts of this size (as `aws s3` does). */
export const MULTIPART_PART_BYTES = 8 * 1024 * 1024;

/** Files read and hashed at once while planning. */
const HASH_CONCURRENCY = 16;

export interface LocalFile {
  /** S3 key: the path relative to the site folder, with "/" separators. */
  readonly key: string;
  readonly path: string;
  readonly size: number;
  /** Hex MD5 of the whole file. */
  readonly md5: string;
  /** The ETag S3 reports once uploaded by edgelock (without quotes). */
  readonly etag: string;
  readonly multipart: boolean;
  /** Why the file looks like a secret (by name, or by content for files read whole), if it does. */
  readonly secret?: string;
}

export interface ScannedSite {
  /** The files to publish, sorted by key. */
  readonly files: readonly LocalFile[];
  /** Files of the folder that are not published, and why. */
  readonly skipped: readonly SkippedFile[];
  /** How the digests were found: read from the digest cache, or by reading and hashing the file. */
  readonly digests: { readonly cached: number; readonly hashed: number; readonly cacheFile?: string; readonly note?: string };
}

export interface ScanOptions {
  /** The project's `.edgelock/` folder, where the digest cache lives; without it every file is hashed. */
  readonly cacheDir?: string;
  /** Multipart part size. @default MULTIPART_PART_BYTES */
  readonly partBytes?: number;
  /** Files changed less than this long before the scan are not cached. @default RACY_SECONDS */
  readonly racySeconds?: number;
}

function inside(realRoot: string, real: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);
}

/**
 * Collects every file under `dir`. Symbolic links are followed only while their real target stays
 * inside the site folder: a link to a file elsewhere (a credentials file, a home folder) is refused
 * rather than uploaded, and a link that leads back to a folder already being walked is reported as a loop.
 * Synchronous: a site is thousands of small directory reads, each far cheaper than a promise's round trip.
 */
function walk(dir: string, realRoot: string, out: string[], visiting: Set<string>): void {
  const entries = readdirSync(dir, { withFileTypes: true });
  const into = (full: string, real: string): void => {
    visiting.add(real);
    try {
      walk(full, realRoot, out, visiting);
    } finally {
      visiting.delete(real);
    }
  };
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) into(full, realpathSync(full));
    else if (e.isFile()) out.push(full);
    else if (e.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(full);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') throw new EdgelockError(`the site folder has a symbolic link loop at ${full}: remove or fix the link; nothing was uploaded`, { code: 'DEPLOY_REFUSED', cause: err });
        throw new EdgelockError(`the symbolic link ${full} in the site folder points to ${linkText(full)}, which cannot be read (${code ?? (err as Error).message}): remove or fix the link; nothing was uploaded`, { code: 'DEPLOY_REFUSED', cause: err });
      }
      if (!inside(realRoot, real)) {
        throw new EdgelockError(
          `refusing to deploy: the symbolic link ${full} points to ${real}, outside the site folder ${realRoot}. Nothing was uploaded. ` +
            'Copy the file into the site folder if it belongs to the site, or remove the link.', { code: 'DEPLOY_REFUSED' }
        );
      }
      const s = statSync(real);
      if (s.isDirectory()) {
        if (visiting.has(real)) throw new EdgelockError(`the site folder has a symbolic link loop: ${full} leads back to ${real}, a folder already being read. Remove or fix the link; nothing was uploaded`, { code: 'DEPLOY_REFUSED' });
        into(full, real);
      } else if (s.isFile()) out.push(full);
    }
  }
}

function linkText(link: string): string {
  try {
    return readlinkSync(link);
  } catch {
    return 'an unreadable target';
  }
}

/**
 * Hashes one file in a single pass: whole-file MD5 and, when it is multipart, each part's MD5.
 * `inspect` sees the bytes of a file read whole (not multipart).
 */
export async function hashFile(file: string, size: number, partBytes = MULTIPART_PART_BYTES, inspect?: (content: Buffer) => void): Promise<{ md5: string; etag: string; multipart: boolean }> {
  const multipart = size > partBytes;
  if (!multipart) {
    // Small files (nearly all of a site): one synchronous read, one digest. For files this small a
    // sync read costs microseconds, far less than fs/promises' open/stat/read/close round trips.
    const content = readFileSync(file);
    inspect?.(content);
    const md5 = createHash('md5').update(content).digest('hex');
    return { md5, etag: md5, multipart };
  }
  const whole = createHash('md5');
  const partDigests: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partBytes - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === partBytes) {
        partDigests.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0) partDigests.push(part.digest());
  const md5 = whole.digest('hex');
  const etag = `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${partDigests.length}`;
  return { md5, etag, multipart };
}

/** The site folder's absolute path, or bad input (exit 2) when there is no folder there. */
export async function checkSiteFolder(dir: string): Promise<string> {
  const root = path.resolve(dir);
  let rootStat;
  try {
    rootStat = await stat(root);
  } catch {
    throw new EdgelockError(`no site folder at ${root}: pass the folder your static site generator wrote (e.g. "public" or "dist")`, { code: 'DEPLOY_REFUSED', exitCode: 2 });
  }
  if (!rootStat.isDirectory()) throw new EdgelockError(`${root} is not a folder: pass the folder that holds the site`, { code: 'DEPLOY_REFUSED', exitCode: 2 });
  return root;
}

/**
 * Lists the site folder, decides what is published (site-filter.ts), and hashes and inspects only
 * that; files sorted by key. Keys are `prefix` + the path under the folder (skipped ones without it).
 */
export async function scanSite(dir: string, rules: SelectionRules = { include: [], exclude: [] }, prefix = '', options: ScanOptions = {}): Promise<ScannedSite> {
  const scanStartNs = BigInt(Date.now()) * 1_000_000n;
  const root = await checkSiteFolder(dir);
  const files: string[] = [];
  const realRoot = realpathSync(root);
  walk(root, realRoot, files, new Set([realRoot]));
  if (files.length === 0) throw new EdgelockError(`the site folder ${root} is empty: nothing to deploy (build the site first)`, { code: 'DEPLOY_REFUSED' });
  const byKey = new Map(files.map((file) => [path.relative(root, file).split(path.sep).join('/'), file]));
  const selection = selectSiteFiles([...byKey.keys()], rules);
  if (selection.publish.length === 0) {
    throw new EdgelockError(`nothing to deploy from ${root}: all ${files.length} file(s) are skipped, e.g. ${selection.skipped[0]!.key}: ${selection.skipped[0]!.reason}`, { code: 'DEPLOY_REFUSED' });
  }
  const partBytes = options.partBytes ?? MULTIPART_PART_BYTES;
  const scope = { root: realRoot, partBytes };
  const cacheFile = options.cacheDir ? digestCacheFile(options.cacheDir, realRoot) : undefined;
  const loaded: LoadedCache = cacheFile ? loadDigestCache(cacheFile, scope) : { entries: new Map() };
  const cache = new DigestCache(loaded.entries, scanStartNs, options.racySeconds);
  let note = loaded.note;
  const out: LocalFile[] = [];
  await runPool(selection.publish, HASH_CONCURRENCY, async (key) => {
    const file = byKey.get(key)!;
    const s = statSync(file, { bigint: true });
    const size = Number(s.size);
    const nameSecret = secretReason(key);
    let digest = cache.lookup(key, s);
    if (!digest) {
      let contentSecret: string | undefined;
      const hashed = await hashFile(file, size, partBytes, nameSecret ? undefined : (content) => (contentSecret = secretReason(key, content)));
      digest = { ...hashed, ...(nameSecret ?? contentSecret ? { secret: (nameSecret ?? contentSecret)! } : {}) };
      cache.store(key, s, digest);
    }
    // The name is checked on every scan; a verdict on the bytes comes from the read that hashed them.
    const secret = nameSecret ?? digest.secret;
    out.push({ key: prefix + key, path: file, size, md5: digest.md5, etag: digest.etag, multipart: digest.multipart, ...(secret ? { secret } : {}) });
  });
  if (cacheFile && cache.dirty) {
    try {
      cache.save(cacheFile, scope);
    } catch (err) {
      note = `the digest cache ${cacheFile} could not be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the next deploy hashes every file again`;
    }
  }
  const digests = { cached: cache.hits, hashed: out.length - cache.hits, ...(cacheFile ? { cacheFile } : {}), ...(note ? { note } : {}) };
  const byName = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return { files: out.sort(byName), skipped: [...selection.skipped].sort(byName), digests };
}
