/**
 * CloudFront's edge compression (Developer Guide, "Serve compressed files"): with `compress` on
 * and a viewer that accepts br or gzip, a 200 of a compressible type between 1,000 and
 * 10,000,000 bytes that is not already encoded is compressed, br preferred over gzip, and a
 * strong ETag becomes weak. Compressed bodies are kept per cached body, so a hit compresses once.
 * HEAD answers and ranges are left uncompressed.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { getHeader, setHeader, type CfHeaders } from '../edge/headers';

export const MIN_COMPRESS_BYTES = 1_000;
export const MAX_COMPRESS_BYTES = 10_000_000;

/** The content types CloudFront compresses (the Guide's list, abridged to the families it names). */
const COMPRESSIBLE = new Set([
  'application/dash+xml', 'application/eot', 'application/font', 'application/font-sfnt', 'application/javascript', 'application/json',
  'application/opentype', 'application/otf', 'application/pdf', 'application/pkcs7-mime', 'application/protobuf', 'application/rss+xml',
  'application/truetype', 'application/ttf', 'application/vnd.apple.mpegurl', 'application/vnd.mapbox-vector-tile', 'application/vnd.ms-fontobject',
  'application/wasm', 'application/xhtml+xml', 'application/xml', 'application/x-font-opentype', 'application/x-font-truetype', 'application/x-font-ttf',
  'application/x-httpd-cgi', 'application/x-javascript', 'application/x-mpegurl', 'application/x-opentype', 'application/x-otf', 'application/x-perl',
  'application/x-ttf', 'font/eot', 'font/opentype', 'font/otf', 'font/ttf', 'image/svg+xml', 'text/css', 'text/csv', 'text/html',
  'text/javascript', 'text/js', 'text/plain', 'text/richtext', 'text/tab-separated-values', 'text/xml', 'text/x-script', 'text/x-component',
  'text/x-java-source',
]);

export type Encoding = 'br' | 'gzip';

/** The encoding CloudFront picks for this viewer: br, else gzip, else none (q=0 refuses one). */
export function chooseEncoding(acceptEncoding: readonly string[]): Encoding | undefined {
  const accepted = new Set<string>();
  for (const part of acceptEncoding.join(',').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name && (q === undefined || Number(q) > 0)) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

const memo = new WeakMap<Buffer, Partial<Record<Encoding, Buffer>>>();

function encode(body: Buffer, encoding: Encoding): Buffer {
  const done = memo.get(body) ?? {};
  const hit = done[encoding];
  if (hit) return hit;
  const out = encoding === 'br' ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }) : gzipSync(body, { level: 6 });
  memo.set(body, { ...done, [encoding]: out });
  return out;
}

export interface CompressibleResponse {
  readonly status: number;
  readonly headers: CfHeaders;
  readonly body: Buffer;
}

/** The response compressed for a viewer sending `acceptEncoding`, or as it was. */
export function compressFor<T extends CompressibleResponse>(response: T, acceptEncoding: readonly string[], method: string): T {
  if (response.status !== 200 || method === 'HEAD') return response;
  const encoding = chooseEncoding(acceptEncoding);
  if (!encoding || getHeader(response.headers, 'content-encoding') !== undefined) return response;
  const type = (getHeader(response.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!COMPRESSIBLE.has(type)) return response;
  const size = response.body.length;
  if (!(size >= MIN_COMPRESS_BYTES && size <= MAX_COMPRESS_BYTES)) return response;
  const headers: CfHeaders = structuredClone(response.headers);
  setHeader(headers, 'Content-Encoding', encoding);
  delete headers['content-length'];
  const etag = getHeader(headers, 'etag');
  if (etag && !etag.startsWith('W/')) setHeader(headers, 'ETag', `W/${etag}`);
  return { ...response, headers, body: encode(response.body, encoding) };
}
