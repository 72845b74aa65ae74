/**
 * What the doctor derives from AWS's answers, as pure functions: which behaviour and origin serve
 * the key and how the origin is reached, the request S3 (or KMS, or an RCP) evaluates when
 * CloudFront fetches the key, and who owns the object against who owns the bucket.
 */
import type { CacheBehavior, CachePolicyConfig, CloudFrontOriginAccessIdentity, DefaultCacheBehavior, DistributionConfig, Origin, OriginAccessControlConfig } from '@aws-sdk/client-cloudfront';
import type { GetBucketAclCommandOutput, GetObjectAclCommandOutput, Grant, _Object } from '@aws-sdk/client-s3';
import { wildcardMatch, type EvalPrincipal, type EvalRequest } from '../policy';
import { oaiIdOfOriginPath, oaiPrincipalArn } from '../s3/oai';
import type { OwnershipMode } from '../s3/ownership';
import type { Fetched } from './aws';

/** How the distribution reaches the bucket. */
export type OriginAccess =
  | { readonly kind: 'oac'; readonly id: string; readonly signing?: string; readonly originType?: string; readonly assumed?: true }
  | { readonly kind: 'oai'; readonly id: string; readonly canonicalUserId?: string; readonly assumed?: true }
  /** Anonymous requests; `unsignedBy` names an OAC that never signs, when that is why. */
  | { readonly kind: 'none'; readonly unsignedBy?: string };

export type EndpointKind = 'rest' | 'website' | 'custom' | 'object-lambda';

/** An S3 Object Lambda access point an origin names: by its endpoint (name and account) or by its alias (`…--ol-s3`). */
export type ObjectLambdaRef = { readonly name: string; readonly accountId: string } | { readonly alias: string };

export interface OriginFacts {
  readonly behavior: { readonly pathPattern: string; readonly value: DefaultCacheBehavior | CacheBehavior };
  readonly origin?: Origin;
  readonly endpoint: EndpointKind;
  /** The bucket named by the origin's domain, for S3 endpoints. */
  readonly originBucket?: string;
  /** The region the origin's REST endpoint names; undefined for the legacy global endpoint. */
  readonly originRegion?: string;
  /** The Object Lambda access point the origin names (endpoint `object-lambda`). */
  readonly objectLambda?: ObjectLambdaRef;
  readonly access: OriginAccess;
}

/** The origin that serves a key, before its access control or identity is read. */
export interface OriginRoute {
  readonly behavior: OriginFacts['behavior'];
  readonly origin?: Origin;
  readonly endpoint: EndpointKind;
  readonly originBucket?: string;
  readonly originRegion?: string;
  readonly objectLambda?: ObjectLambdaRef;
  /** The access the origin names: an OAC id, an OAI id, or none. */
  readonly accessRef: { readonly kind: 'oac' | 'oai'; readonly id: string } | { readonly kind: 'none' };
}

const REST_ENDPOINT = /^(.+?)\.s3(?:[.-](?:dualstack\.)?([a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$/;
const OBJECT_LAMBDA_ENDPOINT = /^(.+)-(\d{12})\.s3-object-lambda\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const OBJECT_LAMBDA_ALIAS = /^([a-z0-9-]+--ol-s3)\.s3\.(?:dualstack\.)?([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const WEBSITE_ENDPOINT = /^(.+?)\.s3-website[.-]([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * Classifies an origin domain: the bucket's REST endpoint (with the region it names, none for the
 * legacy global endpoint), a website endpoint, or something else.
 */
export function classifyEndpoint(domain: string): { kind: EndpointKind; bucket?: string; region?: string; objectLambda?: ObjectLambdaRef } {
  const ol = OBJECT_LAMBDA_ENDPOINT.exec(domain);
  if (ol) return { kind: 'object-lambda', region: ol[3]!, objectLambda: { name: ol[1]!, accountId: ol[2]! } };
  const olAlias = OBJECT_LAMBDA_ALIAS.exec(domain);
  if (olAlias) return { kind: 'object-lambda', region: olAlias[2]!, objectLambda: { alias: olAlias[1]! } };
  const web = WEBSITE_ENDPOINT.exec(domain);
  if (web) return { kind: 'website', bucket: web[1]! };
  const rest = REST_ENDPOINT.exec(domain);
  if (rest) return { kind: 'rest', bucket: rest[1]!, ...(rest[2] && rest[2] !== 'external-1' ? { region: rest[2] } : {}) };
  return { kind: 'custom' };
}

/** Access point aliases end in -s3alias: the origin is an access point, not a bucket of that name. */
export function isAccessPointAlias(name: string | undefined): boolean {
  return !!name && /-s3alias$/.test(name);
}

/**
 * Regions launched after 20 March 2019, whose buckets the legacy global endpoint
 * (bucket.s3.amazonaws.com) does not serve: they need the regional endpoint.
 */
export const REGIONAL_ENDPOINT_ONLY = new Set([
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
]);

/** CloudFront path patterns: `*` and `?` wildcards, matched against the path with its leading slash. */
function behaviorFor(cfg: DistributionConfig, path: string): OriginFacts['behavior'] {
  for (const b of cfg.CacheBehaviors?.Items ?? []) {
    const pattern = b.PathPattern!.startsWith('/') ? b.PathPattern! : `/${b.PathPattern}`;
    if (wildcardMatch(pattern, path)) return { pathPattern: b.PathPattern!, value: b };
  }
  return { pathPattern: 'Default (*)', value: cfg.DefaultCacheBehavior! };
}

/** The key the doctor asks about: the one given, else the distribution's root object. */
export function keyToCheck(given: string | undefined, distribution: Fetched<DistributionConfig>): { key: string; source: string } {
  if (given !== undefined) return { key: given, source: '--key' };
  if (distribution.ok) return { key: (distribution.value.DefaultRootObject ?? '').replace(/^\/+/, ''), source: 'DefaultRootObject' };
  return { key: 'index.html', source: 'assumed (the distribution could not be read)' };
}

/** Which behaviour and origin serve `key`, and which access the origin names. */
export function routeFor(cfg: DistributionConfig, key: string): OriginRoute {
  const behavior = behaviorFor(cfg, `/${key}`);
  const origin = cfg.Origins?.Items?.find((o) => o.Id === behavior.value.TargetOriginId);
  if (!origin) return { behavior, endpoint: 'custom', accessRef: { kind: 'none' } };
  const ep = classifyEndpoint(origin.DomainName ?? '');
  const accessRef: OriginRoute['accessRef'] = origin.OriginAccessControlId
    ? { kind: 'oac', id: origin.OriginAccessControlId }
    : origin.S3OriginConfig?.OriginAccessIdentity
      ? { kind: 'oai', id: oaiIdOfOriginPath(origin.S3OriginConfig.OriginAccessIdentity) }
      : { kind: 'none' };
  return { behavior, origin, endpoint: ep.kind, ...(ep.bucket ? { originBucket: ep.bucket } : {}), ...(ep.region ? { originRegion: ep.region } : {}), ...(ep.objectLambda ? { objectLambda: ep.objectLambda } : {}), accessRef };
}

/** The route with its access filled in from the OAC or OAI that was read for it. */
export function originFacts(
  route: OriginRoute,
  oac: Fetched<OriginAccessControlConfig> | undefined,
  oai: Fetched<CloudFrontOriginAccessIdentity> | undefined,
): OriginFacts {
  const { accessRef, ...rest } = route;
  let access: OriginAccess = { kind: 'none' };
  if (accessRef.kind === 'oac') {
    access = { kind: 'oac', id: accessRef.id, ...(oac?.ok ? { signing: oac.value.SigningBehavior!, originType: oac.value.OriginAccessControlOriginType! } : {}) };
  } else if (accessRef.kind === 'oai') {
    access = { kind: 'oai', id: accessRef.id, ...(oai?.ok && oai.value.S3CanonicalUserId ? { canonicalUserId: oai.value.S3CanonicalUserId } : {}) };
  }
  return { ...rest, access };
}

/**
 * The access S3 sees on CloudFront's requests: an OAC with SigningBehavior `never` sends them
 * unsigned, so S3 evaluates them as anonymous (only public grants answer them).
 */
export function requestAccess(a: OriginAccess): OriginAccess {
  return a.kind === 'oac' && a.signing === 'never' ? { kind: 'none', unsignedBy: a.id } : a;
}

/** The access the config says, for when the distribution cannot be read: `assumed`, not a fact. */
export function configuredAccess(originAccess: 'oac' | 'oai'): OriginAccess {
  return originAccess === 'oac' ? { kind: 'oac', id: '(unknown)', assumed: true } : { kind: 'oai', id: '(unknown)', assumed: true };
}

/** An S3 access point the origin reaches the bucket through, as ListAccessPoints describes it. */
export interface AccessPointFacts {
  readonly name: string;
  readonly arn: string;
  readonly alias: string;
  readonly bucket: string;
  readonly bucketAccountId?: string;
  readonly networkOrigin: string;
  /** The account the access point belongs to. */
  readonly accountId: string;
}

/** An S3 Object Lambda access point, with its configuration: the supporting access point and the functions it invokes. */
export interface ObjectLambdaFacts {
  readonly name: string;
  readonly arn: string;
  readonly supportingAccessPoint: string;
  readonly functionArns: readonly string[];
}

/** The ARN of `key` through an access point, as its policy names objects: `<access point ARN>/object/<key>`. */
export function accessPointObjectArn(ap: AccessPointFacts, key: string): string {
  return `${ap.arn}/object/${key}`;
}

/** The keys S3 adds to a request made through an access point. */
function accessPointContext(ap: AccessPointFacts): Record<string, string[]> {
  return { 's3:dataaccesspointarn': [ap.arn], 's3:dataaccesspointaccount': [ap.accountId], 's3:accesspointnetworkorigin': [ap.networkOrigin] };
}

/**
 * The request S3 (or KMS, or an RCP) evaluates when CloudFront, reaching the bucket through
 * `access` (and, for S3 actions, through the access point `via`), asks for `action` on `resource`.
 */
export function cloudFrontRequest(
  access: OriginAccess,
  facts: { distributionArn: string; accountId: string; via?: AccessPointFacts | 'unresolved'; calledVia?: string },
  action: string,
  resource: string,
): EvalRequest {
  const common = { action, resource };
  const s3 = action.startsWith('s3:');
  // A request S3 Object Lambda makes on the caller's behalf names the service in aws:CalledVia.
  const calledVia: Record<string, string[]> = facts.calledVia && s3 ? { 'aws:calledvia': [facts.calledVia], 'aws:calledviafirst': [facts.calledVia], 'aws:calledvialast': [facts.calledVia] } : {};
  const viaAp = facts.via && facts.via !== 'unresolved' && s3 ? { ...accessPointContext(facts.via), ...calledVia } : undefined;
  // Keys CloudFront's requests never carry (the access point keys, unless made through one, or
  // through one the doctor could not resolve); any other key that is not in `context` is unknown.
  const apAbsent = viaAp || (facts.via === 'unresolved' && s3) ? [] : ['s3:dataaccesspointarn', 's3:dataaccesspointaccount', 's3:accesspointnetworkorigin'];
  const absentKeys = ['aws:principalorgid', 'aws:principalorgpaths', 'aws:multifactorauthpresent', 'aws:multifactorauthage', 'aws:sourcevpce', 'aws:sourcevpc', 'aws:principaltag/*', ...apAbsent];
  const apContext: Record<string, string[]> = viaAp ?? {};
  if (access.kind === 'oac') {
    const principal: EvalPrincipal = { service: 'cloudfront.amazonaws.com' };
    return {
      ...common,
      principal,
      context: {
        'aws:sourcearn': [facts.distributionArn],
        'aws:sourceaccount': [facts.accountId],
        'aws:principalisawsservice': ['true'],
        'aws:principalservicename': ['cloudfront.amazonaws.com'],
        'aws:securetransport': ['true'],
        ...apContext,
      },
      // A service principal has no ARN or account of its own (hence aws:PrincipalIsAWSService).
      absentKeys: [...absentKeys, 'aws:principalarn', 'aws:principalaccount'],
    };
  }
  if (access.kind === 'oai') {
    const arn = oaiPrincipalArn(access.id);
    return {
      ...common,
      principal: { aws: [arn], ...(access.canonicalUserId ? { canonicalUser: access.canonicalUserId } : {}) },
      context: { 'aws:principalarn': [arn], 'aws:principalisawsservice': ['false'], 'aws:securetransport': ['true'], ...apContext },
      absentKeys,
    };
  }
  return { ...common, principal: {}, context: { 'aws:principalisawsservice': ['false'], ...apContext }, absentKeys: [...absentKeys, 'aws:principalarn', 'aws:sourcearn', 'aws:sourceaccount'] };
}

/** "origin access control E1" / "origin access identity E2" / "unsigned (anonymous) requests", for report sentences. */
export function describeAccess(a: OriginAccess): string {
  if (a.kind === 'oac') return `origin access control ${a.id}`;
  if (a.kind === 'oai') return `origin access identity ${a.id}`;
  return a.unsignedBy ? `unsigned (anonymous) requests (origin access control ${a.unsignedBy} never signs)` : 'unsigned (anonymous) requests';
}

/** A bucket's Object Ownership mode, and whether ownership controls set it (`set`) or their absence implies it. */
export interface OwnershipSetting {
  readonly mode: OwnershipMode;
  readonly set: boolean;
}

export interface OwnershipFacts {
  readonly mode?: OwnershipMode;
  readonly bucketOwnerId?: string;
  readonly objectOwnerId?: string;
  /** The key exists (from the listing); undefined when the listing was refused. */
  readonly exists?: boolean;
  /** The object belongs to another account; undefined when it cannot be told. */
  readonly foreign?: boolean;
  /** The bucket owner was refused the object's ACL. */
  readonly aclDenied: boolean;
  readonly grants?: readonly Grant[];
}

/** Whether the listing says the key exists (undefined: the listing was refused). */
export function keyExists(listing: Fetched<_Object | undefined>): boolean | undefined {
  return listing.ok ? listing.value !== undefined : undefined;
}

/**
 * Who owns the object against who owns the bucket. `acl` is the object's ACL, read only when the
 * key may exist (undefined when the listing says it does not).
 */
export function ownershipFacts(
  own: Fetched<OwnershipSetting>,
  bacl: Fetched<GetBucketAclCommandOutput>,
  listing: Fetched<_Object | undefined>,
  acl: Fetched<GetObjectAclCommandOutput> | undefined,
): OwnershipFacts {
  const exists = keyExists(listing);
  const bucketOwnerId = bacl.ok ? bacl.value.Owner?.ID : undefined;
  const objectOwnerId = listing.ok ? listing.value?.Owner?.ID : acl?.ok ? acl.value.Owner?.ID : undefined;
  const aclDenied = acl?.ok === false && acl.denied;
  let foreign: boolean | undefined;
  if (own.ok && own.value.mode === 'BucketOwnerEnforced') foreign = false;
  else if (bucketOwnerId && objectOwnerId) foreign = bucketOwnerId !== objectOwnerId;
  return {
    ...(own.ok ? { mode: own.value.mode } : {}),
    ...(bucketOwnerId ? { bucketOwnerId } : {}),
    ...(objectOwnerId ? { objectOwnerId } : {}),
    ...(exists === undefined ? {} : { exists }),
    ...(foreign === undefined ? {} : { foreign }),
    aclDenied,
    ...(acl?.ok ? { grants: acl.value.Grants ?? [] } : {}),
  };
}

/**
 * Whether the behaviour sends a viewer's Authorization header to the origin: CloudFront forwards it
 * only when it is part of the cache key (the cache policy's headers, or the legacy ForwardedValues
 * headers, `*` included); an origin request policy cannot add it.
 */
export function forwardsAuthorization(behavior: DefaultCacheBehavior | CacheBehavior, cachePolicy: CachePolicyConfig | undefined): boolean {
  const named = (items: readonly string[] | undefined) => (items ?? []).some((h) => h === '*' || h.toLowerCase() === 'authorization');
  if (behavior.CachePolicyId) {
    const h = cachePolicy?.ParametersInCacheKeyAndForwardedToOrigin?.HeadersConfig;
    return h?.HeaderBehavior === 'whitelist' && named(h.Headers?.Items);
  }
  return named(behavior.ForwardedValues?.Headers?.Items);
}
