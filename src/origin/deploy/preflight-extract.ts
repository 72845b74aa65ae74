/**
 * The references a site's documents make, read with real parsers: HTML with parse5 (the WHATWG
 * parsing algorithm browsers use, with source locations), CSS with @csstools/css-tokenizer (CSS
 * Syntax Level 3), web app manifests as JSON. Pure: text in, references with their lines out.
 *
 * What a page fetches is an `asset` (src, srcset, poster, data, link rel=icon/preload/…, SVG
 * href, url() in style attributes and <style>); a stylesheet or manifest it links is fetched and
 * then read for its own references; `<a href>` and other navigation is a `link`, checked only when
 * the config asks for it.
 */
import { isTokenAtKeyword, isTokenFunction, isTokenString, isTokenURL, tokenize, type CSSToken } from '@csstools/css-tokenizer';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { checkReferences, type DocumentCheck, type DocumentKind, type PreflightSettings, type SiteIndex } from './preflight';

export type ReferenceRole = 'asset' | 'stylesheet' | 'manifest' | 'link';

export interface Reference {
  /** The reference as written (entities decoded). */
  readonly url: string;
  /** 1-based line in the document, when known. */
  readonly line?: number;
  /** Where it was written, e.g. `<img src>`, `<style> url()`, `icons[0].src`. */
  readonly via: string;
  readonly role: ReferenceRole;
}

export interface DocumentReferences {
  readonly references: readonly Reference[];
  /** `<base href>`: relative references resolve against it instead of the document's URL. */
  readonly base?: string;
  /** The document could not be read as what it claims to be (a manifest that is not JSON). */
  readonly problem?: string;
}

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Line starts of a text, for turning offsets into 1-based lines. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function newlinesBefore(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

// ---- CSS ------------------------------------------------------------------------------------

interface CssReference {
  readonly url: string;
  readonly offset: number;
  readonly via: string;
  /** An @import: a stylesheet, read in turn. */
  readonly isImport: boolean;
}

const IMAGE_SET = new Set(['image-set', '-webkit-image-set']);

function isSpace(t: CSSToken | undefined): boolean {
  return t !== undefined && (t[0] === 'whitespace-token' || t[0] === 'comment');
}

/** url(), src(), @import and image-set() strings in a style sheet or a style attribute's declarations. */
export function cssReferences(css: string): CssReference[] {
  const tokens = tokenize({ css }, { onParseError: () => undefined });
  const out: CssReference[] = [];
  // Open function and bracket tokens; `imageSet` is the depth of an open image-set(), if any.
  let depth = 0;
  let imageSet = -1;
  const next = (i: number): number => {
    let j = i + 1;
    while (isSpace(tokens[j])) j++;
    return j;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const importing = (): boolean => {
      let j = i - 1;
      while (isSpace(tokens[j])) j--;
      const prev = tokens[j];
      return prev !== undefined && isTokenAtKeyword(prev) && prev[4].value.toLowerCase() === 'import';
    };
    if (isTokenURL(t)) out.push({ url: t[4].value, offset: t[2], via: 'url()', isImport: importing() });
    else if (isTokenFunction(t)) {
      const name = t[4].value.toLowerCase();
      depth++;
      if ((name === 'url' || name === 'src') && tokens[next(i)] && isTokenString(tokens[next(i)]!)) {
        const s = tokens[next(i)]!;
        out.push({ url: (s as Extract<CSSToken, { 0: 'string-token' }>)[4].value, offset: s[2], via: `${name}()`, isImport: importing() });
      } else if (IMAGE_SET.has(name) && imageSet === -1) imageSet = depth;
    } else if (t[0] === '(-token' || t[0] === '[-token' || t[0] === '{-token') depth++;
    else if (t[0] === ')-token' || t[0] === ']-token' || t[0] === '}-token') {
      if (depth === imageSet) imageSet = -1;
      depth = Math.max(0, depth - 1);
    } else if (isTokenString(t)) {
      if (imageSet !== -1 && depth === imageSet) out.push({ url: t[4].value, offset: t[2], via: 'image-set()', isImport: false });
      else if (depth === 0 && importing()) out.push({ url: t[4].value, offset: t[2], via: '@import', isImport: true });
    }
  }
  return out;
}

/** A style sheet's references (url(), @import) with their lines. */
export function stylesheetReferences(css: string): DocumentReferences {
  const lineAt = lineIndex(css);
  return { references: cssReferences(css).map((r) => ({ url: r.url, line: lineAt(r.offset), via: r.isImport ? '@import' : r.via, role: r.isImport ? 'stylesheet' : 'asset' })) };
}

// ---- srcset ---------------------------------------------------------------------------------

/** The URLs of a srcset attribute (HTML's "parse a srcset attribute": URLs may hold commas, descriptors may hold parentheses). */
export function srcsetUrls(value: string): { url: string; offset: number }[] {
  const out: { url: string; offset: number }[] = [];
  const space = /[\t\n\f\r ]/;
  let pos = 0;
  while (pos < value.length) {
    while (pos < value.length && (space.test(value[pos]!) || value[pos] === ',')) pos++;
    if (pos >= value.length) break;
    const start = pos;
    while (pos < value.length && !space.test(value[pos]!)) pos++;
    let url = value.slice(start, pos);
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      // Descriptors, up to a comma outside parentheses.
      let parens = 0;
      while (pos < value.length) {
        const c = value[pos]!;
        if (c === '(') parens++;
        else if (c === ')') parens = Math.max(0, parens - 1);
        else if (c === ',' && parens === 0) break;
        pos++;
      }
    }
    if (url !== '') out.push({ url, offset: start });
  }
  return out;
}

// ---- HTML -----------------------------------------------------------------------------------

/** Attributes whose value is one URL a page fetches, by element (lower-case names; SVG ones too). */
const FETCHED: Readonly<Record<string, readonly string[]>> = {
  img: ['src'],
  source: ['src'],
  script: ['src', 'href', 'xlink:href'],
  iframe: ['src'],
  frame: ['src'],
  embed: ['src'],
  audio: ['src'],
  video: ['src', 'poster'],
  track: ['src'],
  object: ['data'],
  image: ['href', 'xlink:href'],
  use: ['href', 'xlink:href'],
  feimage: ['href', 'xlink:href'],
};

/** Attributes holding a srcset. */
const SRCSET: Readonly<Record<string, string>> = { img: 'srcset', source: 'srcset', link: 'imagesrcset' };

/** Navigation: followed by the viewer, not fetched by the page. */
const NAVIGATION: Readonly<Record<string, readonly string[]>> = { a: ['href', 'xlink:href'], area: ['href'] };

/** link rel values that fetch the linked file for the page. */
const FETCHING_RELS = new Set(['icon', 'shortcut', 'apple-touch-icon', 'apple-touch-icon-precomposed', 'mask-icon', 'preload', 'modulepreload', 'prefetch', 'prerender', 'fluid-icon']);
/** link rel values that name an origin, not a file. */
const ORIGIN_RELS = new Set(['preconnect', 'dns-prefetch']);

/** Elements that may reference a file by an attribute (besides any element's `style`). */
const RELEVANT = new Set([...Object.keys(FETCHED), ...Object.keys(NAVIGATION), ...Object.keys(SRCSET), 'input', 'link', 'base']);

function attrName(a: { name: string; prefix?: string }): string {
  return (a.prefix ? `${a.prefix}:${a.name}` : a.name).toLowerCase();
}

function linkRole(rel: string): ReferenceRole | undefined {
  const rels = rel.toLowerCase().split(/[\t\n\f\r ]+/).filter(Boolean);
  if (rels.includes('stylesheet')) return 'stylesheet';
  if (rels.includes('manifest')) return 'manifest';
  if (rels.some((r) => FETCHING_RELS.has(r))) return 'asset';
  if (rels.length > 0 && rels.every((r) => ORIGIN_RELS.has(r))) return undefined;
  // canonical, alternate, next, prev, …: pages, like <a href>.
  return 'link';
}

/** The references of an HTML document, in document order, with the line of each. */
export function htmlReferences(html: string): DocumentReferences {
  // scriptingEnabled: false parses <noscript> content as markup, so its images count too.
  const doc = parse(html, { sourceCodeLocationInfo: true, scriptingEnabled: false });
  const lineAt = lineIndex(html);
  const out: Reference[] = [];
  let base: string | undefined;

  const visit = (node: Node): void => {
    if ('tagName' in node) element(node);
    const children = 'childNodes' in node ? node.childNodes : [];
    for (const child of children) visit(child);
    if ('content' in node && node.content) for (const child of node.content.childNodes) visit(child);
  };

  const element = (el: Element): void => {
    const tag = el.tagName.toLowerCase();
    // Most elements (p, div, span, …) reference nothing: leave them before any allocation.
    if (tag !== 'style' && !RELEVANT.has(tag) && !el.attrs.some((a) => a.name === 'style')) return;
    const attrs = new Map(el.attrs.map((a) => [attrName(a), a.value]));
    const locations = el.sourceCodeLocation?.attrs ?? {};
    const lineOf = (name: string): number | undefined => {
      const loc = locations[name] ?? locations[name.split(':').pop()!];
      return loc?.startLine ?? el.sourceCodeLocation?.startLine;
    };
    const add = (name: string, role: ReferenceRole, value = attrs.get(name)): void => {
      if (value === undefined) return;
      const line = lineOf(name);
      out.push({ url: value, ...(line !== undefined ? { line } : {}), via: `<${tag} ${name}>`, role });
    };

    if (tag === 'base' && base === undefined && attrs.has('href')) base = attrs.get('href');
    for (const name of FETCHED[tag] ?? []) add(name, 'asset');
    if (tag === 'input' && attrs.get('type')?.toLowerCase() === 'image') add('src', 'asset');
    for (const name of NAVIGATION[tag] ?? []) add(name, 'link');
    if (tag === 'link' && attrs.has('href')) {
      const role = linkRole(attrs.get('rel') ?? '');
      if (role) add('href', role);
    }
    const srcsetName = SRCSET[tag];
    const srcset = srcsetName ? attrs.get(srcsetName) : undefined;
    if (srcsetName && srcset !== undefined) {
      const first = lineOf(srcsetName);
      for (const candidate of srcsetUrls(srcset)) {
        const line = first !== undefined ? first + newlinesBefore(srcset, candidate.offset) : undefined;
        out.push({ url: candidate.url, ...(line !== undefined ? { line } : {}), via: `<${tag} ${srcsetName}>`, role: 'asset' });
      }
    }
    const style = attrs.get('style');
    if (style !== undefined) {
      const first = lineOf('style');
      for (const r of cssReferences(style)) {
        const line = first !== undefined ? first + newlinesBefore(style, r.offset) : undefined;
        out.push({ url: r.url, ...(line !== undefined ? { line } : {}), via: `<${tag} style> ${r.via}`, role: 'asset' });
      }
    }
    if (tag === 'style') {
      for (const child of el.childNodes) {
        if (child.nodeName !== '#text' || !('value' in child)) continue;
        const start = child.sourceCodeLocation?.startOffset;
        for (const r of cssReferences(child.value)) {
          const line = start !== undefined ? lineAt(start + r.offset) : undefined;
          out.push({ url: r.url, ...(line !== undefined ? { line } : {}), via: `<style> ${r.isImport ? '@import' : r.via}`, role: r.isImport ? 'stylesheet' : 'asset' });
        }
      }
    }
  };

  visit(doc);
  return { references: out, ...(base !== undefined ? { base } : {}) };
}

// ---- Web app manifest -----------------------------------------------------------------------

/** The icons, screenshots and shortcuts of a web app manifest (W3C Web Application Manifest); lines found by the value's text. */
export function manifestReferences(text: string): DocumentReferences {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { references: [], problem: `not valid JSON (${(err as Error).message})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { references: [], problem: 'not a JSON object' };
  const m = json as Record<string, unknown>;
  const found: { url: string; via: string; role: ReferenceRole }[] = [];
  const images = (list: unknown, via: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      if (item && typeof item === 'object' && typeof (item as { src?: unknown }).src === 'string') found.push({ url: (item as { src: string }).src, via: `${via}[${i}].src`, role: 'asset' });
    });
  };
  images(m.icons, 'icons');
  images(m.screenshots, 'screenshots');
  if (Array.isArray(m.shortcuts)) {
    m.shortcuts.forEach((s, i) => {
      if (!s || typeof s !== 'object') return;
      const shortcut = s as Record<string, unknown>;
      if (typeof shortcut.url === 'string') found.push({ url: shortcut.url, via: `shortcuts[${i}].url`, role: 'link' });
      images(shortcut.icons, `shortcuts[${i}].icons`);
    });
  }
  if (typeof m.start_url === 'string') found.push({ url: m.start_url, via: 'start_url', role: 'link' });
  const lineAt = lineIndex(text);
  let cursor = 0;
  const references = found.map((f) => {
    const needle = JSON.stringify(f.url);
    let at = text.indexOf(needle, cursor);
    if (at === -1) at = text.indexOf(needle);
    if (at !== -1) cursor = at + needle.length;
    return { ...f, ...(at !== -1 ? { line: lineAt(at) } : {}) };
  });
  return { references };
}

/** The references of a document of this kind. */
export function referencesOf(kind: DocumentKind, text: string): DocumentReferences {
  if (kind === 'html') return htmlReferences(text);
  if (kind === 'stylesheet') return stylesheetReferences(text);
  return manifestReferences(text);
}

/** Parses one document and checks its references (preflight.ts checkReferences). */
export function checkDocument(doc: { readonly key: string; readonly kind: DocumentKind; readonly text: string }, site: SiteIndex, settings: PreflightSettings): DocumentCheck {
  return checkReferences(doc, referencesOf(doc.kind, doc.text), site, settings);
}
