/**
 * Credential rules shared by the config schema and the htpasswd reader: only bcrypt hashes,
 * with a cost an edge function can afford and an attacker cannot, and one cost for every user
 * (a different cost per user would tell an attacker, by timing, which user names exist).
 *
 * Why 8-11: bcryptjs takes about 18 ms at cost 8, 71 ms at 10, 150 ms at 11, 300 ms at 12 on a
 * full core; a 128 MB Lambda@Edge viewer function gets about 1/14 of a vCPU, so cost 11 is about
 * 2.1 s and cost 12 about 4.2 s, too close to the 5 s viewer-request timeout (docs/edge.md).
 */
import { z } from 'zod';

export const MIN_BCRYPT_COST = 8;
export const MAX_BCRYPT_COST = 11;
export const DEFAULT_BCRYPT_COST = 10;

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
      return `bcrypt cost ${cost} is too slow for an edge function (on a 128 MB Lambda@Edge function one verification would take about ${Math.round((2 ** (cost - 10) * 71 * 14) / 1000)} s, against a 5 s timeout): use ${MIN_BCRYPT_COST} to ${MAX_BCRYPT_COST}; ${HOW_TO_HASH}`;
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

/** The cost of a well-formed bcrypt hash ("$2b$10$…" → 10). */
export function bcryptCost(hash: string): number {
  return Number(hash.slice(4, 6));
}

/**
 * Explains why a user list mixes bcrypt costs, or returns undefined when every hash has the same
 * cost. Unknown users are checked against a dummy hash; with one cost for all, an unknown user, a
 * wrong password and a right one all cost one bcrypt at that cost, so timing reveals no user name.
 */
export function mixedCostProblem(users: readonly { readonly user: string; readonly hash: string }[]): string | undefined {
  const byCost = new Map<number, string[]>();
  for (const { user, hash } of users) {
    const cost = bcryptCost(hash);
    byCost.set(cost, [...(byCost.get(cost) ?? []), user]);
  }
  if (byCost.size <= 1) return undefined;
  const costs = [...byCost.keys()].sort((a, b) => a - b);
  const groups = costs.map((c) => `cost ${c}: ${byCost.get(c)!.map((u) => `"${u}"`).join(', ')}`).join('; ');
  return (
    `every user must have the same bcrypt cost, or response times reveal which user names exist (${groups}); ` +
    `rehash the others at one cost, e.g. \`htpasswd -nbBC ${DEFAULT_BCRYPT_COST} <user> <password>\` or \`npx edgelock hash <user>\``
  );
}
