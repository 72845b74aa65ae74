/**
 * URI normalisation shared by the auth and origin handlers: decode once, refuse anything that
 * could mean two different things to the edge and to S3, collapse duplicate slashes.
 * The result is the path the origin will be asked for, so both handlers judge the same path.
 */

export type ParsedUri =
  | {
      readonly ok: true;
      /** Decoded path, duplicate slashes collapsed, "." segments dropped; starts with "/". */
      readonly path: string;
      /** The same path percent-encoded canonically, for `request.uri`. */
      readonly uri: string;
    }
  | { readonly ok: false; readonly reason: string };

/** Already canonical: unreserved characters only, no empty, "." or ".." segments (none starts with "."). */
const CANONICAL = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

function fail(reason: string): ParsedUri {
  return { ok: false, reason };
}

/** Encodes one decoded path segment (RFC 3986 unreserved characters stay as they are). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parses a CloudFront `request.uri` (percent-encoded, without the query string). */
export function parseUri(raw: string, maxLength: number): ParsedUri {
  if (typeof raw !== 'string' || raw.length === 0 || raw[0] !== '/') return fail('the URI must start with "/"');
  if (raw.length > maxLength) return fail(`the URI is longer than ${maxLength} characters`);
  if (CANONICAL.test(raw)) return { ok: true, path: raw, uri: raw };
  if (/%(2f|5c)/i.test(raw)) return fail('encoded slashes and backslashes are not accepted');
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return fail('the URI has invalid percent-encoding or is not UTF-8');
  }
  if (decoded.includes('\0')) return fail('the URI contains a null byte');
  if (CONTROL.test(decoded)) return fail('the URI contains control characters');
  if (decoded.includes('\\')) return fail('the URI contains a backslash');

  const parts = decoded.split('/');
  const segments: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') return fail('the URI contains a ".." segment');
    segments.push(part);
  }
  const trailing = segments.length > 0 && (decoded.endsWith('/') || parts[parts.length - 1] === '.');
  const path = `/${segments.join('/')}${trailing ? '/' : ''}`;
  let uri: string;
  try {
    uri = `/${segments.map(encodeSegment).join('/')}${trailing ? '/' : ''}`;
  } catch {
    return fail('the URI is not valid UTF-16 (a lone surrogate)');
  }
  // Re-encoding can lengthen a URI (a raw "€" becomes "%E2%82%AC"): the limit holds for both.
  if (uri.length > maxLength) return fail(`the URI is longer than ${maxLength} characters once percent-encoded`);
  return { ok: true, path, uri };
}
