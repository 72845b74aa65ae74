/**
 * Runs the pre-flight over the site folder: reads every published HTML page, then the stylesheets
 * and web app manifests they link (and the stylesheets those import), each once, and checks each
 * document's references (preflight.ts). Reads local files only; nothing goes to S3. With a
 * reference cache (reference-cache.ts), a document whose bytes were parsed before is not read or
 * parsed again, and the parsers (parse5, the CSS tokenizer) load only when one must be.
 */
import { readFile } from 'node:fs/promises';
import { runPool } from '../pool';
import { isHtml } from './changes';
import type { LocalFile } from './local-files';
import { checkReferences, siteIndex, type DocumentCheck, type DocumentKind, type MissingReference, type PreflightSettings } from './preflight';
import type { DocumentReferences } from './preflight-extract';
import type { ReferenceCache } from './reference-cache';
import type { SkippedFile } from './site-filter';

/** Documents read at once. */
const READ_CONCURRENCY = 16;

export interface PreflightResult {
  /** References that lead to files the site does not have: they refuse the deploy. */
  readonly missing: readonly MissingReference[];
  /**
   * Keys (with `prefix`) the site still references but does not publish, and the first place that
   * does (ignored references, unchecked links): the prune keeps them.
   */
  readonly held: ReadonlyMap<string, string>;
  /** Documents checked, by whether their references came from the cache or from parsing them. */
  readonly documents: { readonly cached: number; readonly parsed: number };
}

/**
 * Checks the site's references. `files` are the published files (keys with `prefix`), `skipped`
 * the folder's files that are not published (keys without it).
 */
export async function preflightSite(files: readonly LocalFile[], skipped: readonly SkippedFile[], prefix: string, settings: PreflightSettings, cache?: ReferenceCache): Promise<PreflightResult> {
  const byKey = new Map(files.map((f) => [f.key.slice(prefix.length), f]));
  let parsed = 0;
  const referencesOf = async (kind: DocumentKind, file: LocalFile): Promise<DocumentReferences> => {
    const known = cache?.get(kind, file.md5);
    if (known) return known;
    const extract = await import('./preflight-extract');
    const found = extract.referencesOf(kind, await readFile(file.path, 'utf8'));
    parsed++;
    cache?.set(kind, file.md5, found);
    return found;
  };
  const site = siteIndex(byKey.keys(), skipped);
  const missing: MissingReference[] = [];
  const held = new Map<string, string>();
  const queued = new Set<string>();
  let wave: { key: string; kind: DocumentKind }[] = [];
  const enqueue = (key: string, kind: DocumentKind): void => {
    const id = `${kind}:${key}`;
    if (queued.has(id) || !byKey.has(key)) return;
    queued.add(id);
    wave.push({ key, kind });
  };
  for (const key of byKey.keys()) if (isHtml(key)) enqueue(key, 'html');
  while (wave.length > 0) {
    const current = wave;
    wave = [];
    const checked: { key: string; check: DocumentCheck }[] = [];
    await runPool(current, READ_CONCURRENCY, async (doc) => {
      checked.push({ key: doc.key, check: checkReferences(doc, await referencesOf(doc.kind, byKey.get(doc.key)!), site, settings) });
    });
    // In key order, whatever order the reads finished in: the first place that holds a key is stable.
    for (const { check } of checked.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      missing.push(...check.missing);
      for (const h of check.held) if (!held.has(prefix + h.key)) held.set(prefix + h.key, h.where);
      for (const f of check.follow) enqueue(f.key, f.kind);
    }
  }
  return { missing, held, documents: { cached: queued.size - parsed, parsed } };
}

/** The references of the site that lead nowhere (see {@link preflightSite}). */
export async function findMissingReferences(files: readonly LocalFile[], skipped: readonly SkippedFile[], prefix: string, settings: PreflightSettings): Promise<readonly MissingReference[]> {
  return (await preflightSite(files, skipped, prefix, settings)).missing;
}
