/**
 * One description of an environment's CloudFront distribution, computed once from the config:
 * behaviours (handlers, allowed and cached methods, compression, viewer protocol), their cache
 * policy (cache key and TTLs), origin request policy, default root object and custom error
 * responses. cdktf/protected-distribution.ts synthesizes the CloudFront resources from it and the
 * local edge (src/dev) runs by it, so the two cannot drift. Pure data and pure functions.
 */
import { originPathFor } from '../config/origin-path';
import type { ErrorPageConfig, ResolvedConfig } from '../config/schema';

export { originPathFor };

export type DistributionHandler = 'viewer-request' | 'origin-request' | 'origin-response';
export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** A cache policy as CloudFront documents it: what is in the cache key (and so forwarded) and the TTL bounds. */
export interface CachePolicyDescription {
  readonly id: string;
  readonly name: string;
  readonly minTtl: number;
  readonly defaultTtl: number;
  readonly maxTtl: number;
  /** Query strings in the cache key (and forwarded to the origin). */
  readonly queryStrings: 'none';
  /** Viewer headers in the cache key (and forwarded to the origin). */
  readonly headers: readonly string[];
  readonly cookies: 'none';
  /** Accept-Encoding normalisation: gzip and br in the cache key (compressed objects cached apart). */
  readonly acceptEncodingGzip: boolean;
  readonly acceptEncodingBrotli: boolean;
}

/**
 * AWS managed cache policies the local edge knows (CloudFront Developer Guide, "Use managed cache
 * policies"). Other policy IDs synthesize as given but cannot be emulated.
 */
export const MANAGED_CACHE_POLICIES: Readonly<Record<string, CachePolicyDescription>> = Object.freeze({
  '658327ea-f89d-4fab-a63d-7e88639e58f6': {
    id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
    name: 'Managed-CachingOptimized',
    minTtl: 1,
    defaultTtl: 86_400,
    maxTtl: 31_536_000,
    queryStrings: 'none',
    headers: [],
    cookies: 'none',
    acceptEncodingGzip: true,
    acceptEncodingBrotli: true,
  },
  '4135ea2d-6df8-44a3-9df3-4b5a84be39ad': {
    id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
    name: 'Managed-CachingDisabled',
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: 0,
    queryStrings: 'none',
    headers: [],
    cookies: 'none',
    acceptEncodingGzip: false,
    acceptEncodingBrotli: false,
  },
});

export const CACHING_OPTIMIZED_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';

/** CloudFront's default error caching minimum TTL, in seconds. */
export const DEFAULT_ERROR_CACHING_MIN_TTL = 10;

/** CloudFront accepts only these method sets; the smallest that holds the configured methods is used. */
export const METHOD_SETS: readonly (readonly HttpMethod[])[] = [
  ['GET', 'HEAD'],
  ['GET', 'HEAD', 'OPTIONS'],
  ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
];
export const ALL_METHODS: readonly string[] = METHOD_SETS[2]!;

/** The smallest method set CloudFront accepts that holds `methods` (all seven if none does). */
export function allowedMethodSet(methods: readonly string[]): HttpMethod[] {
  return [...(METHOD_SETS.find((set) => methods.every((m) => (set as readonly string[]).includes(m))) ?? METHOD_SETS[2]!)];
}

export interface BehaviourDescription {
  /** CloudFront path pattern; "*" for the default behaviour. */
  readonly pathPattern: string;
  readonly handlers: readonly DistributionHandler[];
  readonly cachePolicyId: string;
  /** The policy's key and TTLs when it is a managed policy the local edge knows. */
  readonly cachePolicy: CachePolicyDescription | undefined;
  /** No origin request policy: the origin gets what the cache key holds, plus CloudFront's own headers. */
  readonly originRequestPolicyId: undefined;
  readonly allowedMethods: readonly HttpMethod[];
  readonly cachedMethods: readonly HttpMethod[];
  readonly compress: boolean;
  readonly viewerProtocolPolicy: 'redirect-to-https';
}

export interface CustomErrorResponseDescription {
  readonly errorCode: number;
  readonly responseCode: number;
  readonly responsePagePath: string;
  readonly errorCachingMinTtl: number;
}

export interface DistributionDescription {
  /**
   * The origin path CloudFront prepends to every key it asks S3 for: `/site` for deploy.prefix
   * `site/`, '' for the bucket root. The origin-request guard expects exactly this path.
   */
  readonly originPath: string;
  readonly defaultRootObject: string;
  readonly defaultBehaviour: BehaviourDescription;
  /** Evaluated in order before the default behaviour. */
  readonly orderedBehaviours: readonly BehaviourDescription[];
  readonly customErrorResponses: readonly CustomErrorResponseDescription[];
}

/** A custom error page as the config writes it. */
export interface ErrorPageSetting {
  readonly code: ErrorPageConfig['code'] | number;
  readonly page: string;
  readonly status?: number | undefined;
  readonly ttlSeconds?: number | undefined;
}

/** The settings the description is computed from (the config's, or a construct's props). */
export interface DistributionSettings {
  /** @default ['GET', 'HEAD'] */
  readonly allowedMethods?: readonly string[];
  /** @default [] */
  readonly behaviors?: readonly { readonly pathPattern: string; readonly handlers: readonly DistributionHandler[]; readonly cachePolicyId: string }[];
  /** @default 'index.html' */
  readonly defaultRootObject?: string;
  /** @default [] */
  readonly errorPages?: readonly ErrorPageSetting[];
  /** The origin path, from deploy.prefix (see {@link originPathFor}). @default '' (the bucket root) */
  readonly originPath?: string;
}

export const ALL_HANDLERS: readonly DistributionHandler[] = ['viewer-request', 'origin-request', 'origin-response'];

/** Computes the description. Deep-frozen: nothing downstream may change it. */
export function describeDistribution(settings: DistributionSettings): DistributionDescription {
  const allowedMethods = allowedMethodSet(settings.allowedMethods ?? ['GET', 'HEAD']);
  const behaviour = (pathPattern: string, handlers: readonly DistributionHandler[], cachePolicyId: string): BehaviourDescription => ({
    pathPattern,
    handlers: [...handlers],
    cachePolicyId,
    cachePolicy: MANAGED_CACHE_POLICIES[cachePolicyId],
    originRequestPolicyId: undefined,
    allowedMethods,
    cachedMethods: ['GET', 'HEAD'],
    compress: true,
    viewerProtocolPolicy: 'redirect-to-https',
  });
  return deepFreeze({
    originPath: settings.originPath ?? '',
    defaultRootObject: settings.defaultRootObject ?? 'index.html',
    defaultBehaviour: behaviour('*', ALL_HANDLERS, CACHING_OPTIMIZED_ID),
    orderedBehaviours: (settings.behaviors ?? []).map((b) => behaviour(b.pathPattern, b.handlers, b.cachePolicyId)),
    customErrorResponses: (settings.errorPages ?? []).map((p) => ({
      errorCode: p.code,
      responseCode: p.status ?? p.code,
      responsePagePath: p.page,
      errorCachingMinTtl: p.ttlSeconds ?? DEFAULT_ERROR_CACHING_MIN_TTL,
    })),
  });
}

/** The settings an environment's distribution is built with, from the config (as cdktf/environment-stack.ts passes them). */
export function distributionSettings(config: Pick<ResolvedConfig, 'origin' | 'stacks' | 'deploy'>): DistributionSettings {
  return {
    originPath: originPathFor(config.deploy.prefix),
    allowedMethods: config.origin.allowedMethods,
    behaviors: config.stacks.behaviors,
    defaultRootObject: config.stacks.defaultRootObject,
    errorPages: config.stacks.errorPages,
  };
}

/** The description of the distribution the stacks deploy for this config. */
export function describeConfiguredDistribution(config: Pick<ResolvedConfig, 'origin' | 'stacks' | 'deploy'>): DistributionDescription {
  return describeDistribution(distributionSettings(config));
}

/**
 * CloudFront path pattern matching: case-sensitive, `*` any run of characters (slashes
 * included), `?` exactly one; the leading "/" is optional in the pattern.
 */
export function matchesPathPattern(pattern: string, uri: string): boolean {
  if (pattern === '*') return true;
  const p = pattern.startsWith('/') ? pattern : `/${pattern}`;
  const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(uri);
}

/** The behaviour CloudFront applies to `uri`: the first ordered one that matches, else the default. */
export function behaviourFor(description: DistributionDescription, uri: string): BehaviourDescription {
  return description.orderedBehaviours.find((b) => matchesPathPattern(b.pathPattern, uri)) ?? description.defaultBehaviour;
}

/** The custom error response for a status, if one is configured. */
export function customErrorFor(description: DistributionDescription, status: number): CustomErrorResponseDescription | undefined {
  return description.customErrorResponses.find((e) => e.errorCode === status);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The TLS a distribution offers viewers, which its certificate decides: the default
 * `*.cloudfront.net` certificate fixes the security policy at TLSv1 (TLS 1.0 and up); a custom
 * domain with an ACM certificate gets TLSv1.2_2021 (TLS 1.2 and up). Synthesized by the stacks and
 * served by `edgelock dev --https`.
 */
export interface ViewerTlsDescription {
  readonly certificate: 'default' | 'acm';
  /** CloudFront's security policy name (minimum_protocol_version). */
  readonly securityPolicy: 'TLSv1' | 'TLSv1.2_2021';
  /** The oldest protocol a viewer may use under that policy, as Node names it. */
  readonly minimumTlsVersion: 'TLSv1' | 'TLSv1.2';
}

export function describeViewerTls(env: { readonly domain?: string | undefined; readonly certificateArn?: string | undefined }): ViewerTlsDescription {
  return env.domain && env.certificateArn
    ? { certificate: 'acm', securityPolicy: 'TLSv1.2_2021', minimumTlsVersion: 'TLSv1.2' }
    : { certificate: 'default', securityPolicy: 'TLSv1', minimumTlsVersion: 'TLSv1' };
}
