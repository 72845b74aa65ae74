/**
 * Runs the pre-flight over the site folder: reads every published HTML page, then the stylesheets
 * and web app manifests they link (and the stylesheets those import), each once, and checks each
 * document's references (preflight.ts). Reads local files only; nothing goes to S3.
 */
import { readFile } from 'node:fs/promises';
import { runPool } from '../pool';
import { isHtml } from './changes';
import type { LocalFile } from './local-files';
import { checkDocument, siteIndex, type DocumentCheck, type DocumentKind, type MissingReference, type PreflightSettings } from './preflight';
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
}

/**
 * Checks the site's references. `files` are the published files (keys with `prefix`), `skipped`
 * the folder's files that are not published (keys without it).
 */
export async function preflightSite(files: readonly LocalFile[], skipped: readonly SkippedFile[], prefix: string, settings: PreflightSettings): Promise<PreflightResult> {
  const byKey = new Map(files.map((f) => [f.key.slice(prefix.length), f.path]));
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
      checked.push({ key: doc.key, check: checkDocument({ ...doc, text: await readFile(byKey.get(doc.key)!, 'utf8') }, site, settings) });
    });
    // In key order, whatever order the reads finished in: the first place that holds a key is stable.
    for (const { check } of checked.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      missing.push(...check.missing);
      for (const h of check.held) if (!held.has(prefix + h.key)) held.set(prefix + h.key, h.where);
      for (const f of check.follow) enqueue(f.key, f.kind);
    }
  }
  return { missing, held };
}

/** The references of the site that lead nowhere (see {@link preflightSite}). */
export async function findMissingReferences(files: readonly LocalFile[], skipped: readonly SkippedFile[], prefix: string, settings: PreflightSettings): Promise<readonly MissingReference[]> {
  return (await preflightSite(files, skipped, prefix, settings)).missing;
}
