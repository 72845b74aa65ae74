/**
 * The origin path that serves deploy.prefix: `site/` → `/site`, `a/b/` → `/a/b`, '' → '' (the
 * bucket root). The stacks give the distribution this path, the origin-request guard expects it,
 * and the local edge prepends it, all from the same config. The prefix is validated by the config
 * schema (folders ending in "/", none starting with "."), so the path never ends in "/" and never
 * reaches outside the prefix.
 */
export function originPathFor(prefix: string): string {
  return prefix === '' ? '' : `/${prefix.replace(/\/+$/, '')}`;
}
