/**
 * Where a reference in the site leads, resolved the way a browser and then edgelock's edge do it:
 * the WHATWG URL parser against the referring document's URL (relative paths against its folder,
 * root-relative against the site root, `..` clamped at the root, the query string and fragment
 * dropped), then the edge's own URI normalisation (src/edge/uri.ts: decode once, refuse what the
 * origin-request guard refuses) and routing (src/edge/origin-path.ts: `dir/` → `dir/index.html`,
 * an extensionless path → the SPA fallback or, with pretty URLs, `path/index.html`).
 *
 * Keys are under the site root, without deploy.prefix: the distribution's origin path adds the
 * prefix back, so the viewer's `/about.html` is the prefix's `about.html`.
 */
import { originObject, type Route } from '../../edge/origin-path';
import { parseUri } from '../../edge/uri';

/** The site's own origin for resolving (never requested: `.invalid` is reserved, RFC 2606). */
export const SITE_ORIGIN = 'https://site.edgelock.invalid';

/** How the edge routes paths to keys, and which other hosts are the site itself. */
export interface SiteRouting {
  readonly prettyUrls: boolean;
  readonly spaFallback?: string;
  readonly maxUriLength: number;
  /** Hosts that serve this site (the environment's domain): absolute URLs to them are local too. */
  readonly hosts: readonly string[];
}

export type Resolution =
  /** Not a file of this site: another origin, or a scheme that is not fetched from it (data:, mailto:, tel:, javascript:, …). */
  | { readonly kind: 'elsewhere' }
  /** The document itself or a place in it (`""`, `#top`): nothing to fetch. */
  | { readonly kind: 'self' }
  /** Not a URL a browser can parse. */
  | { readonly kind: 'invalid'; readonly reason: string }
  /** A path of the site that the edge refuses (400), so nothing could ever be served there. */
  | { readonly kind: 'refused'; readonly path: string; readonly reason: string }
  /** A path of the site and the key the edge asks S3 for (under the site root). */
  | { readonly kind: 'key'; readonly path: string; readonly key: string; readonly route: Route };

/** The URL a key of the site is served at (its own path; see {@link viewerUrls} for the others). */
export function keyUrl(key: string): URL {
  return new URL(`/${key.split('/').map(encodeURIComponent).join('/')}`, SITE_ORIGIN);
}

/**
 * The URLs a document is served at whose folders differ: `docs/index.html` at `/docs/index.html`
 * (and `/docs/`, the same folder) and, with pretty URLs, at `/docs`, where a relative reference
 * resolves against the site root instead. The key's own URL comes first.
 */
export function viewerUrls(key: string, routing: SiteRouting): URL[] {
  const aliases = originObject(`/${key}`, routing).aliases;
  const seen = new Set<string>();
  const out: URL[] = [];
  for (const alias of aliases) {
    const url = new URL(alias.split('/').map(encodeURIComponent).join('/'), SITE_ORIGIN);
    const folder = url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
    if (seen.has(folder)) continue;
    seen.add(folder);
    out.push(url);
  }
  return out;
}

/** Whether a URL is on this site (the resolving origin, or one of the site's own hosts over http/https). */
function onSite(url: URL, routing: SiteRouting): boolean {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.origin === SITE_ORIGIN) return true;
  return routing.hosts.some((h) => h.toLowerCase() === url.hostname);
}

/** Resolves a reference (an attribute value, a CSS url(), a manifest src) against `base`. */
export function resolveReference(raw: string, base: URL, routing: SiteRouting): Resolution {
  // URL attributes are stripped of leading and trailing ASCII whitespace before parsing (HTML).
  const ref = raw.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
  if (ref === '' || ref.startsWith('#')) return { kind: 'self' };
  let url: URL;
  try {
    url = new URL(ref, base);
  } catch {
    return { kind: 'invalid', reason: 'not a URL a browser can parse' };
  }
  if (!onSite(url, routing)) return { kind: 'elsewhere' };
  // The query string and the fragment never reach S3's key (the guard drops the query).
  const parsed = parseUri(url.pathname, routing.maxUriLength);
  if (!parsed.ok) return { kind: 'refused', path: url.pathname, reason: parsed.reason };
  const object = originObject(parsed.path, routing);
  return { kind: 'key', path: parsed.path, key: object.key.slice(1), route: object.route };
}
