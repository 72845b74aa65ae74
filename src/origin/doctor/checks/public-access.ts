/**
 * Check 3, Block Public Access (bucket and account) against anything that relies on public access:
 * anonymous origin requests, public object ACLs, a public bucket policy.
 */
import type { PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import { grantsRead, isPublicGroup } from '../../s3/acl';
import { NOT_FOUND } from '../../s3/errors';
import type { DoctorContext } from '../context';
import type { CheckResult, Evidence } from '../types';
import { deniedFix, ev, ok, problem, refusedNote, unknown, type CheckMeta } from './result';

const META: CheckMeta<'block-public-access'> = { id: 'block-public-access', order: 3, title: 'Block Public Access against public reliance' };

const PAB_KEYS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
type Pab = Partial<Record<(typeof PAB_KEYS)[number], boolean>>;

function describePab(p: PublicAccessBlockConfiguration | null): string {
  if (!p) return `${NOT_FOUND.publicAccessBlock}: none set`;
  return `BlockPublicAcls=${p.BlockPublicAcls}, IgnorePublicAcls=${p.IgnorePublicAcls}, BlockPublicPolicy=${p.BlockPublicPolicy}, RestrictPublicBuckets=${p.RestrictPublicBuckets}`;
}

export async function checkPublicAccess(ctx: DoctorContext): Promise<CheckResult> {
  const [bucketPab, accountPab] = await Promise.all([ctx.aws.bucketPublicAccessBlock(), ctx.aws.accountPublicAccessBlock()]);
  const evidence: Evidence[] = [ev(bucketPab, describePab), ev(accountPab, describePab)];
  const eff: Pab = {};
  for (const f of [bucketPab, accountPab]) {
    if (!f.ok || !f.value) continue;
    for (const k of PAB_KEYS) eff[k] = eff[k] || !!f.value[k];
  }
  const access = await ctx.access();
  const owner = await ctx.ownership();
  const publicAcl = owner.grants?.some((g) => isPublicGroup(g.Grantee?.URI) && grantsRead(g.Permission));
  const policy = await ctx.aws.bucketPolicy();
  const publicPolicy = policy.ok && policy.value?.Statement.some((s) => s.Effect === 'Allow' && (s.Principal === '*' || (s.Principal as { AWS?: unknown })?.AWS === '*') && !s.Condition);
  const ignored: string[] = [];
  if (eff.IgnorePublicAcls && publicAcl) ignored.push('the public-read grant in the object\'s ACL (IgnorePublicAcls)');
  if (eff.RestrictPublicBuckets && publicPolicy) ignored.push('the public bucket policy (RestrictPublicBuckets)');
  const anyOn = Object.values(eff).some(Boolean);
  const keepOn = 'keep Block Public Access on; serve through the distribution instead: attach an origin access control (signing "always") and grant it in the bucket policy';

  if (access.kind === 'none' && anyOn) {
    // Behind a website endpoint the endpoint itself is the cause (check 1). Without a public grant
    // in sight, the missing origin access is (check 1); with one, Block Public Access is.
    const website = (await ctx.origin())?.endpoint === 'website';
    if (ignored.length) {
      return problem(
        META,
        website ? 'bpa-ignores-public-grant-website' : 'bpa-ignores-public-grant',
        `the site relies on public access (CloudFront sends anonymous requests${website ? ' to a website endpoint' : ''}) and Block Public Access now ignores ${ignored.join(' and ')}`,
        evidence,
        keepOn,
      );
    }
    return problem(META, 'bpa-blocks-anonymous', 'CloudFront sends anonymous requests, and Block Public Access would ignore any public grant that could answer them', evidence, keepOn);
  }
  if (owner.foreign && eff.IgnorePublicAcls) {
    return problem(
      META,
      'bpa-blocks-acl-grant',
      'IgnorePublicAcls is on: a foreign-owned object that was readable only through a public-read ACL became unreadable when Block Public Access was turned on (the trigger, not the cause)',
      evidence,
      'keep Block Public Access on and fix the object\'s ownership (check 4)',
    );
  }
  // A level that could not be read may hold settings the other does not: only when the readable
  // level already turns all four on is the effective configuration known.
  // Any answer but the settings (a refusal, an error) leaves that level unknown.
  const bucketDenied = !bucketPab.ok;
  const accountDenied = !accountPab.ok;
  if (bucketDenied || accountDenied) {
    const readable = bucketDenied ? accountPab : bucketPab;
    const allOn = !(bucketDenied && accountDenied) && readable.ok && !!readable.value && PAB_KEYS.every((k) => readable.value![k]);
    if (!allOn) {
      const levels = bucketDenied && accountDenied ? 'at bucket or account level' : bucketDenied ? 'at bucket level' : 'at account level';
      const perms = [bucketDenied ? 's3:GetBucketPublicAccessBlock on the bucket' : '', accountDenied ? 's3:GetAccountPublicAccessBlock' : ''].filter(Boolean).join(' and ');
      const refusal = bucketDenied ? refusedNote(bucketPab) : refusedNote(accountPab);
      return unknown(META, `Block Public Access could not be read ${levels}${refusal}, so whether it is on is unknown`, evidence, deniedFix(perms, bucketDenied ? bucketPab : accountPab));
    }
  }
  if (!anyOn) {
    return ok(META, 'Block Public Access is off: not a cause of 403s, but the bucket can be made public; turn all four settings on', evidence);
  }
  return ok(
    META,
    `Block Public Access is on${ignored.length ? ` and ignores ${ignored.join(' and ')}` : ''}; the distribution signs its requests, so it does not need public access`,
    evidence,
  );
}
