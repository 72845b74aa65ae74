/**
 * The local side of the plan: every file under the site folder, with the ETag S3 would give it
 * (plain MD5 below the multipart threshold, multipart-style `md5(part md5s)-N` above it).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EdgelockError } from '../../errors';

/** Files above this size go up as multipart uploads with parts of this size (as `aws s3` does). */
export const MULTIPART_PART_BYTES = 8 * 1024 * 1024;

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
}

async function walk(dir: string, root: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walk(full, root, out);
    else if (e.isFile()) out.push(full);
    else if (e.isSymbolicLink()) {
      const s = await stat(full);
      if (s.isDirectory()) await walk(full, root, out);
      else if (s.isFile()) out.push(full);
    }
  }
}

/** Hashes one file in a single pass: whole-file MD5 and, when it is multipart, each part's MD5. */
export async function hashFile(file: string, size: number, partBytes = MULTIPART_PART_BYTES): Promise<{ md5: string; etag: string; multipart: boolean }> {
  const whole = createHash('md5');
  const multipart = size > partBytes;
  const partDigests: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    if (!multipart) continue;
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
  if (multipart && inPart > 0) partDigests.push(part.digest());
  const md5 = whole.digest('hex');
  const etag = multipart ? `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${partDigests.length}` : md5;
  return { md5, etag, multipart };
}

/** Lists and hashes the site folder, sorted by key. */
export async function scanSite(dir: string): Promise<LocalFile[]> {
  const root = path.resolve(dir);
  let rootStat;
  try {
    rootStat = await stat(root);
  } catch {
    throw new EdgelockError(`no site folder at ${root}: pass the folder your static site generator wrote (e.g. "public" or "dist")`);
  }
  if (!rootStat.isDirectory()) throw new EdgelockError(`${root} is not a folder: pass the folder that holds the site`);
  const files: string[] = [];
  await walk(root, root, files);
  if (files.length === 0) throw new EdgelockError(`the site folder ${root} is empty: nothing to deploy (build the site first)`);
  const out = await Promise.all(
    files.map(async (file) => {
      const s = await stat(file);
      const key = path.relative(root, file).split(path.sep).join('/');
      return { key, path: file, size: s.size, ...(await hashFile(file, s.size)) };
    }),
  );
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
