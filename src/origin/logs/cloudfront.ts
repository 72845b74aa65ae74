/**
 * CloudFront standard (legacy) access logs: W3C extended format, tab-separated, with the field
 * names on a `#Fields:` line. Field positions are read from that line, never assumed, except for
 * a file without one, where the documented order is used.
 */

/** The documented field order, used only when a file has no `#Fields:` line. */
export const CLOUDFRONT_DEFAULT_FIELDS = [
  'date', 'time', 'x-edge-location', 'sc-bytes', 'c-ip', 'cs-method', 'cs(Host)', 'cs-uri-stem', 'sc-status', 'cs(Referer)',
  'cs(User-Agent)', 'cs-uri-query', 'cs(Cookie)', 'x-edge-result-type', 'x-edge-request-id', 'x-host-header', 'cs-protocol',
  'cs-bytes', 'time-taken', 'x-forwarded-for', 'ssl-protocol', 'ssl-cipher', 'x-edge-response-result-type', 'cs-protocol-version',
  'fle-status', 'fle-encrypted-fields', 'c-port', 'time-to-first-byte', 'x-edge-detailed-result-type', 'sc-content-type',
  'sc-content-len', 'sc-range-start', 'sc-range-end',
] as const;

/** Positions of the fields the summary reads; -1 when the file does not log that field. */
export interface CloudFrontLayout {
  readonly date: number;
  readonly time: number;
  readonly status: number;
  readonly uri: number;
  readonly clientIp: number;
  readonly userAgent: number;
  readonly resultType: number;
  readonly detailedResultType: number;
  readonly responseResultType: number;
  readonly fieldCount: number;
}

export function cloudFrontLayout(names: readonly string[]): CloudFrontLayout {
  const at = (n: string) => names.indexOf(n);
  return {
    date: at('date'),
    time: at('time'),
    status: at('sc-status'),
    uri: at('cs-uri-stem'),
    clientIp: at('c-ip'),
    userAgent: at('cs(User-Agent)'),
    resultType: at('x-edge-result-type'),
    detailedResultType: at('x-edge-detailed-result-type'),
    responseResultType: at('x-edge-response-result-type'),
    fieldCount: names.length,
  };
}

/** Field names from a `#Fields:` line. */
export function parseFieldsLine(line: string): string[] {
  return line.slice(line.indexOf(':') + 1).trim().split(/\s+/);
}

/** Does this line look like a CloudFront standard log header or record? */
export function looksLikeCloudFront(line: string): boolean {
  return line.startsWith('#Version:') || line.startsWith('#Fields:') || /^\d{4}-\d{2}-\d{2}\t\d{2}:\d{2}:\d{2}\t/.test(line);
}

/** CloudFront logs URL-encode some values (user agents: `Mozilla/5.0%20(...)`); decode for display. */
export function decodeValue(v: string): string {
  if (!v.includes('%')) return v;
  try {
    return decodeURIComponent(v.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    return v;
  }
}
