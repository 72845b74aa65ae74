/**
 * Remembered reads for the embedded S3. s3rver answers a GetObject with a Koa middleware chain,
 * a router and about six file-system calls (the object's stat, its metadata and MD5 files, a read
 * stream): most of a local miss's time. This module keeps s3rver's own answer to a plain
 * GetObject or HeadObject (status, every header in its wire spelling and order, the body) and
 * replays it, byte for byte apart from the `Date` Node writes, while the object is unchanged.
 *
 * "Plain" is narrow on purpose: GET or HEAD, no query string, and only headers that cannot change
 * S3's answer (the SigV4 ones, Host, CloudFront's Via, X-Forwarded-For, User-Agent,
 * Accept-Encoding and X-Amz-Cf-Id). A Range, a condition (If-*), CORS, a `response-*` override or
 * any header this module does not know goes to s3rver every time and is never remembered.
 *
 * "Unchanged" is checked two ways: any write through the S3 API (every request of the bucket
 * owner that is not a GET or HEAD) forgets everything when it starts and again when it ends, and
 * nothing is remembered while one is in flight; and every read compares the object file's stat
 * (inode, size, modification and change times) with the one the answer was recorded under, so a
 * change made under the store's folder by any other means is seen too. The SigV4 gate runs before
 * any of this: a remembered object is refused to anonymous and wrongly signed requests as before.
 */
import type { Stats } from 'node:fs';
import type http from 'node:http';

/** @default bytes of remembered answers kept (least recently used dropped first) */
export const DEFAULT_READ_MEMO_BYTES = 32 * 1024 * 1024;
/** @default largest object whose answer is remembered; larger ones always go to s3rver */
export const DEFAULT_READ_MEMO_OBJECT_BYTES = 8 * 1024 * 1024;

/** Request headers that do not change S3's answer to a GetObject (lower-case). */
const NEUTRAL_HEADERS = new Set([
  'host',
  'authorization',
  'x-amz-date',
  'x-amz-content-sha256',
  'x-amz-security-token',
  'via',
  'x-forwarded-for',
  'user-agent',
  'accept-encoding',
  'x-amz-cf-id',
  'connection',
  'keep-alive',
  'content-length',
]);

/** Response headers Node writes on its own for every answer; never recorded. */
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** What identifies one version of an object file: a rewrite changes at least one of these. */
export function objectStamp(stat: Pick<Stats, 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'>): string {
  return `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
}

/** One recorded answer. */
export interface RecordedRead {
  readonly stamp: string;
  readonly status: number;
  readonly statusMessage: string;
  /** [name as written, value] in the order s3rver set them. */
  readonly headers: readonly (readonly [string, string | number | readonly string[]])[];
  readonly body: Buffer;
}

export interface ReadMemoOptions {
  /** @default DEFAULT_READ_MEMO_BYTES */
  readonly maxBytes?: number;
  /** @default DEFAULT_READ_MEMO_OBJECT_BYTES */
  readonly maxObjectBytes?: number;
}

/**
 * The memo key of a plain GetObject/HeadObject (method, host and path), or undefined when the
 * request is anything else and must go to s3rver unremembered.
 */
export function plainReadKey(method: string, target: string, rawHeaders: readonly string[]): string | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (target.includes('?') || target.includes('#')) return undefined;
  let host: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!NEUTRAL_HEADERS.has(name)) return undefined;
    if (name === 'host') {
      if (host !== undefined) return undefined;
      host = rawHeaders[i + 1]!;
    }
  }
  return host === undefined ? undefined : `${method} ${host.toLowerCase()} ${target}`;
}

export class ReadMemo {
  private readonly entries = new Map<string, RecordedRead>();
  private bytes = 0;
  private generation = 0;
  private writesInFlight = 0;
  private readonly maxBytes: number;
  private readonly maxObjectBytes: number;

  constructor(options: ReadMemoOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_READ_MEMO_BYTES;
    this.maxObjectBytes = options.maxObjectBytes ?? DEFAULT_READ_MEMO_OBJECT_BYTES;
  }

  /** Answers remembered now. */
  get size(): number {
    return this.entries.size;
  }

  /** A write through the API starts: everything is forgotten now and when `done` is called. */
  writeStarted(): () => void {
    this.forget();
    this.writesInFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.writesInFlight--;
      this.forget();
    };
  }

  /** The answer recorded for `key` under this stamp of the object file, else undefined (and a stale one is dropped). */
  lookup(key: string, stamp: string): RecordedRead | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (hit.stamp !== stamp) {
      this.bytes -= hit.body.length;
      return undefined;
    }
    this.entries.set(key, hit);
    return hit;
  }

  /**
   * Records s3rver's answer on `res` as it is written, and keeps it when it is a complete 200 with
   * no write having started or ended meanwhile.
   */
  record(key: string, stamp: string, res: http.ServerResponse): void {
    const generation = this.generation;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const take = (chunk: unknown, encoding?: unknown): void => {
      if (tooLarge || chunk === undefined || chunk === null || typeof chunk === 'function') return;
      const b = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
      size += b.length;
      if (size > this.maxObjectBytes) tooLarge = true;
      else chunks.push(b);
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.write = ((...args: unknown[]) => {
      take(args[0], args[1]);
      return write(...args);
    }) as typeof res.write;
    res.end = ((...args: unknown[]) => {
      take(args[0], args[1]);
      return end(...args);
    }) as typeof res.end;
    res.once('finish', () => {
      if (tooLarge || res.statusCode !== 200 || generation !== this.generation || this.writesInFlight > 0) return;
      const headers: [string, string | number | readonly string[]][] = [];
      // Node ≥ 15.13 keeps the names as set (getHeaderNames lower-cases them); @types/node omits it.
      for (const name of (res as unknown as { getRawHeaderNames(): string[] }).getRawHeaderNames()) {
        if (PER_RESPONSE.has(name.toLowerCase())) continue;
        const value = res.getHeader(name);
        if (value !== undefined) headers.push([name, value]);
      }
      this.store(key, { stamp, status: res.statusCode, statusMessage: res.statusMessage, headers, body: Buffer.concat(chunks) });
    });
  }

  /** Writes a recorded answer (no body for HEAD). */
  static replay(recorded: RecordedRead, method: string, res: http.ServerResponse): void {
    res.statusCode = recorded.status;
    res.statusMessage = recorded.statusMessage;
    for (const [name, value] of recorded.headers) res.setHeader(name, value as string | number | string[]);
    res.end(method === 'HEAD' ? undefined : recorded.body);
  }

  private store(key: string, recorded: RecordedRead): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.body.length;
    }
    if (recorded.body.length > this.maxBytes) return;
    this.entries.set(key, recorded);
    this.bytes += recorded.body.length;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.body.length;
    }
  }

  private forget(): void {
    this.generation++;
    this.entries.clear();
    this.bytes = 0;
  }
}
