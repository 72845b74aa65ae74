/**
 * Which files of the site folder are published: a pure decision over the keys, before anything is
 * read or hashed. Dotfiles and dot-folders (`.env`, `.git/`, `.DS_Store`) are skipped unless a
 * `deploy.include` pattern names them, except `.well-known/` at the root (RFC 8615); anything a
 * `deploy.exclude` pattern matches is skipped; a precompressed sibling (`app.js.gz` next to
 * `app.js`) is skipped because the distribution would serve it without `Content-Encoding`
 * negotiation; `.edgelock/` is edgelock's own and never uploaded. Every skip has its reason.
 */
import { isReservedPath } from '../../edge/reserved-keys';
import { patternMatcher } from './patterns';

export interface SkippedFile {
  readonly key: string;
  readonly reason: string;
}

export interface SiteSelection {
  readonly publish: readonly string[];
  readonly skipped: readonly SkippedFile[];
}

export interface SelectionRules {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

const PRECOMPRESSED = /\.(gz|br|zst)$/;

function hasDotSegment(key: string): boolean {
  const segments = key.split('/');
  const from = segments[0] === '.well-known' && segments.length > 1 ? 1 : 0;
  return segments.slice(from).some((s) => s.startsWith('.'));
}

export function selectSiteFiles(keys: readonly string[], rules: SelectionRules): SiteSelection {
  const included = patternMatcher(rules.include);
  const excluded = patternMatcher(rules.exclude);
  const all = new Set(keys);
  const publish: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const key of keys) {
    if (isReservedPath(key)) skipped.push({ key, reason: '.edgelock/ is reserved for edgelock\'s deploy records' });
    else if (excluded(key)) skipped.push({ key, reason: 'matches deploy.exclude' });
    else if (hasDotSegment(key) && !included(key)) skipped.push({ key, reason: 'dotfile or dot-folder (add a deploy.include pattern to publish it on purpose)' });
    else if (PRECOMPRESSED.test(key) && all.has(key.replace(PRECOMPRESSED, ''))) {
      skipped.push({
        key,
        reason: `precompressed copy of ${key.replace(PRECOMPRESSED, '')}: CloudFront compresses on the fly, and edgelock does not choose encodings by Accept-Encoding, so it would be served as a download (exclude it, or stop emitting it)`,
      });
    } else publish.push(key);
  }
  return { publish, skipped };
}
