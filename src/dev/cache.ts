/**
 * The edge cache: how long CloudFront keeps a response (from the origin's Cache-Control and
 * Expires, bounded by the cache policy's TTLs) and an in-memory LRU store keyed by path and
 * query string (a cache policy with no headers or cookies in the key).
 */
import { getHeader as headerValue, type CfHeaders } from '../edge/headers';

/** A cache policy's TTL bounds, in seconds (CloudFront's defaults for a new cache policy). */
export interface CacheTtls {
  /** @default 0 */
  readonly minTtl: number;
  /** @default 86400 */
  readonly defaultTtl: number;
  /** @default 31536000 */
  readonly maxTtl: number;
  /** Error caching minimum TTL for 4xx/5xx answers. @default 10 */
  readonly errorTtl: number;
}

export const DEFAULT_TTLS: CacheTtls = Object.freeze({ minTtl: 0, defaultTtl: 86_400, maxTtl: 31_536_000, errorTtl: 10 });

/** Status codes CloudFront caches as errors (for the error caching minimum TTL). */
const CACHED_ERRORS = new Set([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);
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
 * Guide, "Managing how long content stays in the cache"):
 * - `no-store`, `no-cache` or `private` with a minimum TTL of 0: not cached;
 * - `s-maxage`, else `max-age`, else `Expires`, bounded by the minimum and maximum TTL;
 * - no caching header: the default TTL;
 * - cacheable errors (403, 404, 5xx, ...): the error caching minimum TTL.
 */
export function ttlFor(status: number, headers: CfHeaders, ttls: CacheTtls = DEFAULT_TTLS, now = Date.now()): number {
  if (CACHED_ERRORS.has(status)) return ttls.errorTtl;
  if (!CACHED_OK.has(status)) return 0;
  const cc = directives(headerValue(headers, 'cache-control'));
  if (cc.has('no-store') || cc.has('no-cache') || cc.has('private')) return ttls.minTtl;
  const bound = (s: number): number => Math.min(ttls.maxTtl, Math.max(ttls.minTtl, s));
  const shared = seconds(cc.get('s-maxage')) ?? seconds(cc.get('max-age'));
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

  /** The cache key: CloudFront's default behaviour for a policy with query strings only. */
  static key(uri: string, querystring: string): string {
    return querystring ? `${uri}?${querystring}` : uri;
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
