/**
 * Where a request path goes at the origin, shared by the viewer-request auth check and the
 * origin-request guard so that both judge the object S3 will actually be asked for.
 */
import type { EdgeOriginConfig } from './config';

const INDEX = 'index.html';

/** The origin key for a path: directory → index.html; extensionless → the SPA fallback or, with pretty URLs, its index.html. */
export function originPath(uri: string, origin: Pick<EdgeOriginConfig, 'prettyUrls' | 'spaFallback'>): string {
  if (uri.endsWith('/')) return `${uri}${INDEX}`;
  const last = uri.slice(uri.lastIndexOf('/') + 1);
  if (last.includes('.')) return uri;
  if (origin.spaFallback) return origin.spaFallback;
  if (origin.prettyUrls) return `${uri}/${INDEX}`;
  return uri;
}

/**
 * Every viewer path that is served the object at `key`: the key itself, its directory ("/docs/")
 * for an index document and, with pretty URLs, the bare directory name ("/docs").
 */
export function objectAliases(key: string, origin: Pick<EdgeOriginConfig, 'prettyUrls'>): string[] {
  const aliases = [key];
  if (key.endsWith(`/${INDEX}`)) {
    const dir = key.slice(0, -INDEX.length);
    aliases.push(dir);
    if (origin.prettyUrls && dir !== '/') aliases.push(dir.slice(0, -1));
  }
  return aliases;
}
