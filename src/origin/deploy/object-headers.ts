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

/**
 * Folders whose every file is named by content by the framework that writes them: Next.js
 * `_next/static/`, Astro `_astro/`, SvelteKit `_app/immutable/`, Nuxt `_nuxt/` (hashed chunk names only, below).
 */
const HASHED_FOLDERS = /(^|\/)(_next\/static\/|_astro\/|_app\/immutable\/)/;

/** Hex digests: webpack `[contenthash]` (20 by default, often cut to 8), Parcel (8), Angular (16), CRA `main.1a2b3c4d.js`. */
const HEX = /^[0-9a-f]{8,64}$/;
/** esbuild `[hash]`: 8 characters of base32 (A-Z, 2-7). */
const BASE32 = /^[A-Z2-7]{8}$/;
/** Rollup/Vite `[hash]`: 8 characters of base64url (A-Z, a-z, 0-9, "_", "-"). */
const BASE64URL = /^[A-Za-z0-9_-]{8}$/;

/** A word, a camel-case word or a word with a number (`DarkMode`, `Logo2024`, `version2`): a name, not a hash. */
function wordLike(token: string): boolean {
  return /^([A-Z]?[a-z]{2,}|[A-Z]{2,})+\d*$/.test(token) || /^[a-z]+\d+$/.test(token);
}

/** Does this token look like a bundler's digest? Each alphabet needs letters and digits (or case) a name would not mix so. */
export function isHashToken(token: string): boolean {
  if (HEX.test(token)) return /\d/.test(token) && /[a-f]/.test(token);
  if (BASE32.test(token)) return /[2-7]/.test(token) && /[A-Z]/.test(token) && !/^[A-Z]+\d+$/.test(token);
  if (BASE64URL.test(token)) return /[A-Z]/.test(token) && /[a-z]/.test(token) && !wordLike(token);
  return false;
}

/** The places a bundler puts a digest in a file name (the name without its folders). */
function hashCandidates(name: string): string[] {
  const parts = name.split('.');
  const stem = parts[0]!;
  const out: string[] = [];
  // name-[hash].ext (Vite, Rollup, esbuild): the last 8 characters after a "-" or "_" (a base64url hash may itself hold "-" or "_").
  const tail = /[-_.]([A-Za-z0-9_-]{8})$/.exec(stem)?.[1];
  if (tail) out.push(tail);
  const afterDash = stem.slice(stem.lastIndexOf('-') + 1);
  if (afterDash !== stem) out.push(afterDash);
  // [hash].ext (Nuxt chunks, webpack `[contenthash].js`).
  out.push(stem);
  // name.[hash].ext, name.[hash].chunk.js, name.[hash].js.map (webpack, Parcel, CRA, Angular).
  for (const p of parts.slice(1, -1)) out.push(p);
  return out;
}

/** Is this key named by its content, so that it can be cached for a year? */
export function isContentHashed(key: string): boolean {
  if (HASHED_FOLDERS.test(key)) return true;
  const name = key.slice(key.lastIndexOf('/') + 1);
  return hashCandidates(name).some(isHashToken);
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
