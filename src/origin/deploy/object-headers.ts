/**
 * Content-Type and Cache-Control for each object: the MIME type from mime-types (with a charset
 * for text), the cache rule from the config (first match wins) or edgelock's defaults.
 */
import { contentType as mimeContentType } from 'mime-types';
import picomatch from 'picomatch';

export interface CacheRule {
  readonly match: string;
  readonly cacheControl: string;
}

/** Cache-Control used when no rule matches and no rules are configured. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';
/** Files that change without changing name: revalidate, but let caches keep them briefly. */
export const SHORT_CACHE = 'public, max-age=300, must-revalidate';

/** A token of 8+ letters and digits (both) before the extension, e.g. `app.3f9a1c2b.js`, `chunk-5GJ6ZTLQ.css`. */
const HASH_TOKEN = /[.-]([0-9A-Za-z_]{8,})\.[A-Za-z0-9]+$/;

export function isContentHashed(key: string): boolean {
  const token = HASH_TOKEN.exec(key.slice(key.lastIndexOf('/') + 1))?.[1];
  return token !== undefined && /\d/.test(token) && /[A-Za-z]/.test(token);
}

export function contentTypeFor(key: string): string {
  return mimeContentType(key.slice(key.lastIndexOf('/') + 1)) || 'application/octet-stream';
}

/** Compiles the rules once; returns key → Cache-Control. */
export function cacheControlResolver(rules: readonly CacheRule[] | undefined): (key: string) => string {
  const compiled = (rules ?? []).map((r) => ({ test: picomatch(r.match, { dot: true }), value: r.cacheControl }));
  return (key) => {
    for (const r of compiled) if (r.test(key)) return r.value;
    if (/\.html?$/i.test(key)) return NO_CACHE;
    if (isContentHashed(key)) return IMMUTABLE;
    return SHORT_CACHE;
  };
}
