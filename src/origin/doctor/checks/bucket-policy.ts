/**
 * Check 2, the bucket policy: a statement grants the distribution's principal s3:GetObject on the
 * key, and no Deny matches (conditions the doctor cannot evaluate are reported as unknown). Through
 * an access point, its policy must allow too, and the bucket policy may allow by delegating to the
 * account's access points; through an S3 Object Lambda access point, its policy and the resource
 * policies of the functions it invokes must admit the distribution as well.
 */
import { describeAccess, type DoctorContext, type OriginAccess } from '../context';
import { accessPointObjectArn, type AccessPointFacts, type ObjectLambdaFacts } from '../facts';
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

/** The statement that delegates access control to the account's access points (AWS's documented form). */
export function delegationStatement(bucket: string, accountId: string): object {
  return { Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: [bucketArn(bucket), `${bucketArn(bucket)}/*`], Condition: { StringEquals: { 's3:DataAccessPointAccount': accountId } } };
}

/**
 * Through an access point, its policy is evaluated first: it must grant the distribution
 * s3:GetObject on the key's access point ARN, and no Deny may match. Answers a result when it
 * does not (or cannot be told), undefined when it grants.
 */
async function throughAccessPoint(ctx: DoctorContext, ap: AccessPointFacts, key: string, access: OriginAccess, evidence: Evidence[]): Promise<CheckResult | undefined> {
  const policy = await ctx.aws.accessPointPolicy(ap.name);
  evidence.push(ev(policy, (p) => (p ? `${p.Statement.length} statement(s)` : `${NOT_FOUND.accessPointPolicy}: the access point has no policy`)));
  const resource = accessPointObjectArn(ap, key);
  const grant = JSON.stringify({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: `${ap.arn}/object/*`, Condition: { StringEquals: { 'AWS:SourceArn': ctx.distributionArn } } });
  if (!policy.ok) {
    return policy.denied
      ? unknown(META, `the policy of access point ${ap.name} could not be read${refusedNote(policy)}`, evidence, deniedFix('s3:GetAccessPointPolicy', policy))
      : unknown(META, `the policy of access point ${ap.name} could not be read (${policy.code})`, evidence, 'run the doctor again');
  }
  if (!policy.value) {
    return problem(META, 'access-point-policy-absent', `the origin's access point ${ap.name} has no policy, so nothing grants ${describeAccess(access)} s3:GetObject through it (the access point policy and the bucket policy must both allow)`, evidence, `add to the policy of access point ${ap.name}: ${grant}`);
  }
  const result = evaluatePolicy(policy.value, await ctx.request('s3:GetObject', resource));
  for (const s of result.statements) {
    if (s.match !== 'no' || s.effect === 'Deny') evidence.push({ call: `evaluate access point policy ${describeStatement(s)} for s3:GetObject on ${resource}`, seen: s.match === 'yes' ? 'matches' : s.match === 'no' ? 'does not match' : `unknown: ${s.reason}` });
  }
  const deny = result.statements.filter((s) => s.effect === 'Deny' && s.match === 'yes');
  if (deny.length) {
    return problem(META, 'access-point-policy-denies', `${deny.map(describeStatement).join(', ')} of access point ${ap.name}'s policy denies ${describeAccess(access)} s3:GetObject on ${key}`, evidence, `narrow the Deny so it exempts the distribution (e.g. a condition on AWS:SourceArn ${ctx.distributionArn}): ${JSON.stringify(deny[0]!.statement)}`);
  }
  if (result.outcome === 'unknown') {
    const u = result.statements.filter((s) => s.match === 'unknown');
    return unknown(META, `${u.map(describeStatement).join(', ')} of access point ${ap.name}'s policy may apply, but depend on conditions edgelock cannot evaluate (${u[0]!.reason})`, evidence, 'review those statements by hand');
  }
  if (result.outcome !== 'allow') {
    return problem(META, 'access-point-policy-missing-allow', `no statement of access point ${ap.name}'s policy grants ${describeAccess(access)} s3:GetObject on ${resource}`, evidence, `add to the policy of access point ${ap.name}: ${grant}`);
  }
  return undefined;
}

/** Evidence lines for a policy's statements that matched, could not be told, or are Denies. */
function statementEvidence(label: string, result: ReturnType<typeof evaluatePolicy>, what: string): Evidence[] {
  return result.statements
    .filter((s) => s.match !== 'no' || s.effect === 'Deny')
    .map((s) => ({ call: `evaluate ${label} ${describeStatement(s)} for ${what}`, seen: s.match === 'yes' ? 'matches' : s.match === 'no' ? 'does not match' : `unknown: ${s.reason}` }));
}

/**
 * Through an S3 Object Lambda access point: its policy must grant the distribution
 * s3-object-lambda:GetObject (on the access point, or the key under it), and each function it
 * invokes must let the distribution's principal lambda:InvokeFunction in its resource policy.
 * Answers a result when that is not so (or cannot be told), undefined when it is.
 */
async function throughObjectLambda(ctx: DoctorContext, ol: ObjectLambdaFacts, key: string, access: OriginAccess, evidence: Evidence[]): Promise<CheckResult | undefined> {
  const policy = await ctx.aws.objectLambdaPolicy(ol.name);
  evidence.push(ev(policy, (p) => (p ? `${p.Statement.length} statement(s)` : `${NOT_FOUND.accessPointPolicy}: the Object Lambda access point has no policy`)));
  const grant = JSON.stringify({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3-object-lambda:Get*', Resource: ol.arn, Condition: { StringEquals: { 'AWS:SourceArn': ctx.distributionArn } } });
  if (!policy.ok) {
    return unknown(META, `the policy of Object Lambda access point ${ol.name} could not be read${policy.denied ? refusedNote(policy) : ` (${policy.code})`}`, evidence, deniedFix('s3:GetAccessPointPolicyForObjectLambda', policy));
  }
  if (!policy.value) {
    return problem(META, 'object-lambda-policy-absent', `the origin's Object Lambda access point ${ol.name} has no policy, so nothing grants ${describeAccess(access)} s3-object-lambda:GetObject on it`, evidence, `add to the policy of Object Lambda access point ${ol.name}: ${grant}`);
  }
  // Statements name the access point itself (AWS's example) or the objects under it: either grants.
  const results = await Promise.all([ol.arn, `${ol.arn}/object/${key}`].map(async (r) => evaluatePolicy(policy.value!, await ctx.request('s3-object-lambda:GetObject', r))));
  evidence.push(...statementEvidence('Object Lambda access point policy', results[0]!, `s3-object-lambda:GetObject on ${ol.arn}`));
  const deny = results.flatMap((r) => r.statements.filter((s) => s.effect === 'Deny' && s.match === 'yes'));
  if (deny.length) {
    return problem(META, 'object-lambda-policy-denies', `${describeStatement(deny[0]!)} of Object Lambda access point ${ol.name}'s policy denies ${describeAccess(access)} s3-object-lambda:GetObject`, evidence, `narrow the Deny so it exempts the distribution (e.g. a condition on AWS:SourceArn ${ctx.distributionArn}): ${JSON.stringify(deny[0]!.statement)}`);
  }
  if (!results.some((r) => r.outcome === 'allow')) {
    if (results.some((r) => r.outcome === 'unknown')) return unknown(META, `the policy of Object Lambda access point ${ol.name} has statements edgelock cannot evaluate for the distribution`, evidence, `review them; the grant needed is ${grant}`);
    return problem(META, 'object-lambda-policy-missing-allow', `no statement of Object Lambda access point ${ol.name}'s policy grants ${describeAccess(access)} s3-object-lambda:GetObject`, evidence, `add to the policy of Object Lambda access point ${ol.name}: ${grant}`);
  }
  for (const fn of ol.functionArns) {
    const fp = await ctx.aws.lambdaPolicy(fn);
    evidence.push(ev(fp, (p) => (p ? `${p.Statement.length} statement(s)` : 'ResourceNotFoundException: no resource-based policy (or no such function)')));
    const invoke = `aws lambda add-permission --function-name ${fn} --statement-id cloudfront-${ctx.distributionId} --action lambda:InvokeFunction --principal cloudfront.amazonaws.com --source-arn ${ctx.distributionArn}`;
    if (!fp.ok) return unknown(META, `the resource policy of ${fn}, which Object Lambda access point ${ol.name} invokes, could not be read${fp.denied ? refusedNote(fp) : ` (${fp.code})`}`, evidence, deniedFix('lambda:GetPolicy', fp));
    const r = fp.value ? evaluatePolicy(fp.value, await ctx.request('lambda:InvokeFunction', fn)) : undefined;
    if (r) evidence.push(...statementEvidence('function policy', r, `lambda:InvokeFunction on ${fn}`));
    if (r?.outcome === 'unknown') return unknown(META, `the resource policy of ${fn} has statements edgelock cannot evaluate for the distribution`, evidence, `review them; the permission needed: ${invoke}`);
    if (r?.outcome !== 'allow') {
      return problem(META, 'object-lambda-function-not-invokable', `Object Lambda access point ${ol.name} invokes ${fn}, whose resource policy ${r?.outcome === 'deny' ? 'denies' : fp.value ? 'does not grant' : '(there is none) does not grant'} ${describeAccess(access)} lambda:InvokeFunction: S3 Object Lambda calls it on CloudFront's behalf, so the request is refused`, evidence, invoke);
    }
  }
  return undefined;
}

async function walk(ctx: DoctorContext): Promise<CheckResult> {
  const { key } = await ctx.key();
  const access = await ctx.access();
  const evidence: Evidence[] = [];
  const ol = (await ctx.objectLambda())?.found;
  if (ol) {
    const refused = await throughObjectLambda(ctx, ol, key, access, evidence);
    if (refused) return refused;
  }
  const ap = (await ctx.accessPoint())?.found;
  if (ap) {
    const refused = await throughAccessPoint(ctx, ap, key, access, evidence);
    if (refused) return refused;
  }
  const policy = await ctx.aws.bucketPolicy();
  evidence.push(ev(policy, (p) => (p ? `${p.Statement.length} statement(s)` : `${NOT_FOUND.bucketPolicy}: the bucket has no policy`)));
  const delegate = ap ? `add to the bucket policy the delegation to the account's access points: ${JSON.stringify(delegationStatement(ctx.bucket, ctx.env.accountId))} (or grant the distribution directly: ${grantStatement(access, ctx.bucket, ctx.distributionArn)})` : '';
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
  if (!policy.value && ap) {
    return problem(META, 'bucket-no-access-point-delegation', `access point ${ap.name}'s policy grants the distribution, but the bucket has no policy: requests through an access point also need the bucket policy to allow them, directly or by delegating to the account's access points`, evidence, delegate);
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
    return ok(META, ap ? `access point ${ap.name}'s policy grants ${describeAccess(access)} s3:GetObject on ${key}, and the bucket policy's ${describeStatement(allow)} allows it through the access point` : `${describeStatement(allow)} grants ${describeAccess(access)} s3:GetObject on ${key}`, evidence);
  }
  if (result.outcome === 'unknown') {
    const u = result.statements.filter((s) => s.match === 'unknown');
    return unknown(META, `${u.map(describeStatement).join(', ')} may apply, but depend on conditions edgelock cannot evaluate (${u[0]!.reason})`, evidence, 'review those statements by hand; a Deny with such a condition is a likely cause');
  }
  if (ap) {
    return problem(META, 'bucket-no-access-point-delegation', `access point ${ap.name}'s policy grants the distribution, but the bucket policy neither grants ${describeAccess(access)} s3:GetObject on ${key} nor delegates to the account's access points (s3:DataAccessPointAccount ${ctx.env.accountId})`, evidence, delegate);
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
