/**
 * Range requests served from a whole cached object (RFC 9110 §14), as CloudFront serves them:
 * the object is fetched and cached whole, and each viewer's Range is cut from it, on a miss and
 * on a hit alike. A partial answer is never what the cache keeps.
 */
import { getHeader, setHeader, type CfHeaders } from '../edge/headers';

export type ByteRange = { readonly start: number; readonly end: number };

export type RangeOutcome =
  /** No Range, a Range the server may ignore (several ranges, another unit, bad syntax), or a stale If-Range. */
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly range: ByteRange }
  | { readonly kind: 'unsatisfiable' };

/**
 * What to answer for `range` (the viewer's Range header) against an object of `size` bytes.
 * One range only: a header with several ranges is ignored (a 200 with the whole object, which
 * RFC 9110 §14.2 allows); so are other units and syntax errors.
 */
export function evaluateRange(range: string | undefined, size: number): RangeOutcome {
  if (range === undefined) return { kind: 'whole' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(range);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'whole' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? Infinity : Number(m[2]);
  if (end < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', range: { start, end: Math.min(end, size - 1) } };
}

/**
 * If-Range (RFC 9110 §13.1.5): the range applies only when the validator names the object held,
 * by strong ETag or exact Last-Modified date; otherwise the whole object is sent.
 */
export function ifRangeHolds(ifRange: string | undefined, headers: CfHeaders): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"')) return getHeader(headers, 'etag') === value;
  if (value.startsWith('W/')) return false;
  const lastModified = getHeader(headers, 'last-modified');
  return lastModified !== undefined && Date.parse(lastModified) === Date.parse(value) && !Number.isNaN(Date.parse(value));
}

export interface RangedResponse {
  readonly status: number;
  readonly statusDescription: string;
  readonly headers: CfHeaders;
  readonly body: Buffer;
}

/**
 * Cuts the viewer's range out of a whole 200 response: 206 with Content-Range, or 416 with
 * `Content-Range: bytes *\/size` and no body. Anything but a 200 is returned as it is.
 */
export function applyRange<T extends RangedResponse>(response: T, range: string | undefined, ifRange: string | undefined): T {
  if (response.status !== 200 || range === undefined || !ifRangeHolds(ifRange, response.headers)) return response;
  const size = response.body.length;
  const outcome = evaluateRange(range, size);
  if (outcome.kind === 'whole') return response;
  const headers: CfHeaders = structuredClone(response.headers);
  delete headers['content-length'];
  if (outcome.kind === 'unsatisfiable') {
    for (const name of ['content-type', 'etag', 'last-modified', 'cache-control', 'expires']) delete headers[name];
    setHeader(headers, 'Content-Range', `bytes */${size}`);
    setHeader(headers, 'Content-Type', 'application/xml');
    const body = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message><RangeRequested>${range.replace(/[<>&]/g, '')}</RangeRequested><ActualObjectSize>${size}</ActualObjectSize></Error>`,
    );
    return { ...response, status: 416, statusDescription: 'Requested Range Not Satisfiable', headers, body };
  }
  const { start, end } = outcome.range;
  setHeader(headers, 'Content-Range', `bytes ${start}-${end}/${size}`);
  return { ...response, status: 206, statusDescription: 'Partial Content', headers, body: response.body.subarray(start, end + 1) };
}
