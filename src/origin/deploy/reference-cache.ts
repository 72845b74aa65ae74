/**
 * The local reference cache: what the pre-flight's parsers found in each document (its references,
 * their lines, its `<base href>`), keyed by the document's kind and the MD5 of its bytes. Parsing
 * is the pre-flight's whole cost; a re-deploy parses only the documents whose bytes changed, and
 * resolves every reference again against the site and the config of this deploy.
 *
 * One file in the project's `.edgelock/`, written whole through a rename, readable by its owner only.
 * Like the digest cache it is a speed-up, never a source of truth: a file that is not JSON, not in
 * this format, written by another edgelock version (whose parsers may find other references), with
 * a malformed entry, or writable by anyone but its owner is ignored with a note, and every document
 * is parsed.
 */
import path from 'node:path';
import { writeFileAtomic } from '../../fs-atomic';
import { VERSION } from '../../version';
import { parseCacheFile, readOwnFile } from './cache-file';
import type { DocumentKind } from './preflight';
import type { DocumentReferences, Reference, ReferenceRole } from './preflight-extract';

export const REFERENCE_CACHE_FORMAT = 'edgelock.reference-cache/1';

const ROLES: ReadonlySet<ReferenceRole> = new Set(['asset', 'stylesheet', 'manifest', 'link']);
const KINDS: ReadonlySet<string> = new Set<DocumentKind>(['html', 'stylesheet', 'manifest']);
const ENTRY_KEY = /^([a-z]+):([0-9a-f]{32})$/;

/** The cache file, under the project's `.edgelock/` folder. */
export function referenceCacheFile(edgelockDir: string): string {
  return path.join(edgelockDir, 'references.json');
}

function validReference(r: unknown): r is Reference {
  if (!r || typeof r !== 'object') return false;
  const o = r as Record<string, unknown>;
  return typeof o.url === 'string' && typeof o.via === 'string' && ROLES.has(o.role as ReferenceRole) && (o.line === undefined || (Number.isInteger(o.line) && (o.line as number) > 0));
}

function validEntry(key: string, e: unknown): e is DocumentReferences {
  const m = ENTRY_KEY.exec(key);
  if (!m || !KINDS.has(m[1]!) || !e || typeof e !== 'object') return false;
  const o = e as Record<string, unknown>;
  return Array.isArray(o.references) && o.references.every(validReference) && (o.base === undefined || typeof o.base === 'string') && (o.problem === undefined || typeof o.problem === 'string');
}

export class ReferenceCache {
  private readonly next = new Map<string, DocumentReferences>();
  private changed = false;
  /** Documents whose references came from the cache (not parsed) in this deploy. */
  hits = 0;

  /** @param note why the file on disk was not used, when it was there and not used */
  constructor(private readonly loaded: ReadonlyMap<string, DocumentReferences> = new Map(), readonly note?: string) {}

  /** Parses a cache file's text (pure); a cache it cannot trust is empty, with the reason. */
  static parse(text: string, version: string = VERSION): ReferenceCache {
    const ignore = (why: string): ReferenceCache => new ReferenceCache(new Map(), `the reference cache was ignored (${why}); every page is parsed and the cache rewritten`);
    const parsed = parseCacheFile(text, REFERENCE_CACHE_FORMAT);
    if ('why' in parsed) return ignore(parsed.why);
    if (parsed.cache.edgelock !== version) return ignore(`it was written by edgelock ${String(parsed.cache.edgelock)}`);
    const entries = new Map<string, DocumentReferences>();
    for (const [key, e] of Object.entries(parsed.entries)) {
      if (!validEntry(key, e)) return ignore(`its entry ${JSON.stringify(key)} is malformed`);
      entries.set(key, e);
    }
    return new ReferenceCache(entries);
  }

  /** Reads the cache file; a missing one is an empty cache without a note. */
  static load(file: string): ReferenceCache {
    const read = readOwnFile(file);
    if (!read) return new ReferenceCache();
    if ('refused' in read) return new ReferenceCache(new Map(), `the reference cache ${file} was ignored (${read.refused}); every page is parsed`);
    return ReferenceCache.parse(read.text);
  }

  /** What parsing a document with these bytes found, if it was parsed before. */
  get(kind: DocumentKind, md5: string): DocumentReferences | undefined {
    const id = `${kind}:${md5}`;
    const found = this.loaded.get(id);
    if (found) {
      this.next.set(id, found);
      this.hits++;
    }
    return found;
  }

  set(kind: DocumentKind, md5: string, found: DocumentReferences): void {
    this.changed = true;
    this.next.set(`${kind}:${md5}`, found);
  }

  /** Whether the file should be rewritten: a document was parsed, or one left the site. */
  get dirty(): boolean {
    return this.changed || this.next.size !== this.loaded.size;
  }

  /** The entries of this deploy's documents, in key order. */
  serialize(version: string = VERSION): string {
    const entries = Object.fromEntries([...this.next.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return `${JSON.stringify({ format: REFERENCE_CACHE_FORMAT, edgelock: version, entries })}\n`;
  }

  /** Writes the cache through a rename, readable by its owner only; a failure is a note, never a failed deploy. */
  save(file: string): string | undefined {
    if (!this.dirty) return undefined;
    try {
      writeFileAtomic(file, this.serialize(), { mode: 0o600 });
      return undefined;
    } catch (err) {
      return `the reference cache ${file} could not be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the next deploy parses every page again`;
    }
  }
}

/**
 * The reference cache of a project's `.edgelock/` folder, and `close()`, which writes it back and
 * says why it was ignored or could not be written, if it was.
 */
export function openReferenceCache(edgelockDir: string): { readonly cache: ReferenceCache; readonly close: () => string | undefined } {
  const file = referenceCacheFile(edgelockDir);
  const cache = ReferenceCache.load(file);
  return { cache, close: () => [cache.note, cache.save(file)].filter(Boolean).join('; ') || undefined };
}
