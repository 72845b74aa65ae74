/**
 * S3 server access log lines: space-separated fields, some in [brackets] (the time) or "quotes"
 * (request URI, referrer, user agent). 26 documented fields end with `aclRequired`; older lines
 * stop earlier and newer lines carry extra trailing fields: both are accepted.
 *
 * The tokenizer records field boundaries in a reused array and allocates strings only for the
 * fields a summary asks for.
 */

/** Field positions (0-based) of the documented S3 access log format. */
export const S3_FIELDS = {
  bucketOwner: 0,
  bucket: 1,
  time: 2,
  remoteIp: 3,
  requester: 4,
  requestId: 5,
  operation: 6,
  key: 7,
  requestUri: 8,
  httpStatus: 9,
  errorCode: 10,
  bytesSent: 11,
  objectSize: 12,
  totalTime: 13,
  turnAroundTime: 14,
  referrer: 15,
  userAgent: 16,
  versionId: 17,
  hostId: 18,
  signatureVersion: 19,
  cipherSuite: 20,
  authenticationType: 21,
  hostHeader: 22,
  tlsVersion: 23,
  accessPointArn: 24,
  aclRequired: 25,
} as const;

/** Fields a line must have to count as an S3 access log record (through the HTTP status). */
export const S3_MIN_FIELDS = S3_FIELDS.httpStatus + 1;
const MAX_FIELDS = 64;

export class S3LineTokenizer {
  readonly start = new Int32Array(MAX_FIELDS);
  readonly end = new Int32Array(MAX_FIELDS);
  line = '';
  count = 0;

  /**
   * Splits a line into fields; returns the number of fields (0 when it is not well-formed). The
   * line is `text` from `from` to `to` (exclusive), so a reader can tokenize inside a whole chunk
   * without cutting the line out first.
   */
  tokenize(text: string, from = 0, to = text.length): number {
    this.line = text;
    let pos = from;
    let n = 0;
    while (pos < to && n < MAX_FIELDS) {
      const c = text.charCodeAt(pos);
      let s: number;
      let e: number;
      if (c === 34 /* " */) {
        s = pos + 1;
        // A quoted field ends at a quote followed by a space or the end of the line.
        e = text.indexOf('"', s);
        while (e !== -1 && e + 1 < to && text.charCodeAt(e + 1) !== 32) e = text.indexOf('"', e + 1);
        if (e === -1 || e >= to) return (this.count = 0);
        pos = e + 2;
      } else if (c === 91 /* [ */) {
        s = pos + 1;
        e = text.indexOf(']', s);
        if (e === -1 || e >= to) return (this.count = 0);
        pos = e + 2;
      } else {
        s = pos;
        e = text.indexOf(' ', pos);
        if (e === -1 || e > to) e = to;
        pos = e + 1;
      }
      this.start[n] = s;
      this.end[n] = e;
      n++;
    }
    return (this.count = n);
  }

  field(i: number): string {
    return i < this.count ? this.line.slice(this.start[i]!, this.end[i]!) : '-';
  }

  /** The field as a small non-negative integer (HTTP status); -1 when it is not one. */
  int(i: number): number {
    if (i >= this.count) return -1;
    let v = 0;
    const e = this.end[i]!;
    for (let p = this.start[i]!; p < e; p++) {
      const d = this.line.charCodeAt(p) - 48;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return e > this.start[i]! ? v : -1;
  }

  /** Does field `i` equal `s`? (no allocation) */
  is(i: number, s: string): boolean {
    return i < this.count && this.end[i]! - this.start[i]! === s.length && this.line.startsWith(s, this.start[i]!);
  }
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** Parses `06/Feb/2019:00:00:38 +0000` to epoch milliseconds (NaN when malformed). */
export function parseS3Time(t: string): number {
  const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(t);
  if (!m || MONTHS[m[2]!] === undefined) return NaN;
  const utc = Date.UTC(+m[3]!, MONTHS[m[2]!]!, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
  const offset = (+m[8]! * 60 + +m[9]!) * 60_000 * (m[7] === '-' ? -1 : 1);
  return utc - offset;
}

/** Does this line look like an S3 server access log record? */
export function looksLikeS3(line: string): boolean {
  return /^\S+ \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] /.test(line);
}
