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

/**
 * The references of the site that lead nowhere. `files` are the published files (keys with
 * `prefix`), `skipped` the folder's files that are not published (keys without it).
 */
export async function findMissingReferences(files: readonly LocalFile[], skipped: readonly SkippedFile[], prefix: string, settings: PreflightSettings): Promise<MissingReference[]> {
  const byKey = new Map(files.map((f) => [f.key.slice(prefix.length), f.path]));
  const site = siteIndex(byKey.keys(), skipped);
  const missing: MissingReference[] = [];
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
    const checks: DocumentCheck[] = [];
    await runPool(current, READ_CONCURRENCY, async (doc) => {
      checks.push(checkDocument({ ...doc, text: await readFile(byKey.get(doc.key)!, 'utf8') }, site, settings));
    });
    for (const check of checks) {
      missing.push(...check.missing);
      for (const f of check.follow) enqueue(f.key, f.kind);
    }
  }
  return missing;
}
