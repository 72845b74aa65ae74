/**
 * Streams log files into a {@link LogSummary}: local files, folders (recursively) and
 * s3://bucket/prefix, gzip or plain (told by the magic bytes, not the name), one file at a time,
 * in chunks, so memory stays flat whatever the size.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isAscii } from 'node:buffer';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../../errors';
import { CLOUDFRONT_DEFAULT_FIELDS, cloudFrontLayout, looksLikeCloudFront, parseFieldsLine, type CloudFrontLayout } from './cloudfront';
import { looksLikeS3, S3LineTokenizer } from './s3-access';
import type { LogSummary } from './summary';

export interface LogSource {
  /** A path or s3:// URL, for messages. */
  readonly name: string;
  /** Stored size in bytes (compressed size for gzip files). */
  readonly size: number;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** Longest line accepted; anything longer is not a log line (and must not grow memory). */
const MAX_LINE_BYTES = 1 << 20;

/** Lists the log files a target names: a file, a folder (recursively, sorted) or s3://bucket/prefix. */
export async function listSources(target: string, s3?: () => S3Client): Promise<LogSource[]> {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(target);
  if (m) {
    if (!s3) throw new UsageError('s3:// sources need an S3 client');
    // Loaded on demand: the SDK takes longer to load than a small log takes to read.
    const { listS3 } = await import('./s3-source');
    return listS3(s3(), m[1]!, m[2]!);
  }
  let st;
  try {
    st = await stat(target);
  } catch {
    throw new UsageError(`no such file or folder: ${target} (give a log file, a folder of logs or s3://bucket/prefix)`);
  }
  if (st.isFile()) return [fileSource(target, st.size)];
  if (!st.isDirectory()) throw new UsageError(`${target} is neither a file nor a folder`);
  const out: LogSource[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(fileSource(p, (await stat(p)).size));
    }
  };
  await walk(target);
  return out;
}

function fileSource(file: string, size: number): LogSource {
  return { name: file, size, open: async () => createReadStream(file, { highWaterMark: 1 << 20 }) };
}

/** Passes chunks through, gunzipping when the stream starts with the gzip magic bytes. */
export async function* decompressed(src: AsyncIterable<Uint8Array>): AsyncIterable<Buffer> {
  const it = src[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = Buffer.from(first.value.buffer, first.value.byteOffset, first.value.byteLength);
  async function* rest(): AsyncIterable<Buffer> {
    yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield Buffer.from(n.value.buffer, n.value.byteOffset, n.value.byteLength);
    }
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    yield* Readable.from(rest()).pipe(createGunzip({ chunkSize: 1 << 20 })) as AsyncIterable<Buffer>;
  } else {
    yield* rest();
  }
}

type Format = 's3' | 'cloudfront';

/** Reads one file's lines into the summary. */
class FileReader {
  private format?: Format;
  private layout: CloudFrontLayout = cloudFrontLayout(CLOUDFRONT_DEFAULT_FIELDS);
  private readonly tok = new S3LineTokenizer();
  /** The file's first and last S3 records, as (text, from, to) without copying them out. */
  private firstS3?: [string, number, number];
  private lastText = '';
  private lastFrom = -1;
  private lastTo = -1;
  /** Set when the file turned out not to be a log: reading stops. */
  rejected?: string;

  constructor(private readonly summary: LogSummary) {}

  text(s: string): void {
    let p = 0;
    for (;;) {
      const e = s.indexOf('\n', p);
      let end = e === -1 ? s.length : e;
      if (end > p && s.charCodeAt(end - 1) === 13) end--;
      if (end > p) {
        // S3 records, the bulk of the work, are tokenized in place; anything else gets its own string.
        if (this.format === 's3') this.s3Line(s, p, end);
        else this.line(s.slice(p, end));
      }
      if (e === -1 || this.rejected) return;
      p = e + 1;
    }
  }

  private s3Line(s: string, from: number, to: number): void {
    const sum = this.summary;
    sum.lines++;
    this.tok.tokenize(s, from, to);
    if (!sum.addS3(this.tok)) {
      sum.malformed++;
      return;
    }
    this.firstS3 ??= [s, from, to];
    this.lastText = s;
    this.lastFrom = from;
    this.lastTo = to;
  }

  private line(line: string): void {
    const sum = this.summary;
    if (this.format === undefined) {
      if (looksLikeCloudFront(line)) this.format = 'cloudfront';
      else if (looksLikeS3(line)) this.format = 's3';
      else {
        this.rejected = `its first line is neither an S3 server access log record nor a CloudFront standard log line: ${JSON.stringify(line.slice(0, 80))}`;
        return;
      }
    }
    if (this.format === 's3') {
      this.s3Line(line, 0, line.length);
      return;
    }
    sum.lines++;
    if (line.charCodeAt(0) === 35 /* # */) {
      if (line.startsWith('#Fields:')) this.layout = cloudFrontLayout(parseFieldsLine(line));
      return;
    }
    if (!sum.addCloudFront(line.split('\t'), this.layout)) sum.malformed++;
  }

  end(): void {
    if (!this.firstS3) return;
    this.tok.tokenize(...this.firstS3);
    this.summary.noteS3Time(this.tok);
    this.tok.tokenize(this.lastText, this.lastFrom, this.lastTo);
    this.summary.noteS3Time(this.tok);
  }
}

/** Streams one source into the summary; returns why it was skipped, if it was not a log. */
export async function readSource(source: LogSource, summary: LogSummary, onBytes?: (n: number) => void): Promise<string | undefined> {
  const reader = new FileReader(summary);
  let carry: Buffer | undefined;
  summary.files++;
  const raw = await source.open();
  const counted = onBytes ? countBytes(raw, onBytes) : raw;
  for await (const chunk of decompressed(counted)) {
    summary.bytes += chunk.length;
    const nl = chunk.lastIndexOf(10);
    if (nl === -1) {
      carry = carry ? Buffer.concat([carry, chunk]) : Buffer.from(chunk);
      if (carry.length > MAX_LINE_BYTES) {
        reader.rejected = `it has a line longer than ${MAX_LINE_BYTES} bytes`;
        break;
      }
      continue;
    }
    let start = 0;
    if (carry) {
      // Finish the line the previous chunk left open, without copying the whole chunk.
      const first = chunk.indexOf(10);
      reader.text(decode(Buffer.concat([carry, chunk.subarray(0, first)])));
      start = first + 1;
    }
    if (!reader.rejected && start < nl) reader.text(decode(chunk.subarray(start, nl)));
    if (reader.rejected) break;
    // Copy the tail so the whole chunk can be released.
    carry = nl + 1 < chunk.length ? Buffer.from(chunk.subarray(nl + 1)) : undefined;
  }
  if (carry && !reader.rejected) reader.text(decode(carry));
  reader.end();
  if (reader.rejected) summary.files--;
  return reader.rejected;
}

/**
 * Bytes to text. Logs are nearly always ASCII (S3 and CloudFront URL-encode keys and URIs): for
 * ASCII, latin1 decoding gives the same string several times faster than UTF-8 decoding.
 */
function decode(b: Buffer): string {
  return isAscii(b) ? b.toString('latin1') : b.toString('utf8');
}

async function* countBytes(src: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncIterable<Uint8Array> {
  for await (const c of src) {
    onBytes(c.byteLength);
    yield c;
  }
}
