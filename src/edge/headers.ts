/**
 * A small library over CloudFront's header map: lower-case names mapping to arrays of
 * `{ key, value }` (one element per occurrence). Its writes keep that shape. The handlers read and
 * write requests through it; the one exception is src/edge/security-headers.ts, which writes its
 * precomputed entries (lower-case name, key, value) into the map directly, in the same shape, on
 * the per-request path. Pure functions; the map is changed in place.
 */

import type { CfHeader, CfHeaders } from './cloudfront/types';

export type { CfHeader, CfHeaders };

/** The first value of a header, or undefined when it is absent. Name matching ignores case. */
export function getHeader(headers: CfHeaders | undefined, name: string): string | undefined {
  return headers?.[name.toLowerCase()]?.[0]?.value;
}

/** Every value of a header (one per occurrence), in order. */
export function getHeaderValues(headers: CfHeaders | undefined, name: string): string[] {
  return (headers?.[name.toLowerCase()] ?? []).map((h) => h.value);
}

/** Whether the header is present at least once. */
export function hasHeader(headers: CfHeaders | undefined, name: string): boolean {
  return (headers?.[name.toLowerCase()]?.length ?? 0) > 0;
}

/**
 * Sets a header to exactly one value, replacing every earlier occurrence. `name` is written as
 * the `key` (its spelling is what viewers see); the map key is its lower-case form.
 */
export function setHeader(headers: CfHeaders, name: string, value: string): CfHeaders {
  headers[name.toLowerCase()] = [{ key: name, value }];
  return headers;
}

/** Adds one more occurrence of a header, keeping the others. */
export function appendHeader(headers: CfHeaders, name: string, value: string): CfHeaders {
  const lower = name.toLowerCase();
  const list = headers[lower];
  if (list) list.push({ key: name, value });
  else headers[lower] = [{ key: name, value }];
  return headers;
}

/** Removes every occurrence of a header. */
export function removeHeader(headers: CfHeaders, name: string): CfHeaders {
  delete headers[name.toLowerCase()];
  return headers;
}

/**
 * A header name pattern: an exact lower-case name, or a prefix ending in "*"
 * ("x-amz-meta-*"). Compiled once into a predicate.
 */
export function headerMatcher(patterns: readonly string[]): (lowerName: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    const lower = p.toLowerCase();
    if (lower.endsWith('*')) prefixes.push(lower.slice(0, -1));
    else exact.add(lower);
  }
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}
