/**
 * Gitignore-style patterns over keys (the path under the site folder, "/" separated), compiled
 * with picomatch: a pattern without a slash matches a file or folder name at any depth
 * (`*.map`, `drafts`), one with a slash is anchored at the site root (`/admin/*.html`,
 * `docs/internal/`), a trailing "/" matches a folder and everything in it, "!" re-includes what an
 * earlier pattern matched, the last matching pattern wins, and "#" starts a comment.
 */
import picomatch from 'picomatch';

interface Compiled {
  readonly negate: boolean;
  readonly test: (key: string) => boolean;
}

function compile(raw: string): Compiled | undefined {
  let p = raw.trim();
  if (p === '' || p.startsWith('#')) return undefined;
  const negate = p.startsWith('!');
  if (negate) p = p.slice(1);
  if (p.endsWith('/')) p = p.replace(/\/+$/, '');
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.slice(1);
  if (p === '') return undefined;
  // A folder pattern also covers everything under the folder.
  const globs = anchored ? [p, `${p}/**`] : [`**/${p}`, `**/${p}/**`];
  const test = picomatch(globs, { dot: true });
  return { negate, test };
}

/** Compiles patterns once; the matcher says whether a key is matched (after negations). */
export function patternMatcher(patterns: readonly string[]): (key: string) => boolean {
  const compiled = patterns.map(compile).filter((c): c is Compiled => c !== undefined);
  if (compiled.length === 0) return () => false;
  return (key) => {
    let matched = false;
    for (const c of compiled) if (c.negate === matched && c.test(key)) matched = !c.negate;
    return matched;
  };
}
