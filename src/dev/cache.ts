/**
 * The edge cache: how long CloudFront keeps a response (from the origin's Cache-Control and
 * Expires, bounded by the cache policy's TTLs) and an in-memory LRU store keyed by path only
 * (the managed CachingOptimized policy: no query string, header or cookie in the key).
 */
import { CACHING_OPTIMIZED_ID, DEFAULT_ERROR_CACHING_MIN_TTL, MANAGED_CACHE_POLICIES, type CachePolicyDescription } from '../distribution';
import { getHeader as headerValue, type CfHeaders } from '../edge/headers';

/** A cache policy's TTL bounds and the error caching minimum TTL, in seconds. */
export interface CacheTtls {
  readonly minTtl: number;
  readonly defaultTtl: number;
  readonly maxTtl: number;
  /** Error caching minimum TTL for the errors CloudFront caches by default. @default 10 */
  readonly errorTtl: number;
}

/** The TTLs of a cache policy, with CloudFront's default error caching minimum TTL. */
export function ttlsOf(policy: Pick<CachePolicyDescription, 'minTtl' | 'defaultTtl' | 'maxTtl'>, errorTtl = DEFAULT_ERROR_CACHING_MIN_TTL): CacheTtls {
  return Object.freeze({ minTtl: policy.minTtl, defaultTtl: policy.defaultTtl, maxTtl: policy.maxTtl, errorTtl });
}

/** The managed CachingOptimized policy's TTLs (min 1, default 86,400, max 31,536,000), the stacks' default behaviour. */
export const DEFAULT_TTLS: CacheTtls = ttlsOf(MANAGED_CACHE_POLICIES[CACHING_OPTIMIZED_ID]!);

/** Errors CloudFront caches by default, for the error caching minimum TTL (or the origin's max-age). */
const CACHED_ERRORS = new Set([404, 414, 500, 501, 502, 503, 504]);
/** Errors CloudFront caches only when the origin sends Cache-Control max-age or s-maxage. */
const CACHED_WITH_MAX_AGE = new Set([400, 403, 405, 412, 415]);
/** Status codes CloudFront caches by the origin's headers. */
const CACHED_OK = new Set([200, 203, 206, 300, 301, 410]);

function directives(cacheControl: string | undefined): Map<string, string | true> {
  const out = new Map<string, string | true>();
  if (!cacheControl) return out;
  for (const part of cacheControl.split(',')) {
    const [rawName, ...rest] = part.trim().split('=');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    const value = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
    out.set(name, rest.length ? value : true);
  }
  return out;
}

function seconds(v: string | true | undefined): number | undefined {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/**
 * Seconds CloudFront keeps this response, or 0 for "do not cache". Rules (CloudFront Developer
 * Guide, "Manage how long content stays in the cache (expiration)" and "How CloudFront processes
 * HTTP 4xx and 5xx status codes from your origin"):
 * - 200, 203, 206, 300, 301, 410: `s-maxage`, else `max-age`, else `Expires`, bounded by the
 *   policy's minimum and maximum TTL; no caching header: the default TTL; `no-store`, `no-cache`
 *   or `private`: the minimum TTL (so not cached only when it is 0);
 * - 404, 414, 500–504: the origin's `s-maxage`/`max-age`, else the error caching minimum TTL;
 * - 400, 403, 405, 412, 415: only with the origin's `s-maxage`/`max-age`;
 * - 416 and everything else: never;
 * - a status with a custom error response (`errorPageTtl`): the origin's `s-maxage`/`max-age`,
 *   else that response's error caching minimum TTL.
 */
export function ttlFor(status: number, headers: CfHeaders, ttls: CacheTtls = DEFAULT_TTLS, now = Date.now(), errorPageTtl?: number): number {
  const cc = directives(headerValue(headers, 'cache-control'));
  const shared = seconds(cc.get('s-maxage')) ?? seconds(cc.get('max-age'));
  if (errorPageTtl !== undefined && status >= 400) return shared ?? errorPageTtl;
  if (CACHED_ERRORS.has(status)) return shared ?? ttls.errorTtl;
  if (CACHED_WITH_MAX_AGE.has(status)) return shared ?? 0;
  if (!CACHED_OK.has(status)) return 0;
  if (cc.has('no-store') || cc.has('no-cache') || cc.has('private')) return ttls.minTtl;
  const bound = (s: number): number => Math.min(ttls.maxTtl, Math.max(ttls.minTtl, s));
  if (shared !== undefined) return bound(shared);
  const expires = headerValue(headers, 'expires');
  if (expires !== undefined) {
    const at = Date.parse(expires);
    return bound(Number.isNaN(at) ? 0 : Math.max(0, Math.floor((at - now) / 1000)));
  }
  return bound(ttls.defaultTtl);
}

/** What the cache keeps: the response after origin-response, and the origin's own status. */
export interface CachedResponse {
  readonly status: number;
  readonly statusDescription: string;
  readonly headers: CfHeaders;
  readonly body: Buffer;
  /** The status the origin (or origin-request) gave; viewer-response skips >= 400. */
  readonly originStatus: number;
}

interface Entry {
  readonly value: CachedResponse;
  readonly stored: number;
  readonly expires: number;
  readonly bytes: number;
}

/** An LRU store bounded in bytes, with per-entry expiry. */
export class EdgeCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024, private readonly clock: () => number = Date.now) {}

  /** The cache key under a policy with no query string, header or cookie in it: the path. */
  static key(uri: string): string {
    return uri;
  }

  get(key: string): CachedResponse | undefined {
    return this.lookup(key)?.value;
  }

  /** The entry and its age in whole seconds (CloudFront's `Age` header on a hit). */
  lookup(key: string): { readonly value: CachedResponse; readonly ageSeconds: number } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const now = this.clock();
    if (e.expires <= now) {
      this.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    return { value: e.value, ageSeconds: Math.floor((now - e.stored) / 1000) };
  }

  /** Stores for `ttlSeconds` (nothing when 0 or when the body alone exceeds the cache). */
  set(key: string, value: CachedResponse, ttlSeconds: number): void {
    this.delete(key);
    const bytes = value.body.length + 512;
    if (ttlSeconds <= 0 || bytes > this.maxBytes) return;
    const now = this.clock();
    this.entries.set(key, { value, stored: now, expires: now + ttlSeconds * 1000, bytes });
    this.bytes += bytes;
    for (const [k] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }
}
