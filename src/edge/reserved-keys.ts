/**
 * Keys under this prefix belong to edgelock itself (deploy records: what each deploy wrote), not to
 * the site. The distribution never serves them: origin-request refuses the path, and the site
 * bucket's policy denies the prefix to the distribution's reader.
 */
export const RESERVED_KEY_PREFIX = '.edgelock/';

/** Is this decoded request path (starting with "/") or key (without it) under the reserved prefix? */
export function isReservedPath(pathOrKey: string): boolean {
  const key = pathOrKey.startsWith('/') ? pathOrKey.slice(1) : pathOrKey;
  return key === RESERVED_KEY_PREFIX.slice(0, -1) || key.startsWith(RESERVED_KEY_PREFIX);
}
