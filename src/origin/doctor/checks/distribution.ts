/**
 * Check 1, the distribution: the key's behaviour targets the bucket's REST endpoint (not a website
 * endpoint, not another bucket), or an access point (by its alias) or an S3 Object Lambda access
 * point of that bucket that CloudFront can reach, and the origin is reached with an OAC that signs
 * (a `no-override` OAC must not be handed the viewer's Authorization header), or an OAI.
 */
import { actionOfCall, type Fetched } from '../aws';
import type { DoctorContext } from '../context';
import { forwardsAuthorization, isAccessPointAlias, REGIONAL_ENDPOINT_ONLY, type OriginFacts } from '../facts';
import { isEdgelockFunction } from '../request-path';
import type { CheckResult, Evidence } from '../types';
import { deniedFix, ev, ok, problem, refusedNote, unknown, type CheckMeta } from './result';

const META: CheckMeta<'distribution'> = { id: 'distribution', order: 1, title: 'Distribution origin and origin access' };

export async function checkDistribution(ctx: DoctorContext): Promise<CheckResult> {
  const d = await ctx.aws.distributionConfig();
  const evidence: Evidence[] = [ev(d, (c) => `${c.Origins?.Quantity ?? 0} origin(s), DefaultRootObject=${c.DefaultRootObject || '(none)'}`)];
  if (!d.ok) {
    if (d.denied) return unknown(META, `the distribution could not be read${refusedNote(d)}`, evidence, deniedFix('cloudfront:GetDistributionConfig', d));
    if (d.code !== 'NoSuchDistribution') return unknown(META, `the distribution could not be read (${d.code})`, evidence, 'run the doctor again; if the error persists, check the distribution with aws cloudfront get-distribution-config');
    return problem(META, 'distribution-missing', `distribution ${ctx.distributionId} does not exist (${d.code})`, evidence, 'check --distribution or the environment\'s distributionId in the config');
  }
  const o = (await ctx.origin())!;
  const rest = ctx.env.bucketDomain;
  if (!o.origin) {
    return problem(META, 'origin-undefined', `behaviour ${o.behavior.pathPattern} targets origin "${o.behavior.value.TargetOriginId}", which the distribution does not define`, evidence, `point the behaviour at an origin for ${rest}`);
  }
  evidence.push({
    call: `behaviour ${o.behavior.pathPattern} → origin ${o.origin.Id}`,
    seen: `DomainName=${o.origin.DomainName}, OriginAccessControlId=${o.origin.OriginAccessControlId || '(none)'}, S3OriginConfig.OriginAccessIdentity=${o.origin.S3OriginConfig?.OriginAccessIdentity || '(none)'}${o.origin.CustomOriginConfig ? ', CustomOriginConfig' : ''}`,
  });
  if (o.endpoint === 'website') {
    return problem(
      META,
      'origin-website-endpoint',
      `the origin is the S3 website endpoint ${o.origin.DomainName}: website endpoints serve only public objects and ignore OAC and OAI, so a locked bucket answers 403`,
      evidence,
      `change the origin's domain to the bucket's REST endpoint ${rest} and attach an origin access control`,
    );
  }
  if (o.endpoint === 'custom') {
    return problem(META, 'origin-not-s3', `the origin ${o.origin.DomainName} is not an S3 REST endpoint`, evidence, `change the origin's domain to ${rest}`);
  }
  if (o.endpoint === 'object-lambda') {
    const stop = await objectLambdaOrigin(ctx, o, evidence);
    if (stop) return stop;
  } else if (isAccessPointAlias(o.originBucket)) {
    const ap = (await ctx.accessPoint())!;
    const f = ap.found;
    evidence.push(ev(ap.list, (l) => `${l.length} access point(s); ${f ? `${ap.ref} is access point ${f.name} (${f.arn}) of bucket ${f.bucket}${f.bucketAccountId ? ` in account ${f.bucketAccountId}` : ''}, NetworkOrigin=${f.networkOrigin}` : `none is ${ap.ref}`}`));
    if (!ap.list.ok) {
      return unknown(META, `the origin ${o.origin.DomainName} is an S3 access point alias, and the account's access points could not be read${refusedNote(ap.list)}: which bucket it serves, and its policy, are unknown`, evidence, deniedFix('s3:ListAccessPoints', ap.list));
    }
    if (!f) {
      return unknown(META, `the origin ${o.origin.DomainName} is an S3 access point alias that none of account ${ctx.env.accountId}'s access points in ${ctx.env.region} has: it may belong to another account or region, so which bucket it serves is unknown`, evidence, `point the origin at an access point of ${ctx.bucket} in account ${ctx.env.accountId} (or at ${rest}), or run the doctor against the account that owns the access point`);
    }
    if (f.bucket !== ctx.bucket || (f.bucketAccountId && f.bucketAccountId !== ctx.env.accountId)) {
      return problem(META, 'origin-other-bucket', `the origin is access point ${f.name} of bucket "${f.bucket}"${f.bucketAccountId && f.bucketAccountId !== ctx.env.accountId ? ` in account ${f.bucketAccountId}` : ''}, not the environment's bucket "${ctx.bucket}"`, evidence, `point the origin at an access point of ${ctx.bucket} (or at ${rest}), or fix the environment's bucket in the config`);
    }
    if (f.networkOrigin === 'VPC') {
      return problem(META, 'access-point-vpc-only', `the origin is access point ${f.name}, whose network origin is VPC: it accepts requests only from its VPC, and CloudFront's come from the internet`, evidence, `create an access point with network origin Internet for ${ctx.bucket} and point the origin at its alias (a network origin cannot be changed)`);
    }
  } else if (o.originBucket !== ctx.bucket) {
    return problem(META, 'origin-other-bucket', `the origin is bucket "${o.originBucket}", not the environment's bucket "${ctx.bucket}"`, evidence, `change the origin's domain to ${rest} (or fix the environment's bucket in the config)`);
  }
  // The region the bucket is in, as S3 answers it, against the one the origin's endpoint names.
  const region = await ctx.aws.bucketRegion();
  evidence.push(ev(region, (r) => `bucket region ${r}`));
  if (region.ok && o.originRegion && o.originRegion !== region.value) {
    return problem(META, 'origin-wrong-region', `the origin ${o.origin.DomainName} names region ${o.originRegion}, but the bucket is in ${region.value}: S3 answers another region's endpoint with a redirect or an authorization error, not the object`, evidence, `change the origin's domain to ${ctx.bucket}.s3.${region.value}.amazonaws.com`);
  }
  if (region.ok && !o.originRegion && REGIONAL_ENDPOINT_ONLY.has(region.value)) {
    return problem(META, 'origin-global-endpoint', `the origin ${o.origin.DomainName} is the legacy global endpoint, which does not serve buckets in ${region.value} (a region launched after March 2019)`, evidence, `change the origin's domain to the regional endpoint ${ctx.bucket}.s3.${region.value}.amazonaws.com`);
  }
  const a = o.access;
  if (a.kind === 'oac') {
    const oac = await ctx.aws.originAccessControl(a.id);
    evidence.push(ev(oac, (c) => `SigningBehavior=${c.SigningBehavior}, SigningProtocol=${c.SigningProtocol}, OriginType=${c.OriginAccessControlOriginType}`));
    if (!oac.ok) {
      if (oac.denied) return unknown(META, `origin access control ${a.id} could not be read${refusedNote(oac)}`, evidence, deniedFix('cloudfront:GetOriginAccessControl', oac));
      if (oac.code !== 'NoSuchOriginAccessControl') return unknown(META, `origin access control ${a.id} could not be read (${oac.code})`, evidence, 'run the doctor again');
      return problem(META, 'oac-missing', `origin access control ${a.id} does not exist (${oac.code})`, evidence, 'attach an existing origin access control to the origin');
    }
    if (oac.value.SigningBehavior === 'never') {
      return problem(META, 'oac-never-signs', `origin access control ${a.id} has SigningBehavior "never": CloudFront sends unsigned requests, which a locked bucket refuses`, evidence, `set the origin access control's SigningBehavior to "always"`);
    }
    if (oac.value.OriginAccessControlOriginType && oac.value.OriginAccessControlOriginType !== 's3') {
      return problem(META, 'oac-not-for-s3', `origin access control ${a.id} is for "${oac.value.OriginAccessControlOriginType}" origins, not s3`, evidence, 'attach an origin access control of type s3');
    }
    let note = '';
    if (oac.value.SigningBehavior === 'no-override') {
      const r = await noOverride(ctx, o, a.id, evidence);
      if (typeof r !== 'string') return r;
      note = r;
    }
    return ok(META, `the origin is ${o.origin.DomainName}, signed by origin access control ${a.id}${note}`, evidence);
  }
  if (a.kind === 'oai') {
    const oai = await ctx.aws.originAccessIdentity(a.id);
    evidence.push(ev(oai, (i) => `S3CanonicalUserId=${i.S3CanonicalUserId}`));
    if (!oai.ok) {
      if (oai.denied) return unknown(META, `origin access identity ${a.id} could not be read${refusedNote(oai)}`, evidence, deniedFix('cloudfront:GetCloudFrontOriginAccessIdentity', oai));
      if (oai.code !== 'NoSuchCloudFrontOriginAccessIdentity') return unknown(META, `origin access identity ${a.id} could not be read (${oai.code})`, evidence, 'run the doctor again');
      return problem(META, 'oai-missing', `origin access identity ${a.id} does not exist (${oai.code})`, evidence, 'attach an existing origin access identity, or better an origin access control');
    }
    return ok(META, `the origin is ${o.origin.DomainName}, reached with origin access identity ${a.id} (legacy: an origin access control is recommended)`, evidence);
  }
  return problem(
    META,
    'origin-access-none',
    `the origin ${o.origin.DomainName} has neither an origin access control nor an origin access identity: CloudFront's requests are anonymous and only public objects can be served`,
    evidence,
    `attach an origin access control (signing "always") to the origin and grant it in the bucket policy`,
  );
}

/**
 * SigningBehavior `no-override`: CloudFront signs only requests that carry no Authorization
 * header; one that does reaches S3 with the viewer's header, unsigned, and a private bucket
 * refuses it. That happens when the behaviour forwards Authorization (it is in the cache key) and
 * no edgelock function removes it first. Answers the note for an ok result, or the result.
 */
async function noOverride(ctx: DoctorContext, o: OriginFacts, id: string, evidence: Evidence[]): Promise<string | CheckResult> {
  const b = o.behavior.value;
  let policy;
  if (b.CachePolicyId) {
    const cp = await ctx.aws.cachePolicy(b.CachePolicyId);
    const h = cp.ok ? cp.value.ParametersInCacheKeyAndForwardedToOrigin?.HeadersConfig : undefined;
    evidence.push(ev(cp, (c) => `${c.Name}: HeaderBehavior=${h?.HeaderBehavior ?? '(none)'}${h?.Headers?.Items?.length ? `, Headers=${h.Headers.Items.join(', ')}` : ''}`));
    if (!cp.ok) {
      return unknown(META, `origin access control ${id} has SigningBehavior "no-override", and whether behaviour ${o.behavior.pathPattern} forwards the viewer's Authorization header could not be read${refusedNote(cp)}: if it does, those requests reach S3 unsigned and are refused`, evidence, cp.denied ? deniedFix('cloudfront:GetCachePolicy', cp) : 'run the doctor again; or set SigningBehavior to "always"');
    }
    policy = cp.value;
  } else {
    evidence.push({ call: `behaviour ${o.behavior.pathPattern} ForwardedValues.Headers`, seen: b.ForwardedValues?.Headers?.Items?.join(', ') || '(none)' });
  }
  const base = ' (SigningBehavior "no-override": a viewer request carrying an Authorization header is sent with it instead of a signature; prefer "always")';
  if (!forwardsAuthorization(b, policy)) return base;
  const remover = (b.LambdaFunctionAssociations?.Items ?? []).find((l) => (l.EventType === 'viewer-request' || l.EventType === 'origin-request') && ctx.edge && isEdgelockFunction(ctx.edge, ctx.env.accountId, l.EventType, l.LambdaFunctionARN ?? ''));
  if (remover) return ` (SigningBehavior "no-override" and the behaviour forwards Authorization, but edgelock's ${remover.EventType} function ${remover.LambdaFunctionARN} removes it before the request reaches S3; prefer "always")`;
  return problem(
    META,
    'oac-no-override-forwards-authorization',
    `origin access control ${id} has SigningBehavior "no-override" and behaviour ${o.behavior.pathPattern} forwards the viewer's Authorization header (it is in the cache key): every viewer request that carries one (Basic auth, a token) reaches S3 with that header instead of CloudFront's signature, and the private bucket refuses it`,
    evidence,
    `set origin access control ${id}'s SigningBehavior to "always" (CloudFront then signs every request), or take Authorization out of the behaviour's cache policy`,
  );
}

/**
 * An S3 Object Lambda access point origin: resolved (by its alias, or the name its endpoint
 * carries), its configuration read, and its supporting access point resolved to a bucket, which
 * must be the environment's. Answers a result when that stops the check.
 */
async function objectLambdaOrigin(ctx: DoctorContext, o: OriginFacts, evidence: Evidence[]): Promise<CheckResult | undefined> {
  const ol = (await ctx.objectLambda())!;
  const domain = o.origin?.DomainName;
  for (const step of ol.steps) {
    evidence.push(
      ev(step as Fetched<unknown>, (v) =>
        Array.isArray(v)
          ? `${v.length} Object Lambda access point(s)${ol.found ? `; alias ${'alias' in ol.ref ? ol.ref.alias : ''} is ${ol.found.name}` : ''}`
          : `SupportingAccessPoint=${(v as { SupportingAccessPoint?: string }).SupportingAccessPoint}, functions ${ol.found?.functionArns.join(', ') || '(none)'}`,
      ),
    );
  }
  if (ol.failed) {
    return ol.failed.denied
      ? unknown(META, `the origin ${domain} is an S3 Object Lambda access point, which could not be read${refusedNote(ol.failed)}: which bucket it serves is unknown`, evidence, deniedFix(actionOfCall(ol.failed.call), ol.failed))
      : unknown(META, `the origin ${domain} is an S3 Object Lambda access point, which could not be read (${ol.failed.code})`, evidence, 'check that the Object Lambda access point exists in this account and region');
  }
  if (!ol.found) {
    return unknown(META, `the origin ${domain} is an S3 Object Lambda access point that is not one of account ${ctx.env.accountId}'s in ${o.originRegion ?? ctx.env.region}: which bucket it serves is unknown`, evidence, 'run the doctor against the account that owns the Object Lambda access point');
  }
  const ap = (await ctx.accessPoint())!;
  const f = ap.found;
  evidence.push(ev(ap.list, (l) => `${l.length} access point(s); ${f ? `${ap.ref} is access point ${f.name} of bucket ${f.bucket}` : `none is ${ap.ref}`}`));
  if (!ap.list.ok) return unknown(META, `the supporting access point of Object Lambda access point ${ol.found.name} could not be resolved${refusedNote(ap.list)}`, evidence, deniedFix('s3:ListAccessPoints', ap.list));
  if (!f) return unknown(META, `the supporting access point ${ol.found.supportingAccessPoint} of Object Lambda access point ${ol.found.name} is not one of account ${ctx.env.accountId}'s access points: which bucket it serves is unknown`, evidence, 'run the doctor against the account that owns the supporting access point');
  if (f.bucket !== ctx.bucket) {
    return problem(META, 'origin-other-bucket', `the origin is Object Lambda access point ${ol.found.name}, whose supporting access point ${f.name} serves bucket "${f.bucket}", not the environment's bucket "${ctx.bucket}"`, evidence, `point the Object Lambda access point at a supporting access point of ${ctx.bucket}, or fix the environment's bucket in the config`);
  }
  return undefined;
}
