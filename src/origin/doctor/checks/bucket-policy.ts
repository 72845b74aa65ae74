/**
 * Check 2, the bucket policy: a statement grants the distribution's principal s3:GetObject on the
 * key, and no Deny matches (conditions the doctor cannot evaluate are reported as unknown).
 */
import { describeAccess, type DoctorContext, type OriginAccess } from '../context';
import { bucketArn, describeStatement, evaluatePolicy, siteReadStatement, type PolicyDocument, type SiteReader } from '../../policy';
import { NOT_FOUND } from '../../s3/errors';
import { oaiPrincipalArn } from '../../s3/oai';
import type { CheckResult, Evidence } from '../types';
import { deniedFix, ev, ok, onlyOnFacts, problem, refusedNote, unknown, type CheckMeta } from './result';

const META: CheckMeta<'bucket-policy'> = { id: 'bucket-policy', order: 2, title: 'Bucket policy grants the distribution' };

/** The statement that would grant the distribution (the stacks' own), as a one-line fix. */
export function grantStatement(access: OriginAccess, bucket: string, distributionArn: string): string {
  const reader: SiteReader = access.kind === 'oai' ? { kind: 'oai', oaiArn: oaiPrincipalArn(access.id) } : { kind: 'oac', distributionArn };
  return JSON.stringify(siteReadStatement(bucketArn(bucket), reader));
}

/** Who the policy's GetObject grants name, to show next to who asks. */
function grantees(doc: PolicyDocument): string[] {
  const out: string[] = [];
  for (const st of doc.Statement) {
    if (st.Effect !== 'Allow') continue;
    const actions = ([] as string[]).concat(st.Action ?? []);
    if (!actions.some((a) => /^(s3:(Get\*|GetObject|\*)|\*)$/i.test(a))) continue;
    const src = (st.Condition?.StringEquals?.['AWS:SourceArn'] ?? st.Condition?.ArnLike?.['AWS:SourceArn'] ?? st.Condition?.StringLike?.['AWS:SourceArn']) as unknown;
    out.push(`${JSON.stringify(st.Principal)}${src ? ` when AWS:SourceArn=${JSON.stringify(src)}` : ''}`);
  }
  return out;
}

/** What gives anonymous origin requests a principal: an OAC that signs. */
function anonymousFix(access: OriginAccess): string {
  if (access.kind === 'none' && access.unsignedBy) return `set origin access control ${access.unsignedBy}'s SigningBehavior to "always", so CloudFront signs its requests and the bucket policy's grant to the distribution applies`;
  return 'attach an origin access control and grant it in the bucket policy';
}

export async function checkBucketPolicy(ctx: DoctorContext): Promise<CheckResult> {
  return onlyOnFacts(ctx, await walk(ctx));
}

async function walk(ctx: DoctorContext): Promise<CheckResult> {
  const { key } = await ctx.key();
  const access = await ctx.access();
  const policy = await ctx.aws.bucketPolicy();
  const evidence: Evidence[] = [ev(policy, (p) => (p ? `${p.Statement.length} statement(s)` : `${NOT_FOUND.bucketPolicy}: the bucket has no policy`))];
  const fixGrant = `add to the bucket policy: ${grantStatement(access, ctx.bucket, ctx.distributionArn)}`;
  if (!policy.ok) {
    return policy.denied
      ? unknown(META, `the bucket policy could not be read${refusedNote(policy)}`, evidence, deniedFix('s3:GetBucketPolicy', policy))
      : unknown(META, `the bucket policy could not be read (${policy.code})`, evidence, 'check that the bucket exists in this account and region');
  }
  if (access.kind === 'none') {
    // Check 1 reports the missing origin access; here only a public grant could help.
    if (!policy.value) return problem(META, 'policy-absent-anonymous', `the bucket has no policy, and CloudFront sends ${describeAccess(access)}`, evidence, anonymousFix(access));
  }
  if (!policy.value) {
    return problem(META, 'policy-absent', `the bucket has no policy, so nothing grants ${describeAccess(access)} s3:GetObject`, evidence, fixGrant);
  }
  const req = await ctx.request('s3:GetObject', ctx.objectArn(key));
  const result = evaluatePolicy(policy.value, req);
  for (const s of result.statements) {
    if (s.match !== 'no' || s.effect === 'Deny') evidence.push({ call: `evaluate ${describeStatement(s)} for s3:GetObject on ${ctx.objectArn(key)}`, seen: s.match === 'yes' ? 'matches' : s.match === 'no' ? 'does not match' : `unknown: ${s.reason}` });
  }
  const deny = result.statements.filter((s) => s.effect === 'Deny' && s.match === 'yes');
  if (deny.length > 0) {
    return problem(
      META,
      'policy-denies-distribution',
      `${deny.map(describeStatement).join(', ')} of the bucket policy denies ${describeAccess(access)} s3:GetObject on ${key}`,
      evidence,
      `narrow the Deny so it exempts the distribution (e.g. a condition on AWS:SourceArn ${ctx.distributionArn}): ${JSON.stringify(deny[0]!.statement)}`,
    );
  }
  if (result.outcome === 'allow') {
    const allow = result.statements.find((s) => s.effect === 'Allow' && s.match === 'yes')!;
    return ok(META, `${describeStatement(allow)} grants ${describeAccess(access)} s3:GetObject on ${key}`, evidence);
  }
  if (result.outcome === 'unknown') {
    const u = result.statements.filter((s) => s.match === 'unknown');
    return unknown(META, `${u.map(describeStatement).join(', ')} may apply, but depend on conditions edgelock cannot evaluate (${u[0]!.reason})`, evidence, 'review those statements by hand; a Deny with such a condition is a likely cause');
  }
  const named = grantees(policy.value);
  evidence.push({ call: 's3:GetObject grants in the policy name', seen: named.length ? named.join('; ') : '(no statement grants s3:GetObject)' });
  const who = access.kind === 'oac' ? `service cloudfront.amazonaws.com with AWS:SourceArn ${ctx.distributionArn}` : access.kind === 'oai' ? `"${oaiPrincipalArn(access.id)}"` : 'anonymous requests';
  return problem(
    META,
    access.kind === 'none' ? 'policy-missing-anonymous-allow' : access.kind === 'oai' ? 'policy-missing-oai-allow' : 'policy-missing-oac-allow',
    `no statement grants ${describeAccess(access)} s3:GetObject on ${key}: the distribution asks as ${who}${named.length ? `, but the policy grants ${named.join('; ')}` : ''}`,
    evidence,
    access.kind === 'none' ? anonymousFix(access) : fixGrant,
  );
}
