/**
 * Path patterns from the config ("/health", "/.well-known/*", "/*"), compiled once into a
 * predicate over a normalised path. "/docs/*" matches "/docs" itself and everything below it.
 * Matching is case-sensitive, like S3 keys.
 */
export function pathMatcher(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.includes('/*')) return () => true;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    if (p.endsWith('/*')) {
      const dir = p.slice(0, -2);
      exact.add(dir);
      prefixes.push(`${dir}/`);
    } else {
      exact.add(p);
    }
  }
  if (prefixes.length === 0) return (path) => exact.has(path);
  return (path) => exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
}
