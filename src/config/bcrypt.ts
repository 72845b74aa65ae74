/**
 * Credential rules shared by the config schema and the htpasswd reader: only bcrypt hashes,
 * with a cost an edge function can afford and an attacker cannot.
 */
import { z } from 'zod';

export const MIN_BCRYPT_COST = 8;
export const MAX_BCRYPT_COST = 14;

const HOW_TO_HASH =
  'make one with `npx edgelock hash <user>` or `htpasswd -nbBC 10 <user> <password>`';

const BCRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

/**
 * Explains why `hash` is not an acceptable bcrypt hash, or returns undefined when it is.
 */
export function bcryptProblem(hash: string): string | undefined {
  const m = BCRYPT.exec(hash);
  if (m) {
    const cost = Number(m[1]);
    if (cost < MIN_BCRYPT_COST) {
      return `bcrypt cost ${cost} is too weak: use a cost from ${MIN_BCRYPT_COST} to ${MAX_BCRYPT_COST} (10 is a good default); ${HOW_TO_HASH}`;
    }
    if (cost > MAX_BCRYPT_COST) {
      return `bcrypt cost ${cost} is too slow for an edge function (each verification would take seconds): use ${MIN_BCRYPT_COST} to ${MAX_BCRYPT_COST}; ${HOW_TO_HASH}`;
    }
    return undefined;
  }
  if (hash.startsWith('$apr1$')) return `"$apr1$" (Apache MD5) hashes are not accepted, only bcrypt; ${HOW_TO_HASH}`;
  if (hash.startsWith('{SHA}')) return `"{SHA}" hashes are not accepted, only bcrypt; ${HOW_TO_HASH}`;
  if (/^\$(1|5|6|md5|sha1|y|gy|7)\$/.test(hash)) return `crypt(3) hashes ("${hash.slice(0, hash.indexOf('$', 1) + 1)}") are not accepted, only bcrypt; ${HOW_TO_HASH}`;
  if (/^\$2[aby]?\$/.test(hash)) return `malformed bcrypt hash (expected "$2b$10$" followed by 53 characters of [./A-Za-z0-9]); ${HOW_TO_HASH}`;
  if (/^[./A-Za-z0-9]{13}$/.test(hash)) return `looks like a DES crypt(3) hash, which is not accepted; only bcrypt ("$2b$…"); ${HOW_TO_HASH}`;
  return `this is not a bcrypt hash (a plaintext password?): store only bcrypt hashes ("$2b$…"); ${HOW_TO_HASH}`;
}

export const bcryptHashSchema = z.string().superRefine((hash, ctx) => {
  const problem = bcryptProblem(hash);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A Basic-auth user name: RFC 7617 forbids ':' in it; we also refuse control characters. */
export function userNameProblem(user: string): string | undefined {
  if (user.length === 0) return 'user names may not be empty';
  if (user.length > 128) return 'user names are at most 128 characters';
  if (user.includes(':')) return `user name "${user}" contains ":", which Basic auth cannot carry`;
  if (/[\x00-\x1f\x7f]/.test(user)) return 'user names may not contain control characters';
  if (user.trim() !== user) return `user name "${user}" has leading or trailing white space`;
  return undefined;
}

export const userNameSchema = z.string().superRefine((user, ctx) => {
  const problem = userNameProblem(user);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
