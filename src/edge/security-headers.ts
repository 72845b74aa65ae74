/**
 * The security headers, built once from `HeadersConfig`: applied to origin responses (keeping or
 * replacing what the origin sent, passing only the allow-listed origin headers) and added to every
 * response a handler generates itself. Also describes the same set as a CloudFront response
 * headers policy for stacks that prefer a policy to a function.
 */
import { DEFAULT_ORIGIN_HEADERS, KNOWN_S3_RESPONSE_HEADERS } from './cloudfront/origin-headers';
import { READ_ONLY_HEADERS } from './cloudfront/rules';
import type { HeadersConfig } from './config';
import { headerMatcher, type CfHeaders } from './headers';
import { pathMatcher } from './paths';

/** One header as written: the spelling viewers see and its value. */
export type HeaderPair = readonly [name: string, value: string];

interface Entry {
  readonly lower: string;
  readonly key: string;
  readonly value: string;
  /** Keep a value the origin sent instead of replacing it. */
  readonly keepOrigin: boolean;
}

export interface SecurityHeaders {
  /** Every header for `path` (CSP chosen per path), in the order they are sent. */
  pairs(path: string): readonly HeaderPair[];
  /** Drops every origin header not allow-listed and sets the security headers on an origin response, in place. */
  apply(headers: CfHeaders, path: string): CfHeaders;
  /** A fresh header map for a response a handler generates itself (401, 400, fail-closed). */
  forGenerated(path: string, extra?: readonly HeaderPair[]): CfHeaders;
}

const CSP = 'Content-Security-Policy';

function hstsValue(hsts: Exclude<HeadersConfig['hsts'], false>): string {
  return `max-age=${hsts.maxAge}${hsts.includeSubDomains ? '; includeSubDomains' : ''}${hsts.preload ? '; preload' : ''}`;
}

/** The headers every path gets (everything but the CSP), in a fixed order. */
export function basePairs(config: HeadersConfig): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  if (config.hsts) pairs.push(['Strict-Transport-Security', hstsValue(config.hsts)]);
  if (config.contentTypeOptions) pairs.push(['X-Content-Type-Options', 'nosniff']);
  if (config.frameOptions) pairs.push(['X-Frame-Options', config.frameOptions]);
  if (config.referrerPolicy) pairs.push(['Referrer-Policy', config.referrerPolicy]);
  if (config.permissionsPolicy) pairs.push(['Permissions-Policy', config.permissionsPolicy]);
  if (config.crossOriginOpenerPolicy) pairs.push(['Cross-Origin-Opener-Policy', config.crossOriginOpenerPolicy]);
  if (config.crossOriginResourcePolicy) pairs.push(['Cross-Origin-Resource-Policy', config.crossOriginResourcePolicy]);
  if (config.xssProtectionOff) pairs.push(['X-XSS-Protection', '0']);
  for (const [name, value] of Object.entries(config.custom)) pairs.push([name, value]);
  return pairs;
}

/**
 * Whether an origin-supplied value of `lower` is kept: an exact entry in `originValues` wins over
 * the longest matching "prefix*" entry; headers not listed are replaced.
 */
export function keepsOriginValue(originValues: HeadersConfig['originValues'], lower: string): boolean {
  const exact = originValues[lower];
  if (exact) return exact === 'keep';
  let best: { len: number; keep: boolean } | undefined;
  for (const [pattern, mode] of Object.entries(originValues)) {
    if (!pattern.endsWith('*')) continue;
    const prefix = pattern.slice(0, -1);
    if (lower.startsWith(prefix) && (!best || prefix.length > best.len)) best = { len: prefix.length, keep: mode === 'keep' };
  }
  return best?.keep ?? false;
}

/** Compiles the header set once; the returned functions do no parsing per request. */
export function buildSecurityHeaders(config: HeadersConfig): SecurityHeaders {
  const toEntry = ([key, value]: HeaderPair): Entry => {
    const lower = key.toLowerCase();
    return { lower, key, value, keepOrigin: keepsOriginValue(config.originValues, lower) };
  };
  const base = basePairs(config).map(toEntry);
  const defaultCsp: Entry | undefined = config.contentSecurityPolicy ? toEntry([CSP, config.contentSecurityPolicy]) : undefined;
  const overrides = config.cspOverrides.map((o) => ({ matches: pathMatcher([o.path]), entry: toEntry([CSP, o.policy]) }));
  const cspFor = (path: string): Entry | undefined => {
    for (const o of overrides) if (o.matches(path)) return o.entry;
    return defaultCsp;
  };
  const entriesFor = (path: string): Entry[] => {
    const csp = cspFor(path);
    return csp ? [csp, ...base] : base;
  };

  const readOnly = new Set(READ_ONLY_HEADERS['origin-response']);
  const ours = new Set([...base.map((e) => e.lower), CSP.toLowerCase()]);
  const passes = headerMatcher([...DEFAULT_ORIGIN_HEADERS, ...config.keepOriginHeaders]);
  // Read-only headers cannot be removed; ours are set (or kept, per originValues) below.
  const strips = (lower: string): boolean => !readOnly.has(lower) && !ours.has(lower) && !passes(lower);

  return {
    pairs: (path) => entriesFor(path).map((e) => [e.key, e.value] as const),
    apply(headers, path) {
      for (const name of Object.keys(headers)) if (strips(name)) delete headers[name];
      for (const e of entriesFor(path)) {
        if (e.keepOrigin && headers[e.lower]?.length) continue;
        headers[e.lower] = [{ key: e.key, value: e.value }];
      }
      return headers;
    },
    forGenerated(path, extra = []) {
      const headers: CfHeaders = {};
      for (const e of entriesFor(path)) headers[e.lower] = [{ key: e.key, value: e.value }];
      for (const [key, value] of extra) headers[key.toLowerCase()] = [{ key, value }];
      return headers;
    },
  };
}

/**
 * A CloudFront response headers policy (the shape of `aws_cloudfront_response_headers_policy`'s
 * configuration in CDKTF, without `name`) carrying the same headers.
 */
export interface ResponseHeadersPolicyDescription {
  comment: string;
  securityHeadersConfig: {
    strictTransportSecurity?: { accessControlMaxAgeSec: number; includeSubdomains: boolean; preload: boolean; override: boolean };
    contentSecurityPolicy?: { contentSecurityPolicy: string; override: boolean };
    contentTypeOptions?: { override: boolean };
    frameOptions?: { frameOption: string; override: boolean };
    referrerPolicy?: { referrerPolicy: string; override: boolean };
    xssProtection?: { protection: boolean; override: boolean };
  };
  customHeadersConfig?: { items: { header: string; value: string; override: boolean }[] };
  removeHeadersConfig?: { items: { header: string }[] };
}

/**
 * Describes the configured headers as a CloudFront response headers policy. `override` is true
 * unless `originValues` keeps the origin's value. What a policy cannot express is listed by
 * {@link responseHeadersPolicyLimits}: per-path CSPs and the allow-list of origin headers (a
 * policy can only remove known names).
 */
export function toResponseHeadersPolicy(config: HeadersConfig): ResponseHeadersPolicyDescription {
  const override = (name: string): boolean => !keepsOriginValue(config.originValues, name.toLowerCase());
  const security: ResponseHeadersPolicyDescription['securityHeadersConfig'] = {};
  if (config.hsts) {
    security.strictTransportSecurity = {
      accessControlMaxAgeSec: config.hsts.maxAge,
      includeSubdomains: config.hsts.includeSubDomains,
      preload: config.hsts.preload,
      override: override('strict-transport-security'),
    };
  }
  if (config.contentSecurityPolicy) {
    security.contentSecurityPolicy = { contentSecurityPolicy: config.contentSecurityPolicy, override: override('content-security-policy') };
  }
  if (config.contentTypeOptions) security.contentTypeOptions = { override: override('x-content-type-options') };
  if (config.frameOptions) security.frameOptions = { frameOption: config.frameOptions, override: override('x-frame-options') };
  if (config.referrerPolicy) security.referrerPolicy = { referrerPolicy: config.referrerPolicy, override: override('referrer-policy') };
  if (config.xssProtectionOff) security.xssProtection = { protection: false, override: override('x-xss-protection') };

  const custom: HeaderPair[] = [];
  if (config.permissionsPolicy) custom.push(['Permissions-Policy', config.permissionsPolicy]);
  if (config.crossOriginOpenerPolicy) custom.push(['Cross-Origin-Opener-Policy', config.crossOriginOpenerPolicy]);
  if (config.crossOriginResourcePolicy) custom.push(['Cross-Origin-Resource-Policy', config.crossOriginResourcePolicy]);
  custom.push(...Object.entries(config.custom));

  const keep = headerMatcher(config.keepOriginHeaders);
  const removable = KNOWN_S3_RESPONSE_HEADERS.filter((h) => !keep(h));

  const policy: ResponseHeadersPolicyDescription = {
    comment: 'edgelock security headers',
    securityHeadersConfig: security,
  };
  if (custom.length) policy.customHeadersConfig = { items: custom.map(([header, value]) => ({ header, value, override: override(header) })) };
  if (removable.length) policy.removeHeadersConfig = { items: removable.map((header) => ({ header })) };
  return policy;
}

/** What the origin-response function does that a response headers policy cannot. */
export function responseHeadersPolicyLimits(config: HeadersConfig): string[] {
  const limits: string[] = [];
  if (config.cspOverrides.length) {
    limits.push(`cspOverrides (${config.cspOverrides.map((o) => o.path).join(', ')}) need one policy per cache behavior; the policy carries only the default CSP`);
  }
  limits.push(
    'a policy removes headers by exact name only: it removes the S3 headers edgelock knows (KNOWN_S3_RESPONSE_HEADERS), not x-amz-meta-* user metadata or any header S3 adds later; the origin-response function passes an allow-list and drops everything else',
  );
  return limits;
}
