/**
 * Verification after the upload: every site object is owned by the bucket owner (or, in a legacy
 * ObjectWriter bucket, carries the OAI read grant), and a few changed paths answer 200 with the
 * new content through the distribution, past every cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { runPool } from '../pool';
import { namesPublicGroup } from '../s3/acl';
import { errorName } from '../s3/errors';
import type { AclDecision } from './ownership';
import { readObjectAcl, type ObjectAcl, type S3Io } from './s3-io';

export interface OwnershipProblem {
  readonly key: string;
  readonly problem: string;
}

export interface OwnershipCheck {
  readonly checked: number;
  readonly problems: readonly OwnershipProblem[];
  /** Why the check did not run, when it did not. */
  readonly skipped?: string;
}

/** Judges one object's ACL (pure). Returns the problem, or undefined when the object is fine. */
export function judgeObjectAcl(acl: ObjectAcl, rule: AclDecision['verify'], bucketOwnerId: string | undefined, oaiIds: readonly string[]): string | undefined {
  const publicGrant = acl.grants.find((g) => g.granteeUri && namesPublicGroup(g.granteeUri));
  if (publicGrant) return `carries a public grant (${publicGrant.permission} to ${publicGrant.granteeUri?.split('/').pop()}), left by an earlier tool; Block Public Access makes it useless and it must go`;
  const ownedByBucketOwner = bucketOwnerId !== undefined && acl.ownerId === bucketOwnerId;
  if (ownedByBucketOwner) return undefined;
  if (rule === 'owner-or-oai-grant') {
    const missing = oaiIds.filter((id) => !acl.grants.some((g) => g.granteeId === id && (g.permission === 'READ' || g.permission === 'FULL_CONTROL')));
    if (missing.length === 0) return undefined;
    return `is owned by ${acl.ownerId ?? 'an unknown account'}, not the bucket owner, and has no read grant for OAI ${missing[0]}: the distribution cannot read it`;
  }
  if (bucketOwnerId === undefined) return 'cannot be checked: the bucket owner is unknown (allow s3:GetBucketAcl to the deploy role)';
  return `is owned by ${acl.ownerId ?? 'an unknown account'}, not the bucket owner ${bucketOwnerId}: the bucket policy does not apply to it and the distribution cannot read it`;
}

export async function verifyOwnership(
  io: S3Io,
  keys: readonly string[],
  decision: AclDecision,
  context: { bucketOwnerId: string | undefined; oaiIds: readonly string[]; concurrency: number; onChecked?: () => void },
): Promise<OwnershipCheck> {
  if (decision.verify === 'unsupported') return { checked: 0, problems: [], skipped: 'the endpoint does not implement object ACLs' };
  if (decision.verify === 'none-needed') return { checked: 0, problems: [], skipped: 'BucketOwnerEnforced: S3 guarantees the bucket owner owns every object' };
  if (decision.verify === 'nothing-written') return { checked: 0, problems: [], skipped: 'nothing was written (edgelock doctor --sweep checks a whole bucket)' };
  const problems: OwnershipProblem[] = [];
  await runPool(keys, context.concurrency, async (key) => {
    let problem: string | undefined;
    try {
      problem = judgeObjectAcl(await readObjectAcl(io, key), decision.verify, context.bucketOwnerId, context.oaiIds);
    } catch (err) {
      const name = errorName(err) ?? 'error';
      problem = name === 'AccessDenied'
        ? 'its ACL cannot be read (AccessDenied): the deploy account does not own it, so it was left by another account; the bucket owner cannot rely on it'
        : `its ACL could not be read: ${name}: ${(err as Error).message}`;
    }
    if (problem) problems.push({ key, problem });
    context.onChecked?.();
  });
  problems.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { checked: keys.length, problems };
}

export interface ProbeResult {
  readonly path: string;
  readonly url: string;
  readonly status: number;
  readonly ok: boolean;
  readonly problem?: string;
}

export interface ProbeTarget {
  readonly path: string;
  /** Hex MD5 of the content the probe must get back. */
  readonly md5: string;
}

export interface ProbeOptions {
  /** e.g. https://d111111abcdef8.cloudfront.net */
  readonly baseUrl: string;
  /** "user:password" for environments with Basic auth. */
  readonly credentials?: string;
  /** Attempts per path while the edge still serves the old content. @default 5 */
  readonly attempts?: number;
  readonly delayMs?: number;
  readonly fetchImpl?: typeof fetch;
}

/** Fetches each path with a cache-busting query and no-cache headers; expects 200 and the new bytes. */
export async function probePaths(targets: readonly ProbeTarget[], options: ProbeOptions): Promise<ProbeResult[]> {
  const doFetch = options.fetchImpl ?? fetch;
  const headers: Record<string, string> = { 'cache-control': 'no-cache', pragma: 'no-cache', 'user-agent': 'edgelock-deploy-probe' };
  if (options.credentials) headers.authorization = `Basic ${Buffer.from(options.credentials).toString('base64')}`;
  const attempts = options.attempts ?? 5;
  const results: ProbeResult[] = [];
  for (const t of targets) {
    let last: ProbeResult | undefined;
    for (let i = 0; i < attempts; i++) {
      const url = `${options.baseUrl.replace(/\/+$/, '')}${t.path}?edgelock-probe=${randomBytes(8).toString('hex')}`;
      try {
        const res = await doFetch(url, { headers, redirect: 'manual' });
        const body = Buffer.from(await res.arrayBuffer());
        const md5 = createHash('md5').update(body).digest('hex');
        if (res.status !== 200) last = { path: t.path, url, status: res.status, ok: false, problem: `answered ${res.status}${res.status === 401 ? ' (wrong or missing probe credentials)' : res.status === 403 ? ' (the distribution cannot read the object: run edgelock doctor)' : ''}` };
        else if (md5 !== t.md5) last = { path: t.path, url, status: 200, ok: false, problem: 'answered 200 with old or different content' };
        else last = { path: t.path, url, status: 200, ok: true };
      } catch (err) {
        last = { path: t.path, url, status: 0, ok: false, problem: `request failed: ${(err as Error).message}` };
      }
      if (last.ok || (last.status !== 200 && last.status !== 0 && last.status < 500)) break;
      if (i + 1 < attempts) await new Promise((r) => setTimeout(r, options.delayMs ?? 5000));
    }
    results.push(last!);
  }
  return results;
}
