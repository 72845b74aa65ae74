/**
 * Pre-flight: before anything is uploaded, every reference the site's HTML makes to a file of the
 * site (src, href, srcset, poster, url() in style attributes and <style>, the stylesheets and web
 * app manifests it links, and what those reference in turn) must lead to a file this deploy
 * publishes, resolved as the browser and the edge resolve it (preflight-resolve.ts). A missing one
 * refuses the deploy, naming each file, line and reference (DEPLOY_REFUSED_MISSING_REFERENCES).
 *
 * Pure: the documents' references in (preflight-extract.ts), the missing ones out. preflight-read.ts
 * reads the files.
 */
import type { ResolvedConfig, ResolvedEnvironment } from '../../config/schema';
import { EdgelockError } from '../../errors';
import { patternMatcher } from './patterns';
import type { DocumentReferences, Reference } from './preflight-extract';
import { keyUrl, resolveReference, viewerUrls, type Resolution, type SiteRouting } from './preflight-resolve';

export type DocumentKind = 'html' | 'stylesheet' | 'manifest';

export interface PreflightSettings {
  readonly routing: SiteRouting;
  /** deploy.preflight.ignore: gitignore-style patterns over the referenced key (or path) under the site root. */
  readonly ignore: readonly string[];
  /** deploy.preflight.links: also check navigation (`<a href>`, `<link rel=canonical>`, a manifest's start_url). */
  readonly links: boolean;
}

/** What the site publishes, keys under the site root (without deploy.prefix). */
export interface SiteIndex {
  readonly published: ReadonlySet<string>;
  /** Files of the folder that are not published, and why. */
  readonly skipped: ReadonlyMap<string, string>;
  /** Published keys by their lower-case form (for "S3 keys are case-sensitive"). */
  readonly byLowerCase: ReadonlyMap<string, string>;
}

export function siteIndex(published: Iterable<string>, skipped: Iterable<{ readonly key: string; readonly reason: string }> = []): SiteIndex {
  const keys = new Set(published);
  return { published: keys, skipped: new Map([...skipped].map((s) => [s.key, s.reason])), byLowerCase: new Map([...keys].map((k) => [k.toLowerCase(), k])) };
}

export interface MissingReference {
  /** The referring file, under the site root. */
  readonly file: string;
  readonly line?: number;
  /** How it was referenced, e.g. `<img src>`. */
  readonly via: string;
  /** The reference as written. */
  readonly reference: string;
  /** The key (under the site root) it leads to, when it leads to one. */
  readonly target?: string;
  /** What is wrong, with a hint where one helps. */
  readonly problem: string;
}

/** A key the site's documents reference that the site does not publish: never pruned while they do. */
export interface HeldReference {
  readonly key: string;
  /** Where, e.g. `index.html:12`. */
  readonly where: string;
}

export interface DocumentCheck {
  readonly missing: readonly MissingReference[];
  /**
   * Keys referenced (at the document's own URL) that the site does not publish, whether or not they
   * refuse the deploy: those deploy.preflight.ignore lets through and unchecked links included.
   */
  readonly held: readonly HeldReference[];
  /** Stylesheets and manifests of the site this document links: read and checked in turn. */
  readonly follow: readonly { readonly key: string; readonly kind: DocumentKind }[];
}

/** The pre-flight settings of an environment: the edge's routing from `origin`, the site's own domain, deploy.preflight. */
export function preflightSettings(config: ResolvedConfig, env: ResolvedEnvironment): PreflightSettings {
  return {
    routing: {
      prettyUrls: config.origin.prettyUrls,
      ...(config.origin.spaFallback ? { spaFallback: config.origin.spaFallback } : {}),
      maxUriLength: config.origin.maxUriLength,
      hosts: env.domain ? [env.domain] : [],
    },
    ignore: config.deploy.preflight.ignore,
    links: config.deploy.preflight.links,
  };
}

/** Why a key the site does not publish is missing, with what would fix it. */
function missingKey(r: Extract<Resolution, { kind: 'key' }>, site: SiteIndex, routing: SiteRouting): string {
  const { key, path } = r;
  if (r.route === 'spa') return `${path} is served by the SPA fallback ${routing.spaFallback ?? ''}, which is not in the site`;
  const hints: string[] = [];
  const skipped = site.skipped.get(key);
  if (skipped) hints.push(`it is in the site folder but not published: ${skipped}`);
  const other = site.byLowerCase.get(key.toLowerCase());
  if (other && other !== key) hints.push(`the site has ${other}: S3 keys are case-sensitive`);
  const bare = path.replace(/\/$/, '');
  const has = (k: string): boolean => site.published.has(k);
  if (r.route === 'pretty' && has(`${bare.slice(1)}.html`)) {
    hints.push(`with origin.prettyUrls, ${path} is served from ${key}; link ${bare}.html, or move ${bare.slice(1)}.html to ${key}`);
  } else if (r.route === 'as-is' && !/\.[^/]*$/.test(path)) {
    if (has(`${key}/index.html`)) hints.push(`${path} is the key "${key}" (origin.prettyUrls is off): link ${path}/ or turn on origin.prettyUrls`);
    else if (has(`${key}.html`)) hints.push(`link ${path}.html: the edge does not add ".html"`);
  } else if (r.route === 'index' && bare !== '' && has(`${bare.slice(1)}.html`)) {
    hints.push(`link ${bare}.html: ${path} is served from ${key}`);
  }
  return `${key} is not in the site${hints.length ? ` (${hints.join('; ')})` : ''}`;
}

/**
 * Checks one document's references (what preflight-extract.ts found in it) against what the site
 * publishes. An HTML page is checked at every URL it is served at whose folder differs (with pretty
 * URLs, `docs/index.html` is also `/docs`, where `img.png` means `/img.png`); a `<base href>`
 * replaces the page's URL.
 */
export function checkReferences(doc: { readonly key: string; readonly kind: DocumentKind }, found: DocumentReferences, site: SiteIndex, settings: PreflightSettings): DocumentCheck {
  const { routing } = settings;
  const missing: MissingReference[] = [];
  const follow: { key: string; kind: DocumentKind }[] = [];
  const held: HeldReference[] = [];
  if (found.problem) {
    missing.push({ file: doc.key, via: doc.kind, reference: doc.key, problem: `${doc.key} is linked as a ${doc.kind}, but it is ${found.problem}` });
    return { missing, held, follow };
  }
  const ignored = patternMatcher(settings.ignore);
  const pages = doc.kind === 'html' ? viewerUrls(doc.key, routing) : [keyUrl(doc.key)];
  const bases = pages.map((page) => {
    if (found.base === undefined) return { page, base: page };
    try {
      return { page, base: new URL(found.base, page) };
    } catch {
      return { page, base: page };
    }
  });

  // A page often repeats a reference (an icon, a stylesheet): resolve each (URL, base) once.
  const resolved = new Map<string, Resolution>();
  const resolve = (url: string, base: URL): Resolution => {
    const id = `${base.href}\n${url}`;
    let r = resolved.get(id);
    if (!r) resolved.set(id, (r = resolveReference(url, base, routing)));
    return r;
  };
  const judge = (ref: Reference, base: URL): { problem?: string; key?: string; target?: string } => {
    const r = resolve(ref.url, base);
    switch (r.kind) {
      case 'self':
      case 'elsewhere':
        return {};
      case 'invalid':
        return { problem: r.reason };
      case 'refused':
        return ignored(r.path.slice(1)) ? {} : { problem: `the edge refuses ${r.path} (${r.reason}), so nothing can be served there` };
      case 'key':
        if (ignored(r.key) || ignored(r.path.slice(1).replace(/\/$/, ''))) return {};
        if (site.published.has(r.key)) return { key: r.key };
        return { problem: missingKey(r, site, routing), target: r.key };
    }
  };

  for (const ref of found.references) {
    const own = resolve(ref.url, bases[0]!.base);
    if (own.kind === 'key' && !site.published.has(own.key)) held.push({ key: own.key, where: `${doc.key}${ref.line !== undefined ? `:${ref.line}` : ''}` });
    if (ref.role === 'link' && !settings.links) continue;
    for (const [i, { page, base }] of bases.entries()) {
      const verdict = judge(ref, base);
      if (verdict.problem) {
        const where = i === 0 ? '' : ` when the page is viewed at ${decodeURIComponent(page.pathname)} (as origin.prettyUrls serves it too)`;
        missing.push({ file: doc.key, ...(ref.line !== undefined ? { line: ref.line } : {}), via: ref.via, reference: ref.url, ...(verdict.target !== undefined ? { target: verdict.target } : {}), problem: `${verdict.problem}${where}` });
        break;
      }
      if (i === 0 && verdict.key && (ref.role === 'stylesheet' || ref.role === 'manifest')) follow.push({ key: verdict.key, kind: ref.role });
    }
  }
  return { missing, held, follow };
}

/** Most missing references listed in the refusal; the rest are counted. */
export const MAX_LISTED = 50;

/** A gitignore-style pattern that would ignore a missing key: its top folder, or the key itself. */
function suggestedPattern(m: MissingReference): string {
  const key = m.target;
  if (key === undefined) return '/api/';
  const slash = key.indexOf('/');
  return slash > 0 ? `/${key.slice(0, slash + 1)}` : `/${key}`;
}

/** The refusal for missing references, if there are any. */
export function refuseMissingReferences(missing: readonly MissingReference[]): EdgelockError | undefined {
  if (missing.length === 0) return undefined;
  const sorted = [...missing].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const lines = sorted.slice(0, MAX_LISTED).map((m) => `  ${m.file}${m.line !== undefined ? `:${m.line}` : ''} ${m.via} "${m.reference}": ${m.problem}`);
  if (sorted.length > MAX_LISTED) lines.push(`  … and ${sorted.length - MAX_LISTED} more`);
  const files = new Set(sorted.map((m) => m.file)).size;
  return new EdgelockError(
    `refusing to deploy: ${sorted.length} reference(s) in ${files} file(s) lead to files the site does not have, and nothing was written:\n${lines.join('\n')}\n` +
      'Add the missing files to the site folder or fix the references. For paths the site does not serve itself (another process\'s uploads, an API behind another behaviour), ' +
      `name them in deploy.preflight.ignore (gitignore-style), e.g. preflight: { ignore: [${JSON.stringify(suggestedPattern(sorted[0]!))}] }.`,
    { code: 'DEPLOY_REFUSED_MISSING_REFERENCES' },
  );
}
