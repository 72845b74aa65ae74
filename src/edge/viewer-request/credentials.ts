/**
 * Parses an HTTP Basic `Authorization` value (RFC 7617) strictly. Anything unusual is refused
 * before a password is ever checked: a hostile header can only ever produce a 401.
 */

/** Longest Authorization value looked at; longer ones are refused unread. */
export const MAX_AUTHORIZATION_LENGTH = 1024;
/** bcrypt reads only the first 72 bytes of a password: longer ones are refused, not truncated. */
export const MAX_PASSWORD_BYTES = 72;

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

// Scheme is case-insensitive; exactly one space; a strict, padded base64 token (and canonical:
// the unused bits of the last character are zero, checked below, so one credential has one spelling
// of its token).
const BASIC = /^[Bb][Aa][Ss][Ii][Cc] ((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The credentials in one Authorization value, or undefined when it is not well-formed Basic. */
export function parseBasic(value: string): Credentials | undefined {
  if (value.length > MAX_AUTHORIZATION_LENGTH) return undefined;
  const m = BASIC.exec(value);
  if (!m || !m[1]) return undefined;
  const bytes = Buffer.from(m[1], 'base64');
  if (bytes.toString('base64') !== m[1]) return undefined;
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (CONTROL.test(user) || password.length === 0 || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return undefined;
  return { user, password };
}
