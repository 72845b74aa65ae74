/**
 * Where a request path goes at the origin, and which viewer paths share that object. One rule,
 * used by the viewer-request auth check and the origin-request guard, so that both judge the
 * object S3 will actually be asked for.
 */
import type { EdgeOriginConfig } from './config';

const INDEX = 'index.html';

type Routing = Pick<EdgeOriginConfig, 'prettyUrls' | 'spaFallback'>;

/** How a viewer path reaches its object. */
export type Route =
  /** The path is the key (it has an extension, or nothing rewrites it). */
  | 'as-is'
  /** A directory path ("/docs/") → its index document. */
  | 'index'
  /** An extensionless path ("/docs") with pretty URLs → "/docs/index.html". */
  | 'pretty'
  /** An extensionless path → the SPA fallback document (which takes precedence over pretty URLs). */
  | 'spa';

export interface OriginObject {
  /** The key origin-request asks S3 for. */
  readonly key: string;
  readonly route: Route;
  /**
   * Every viewer path that reaches `key` other than through the SPA fallback (which any
   * extensionless path does): the key itself, its directory for an index document and, where
   * pretty URLs apply to it, the bare directory name. Always includes `key`.
   */
  readonly aliases: readonly string[];
}

function route(uri: string, origin: Routing): { key: string; route: Route } {
  if (uri.endsWith('/')) return { key: `${uri}${INDEX}`, route: 'index' };
  const last = uri.slice(uri.lastIndexOf('/') + 1);
  if (last.includes('.')) return { key: uri, route: 'as-is' };
  if (origin.spaFallback) return { key: origin.spaFallback, route: 'spa' };
  if (origin.prettyUrls) return { key: `${uri}/${INDEX}`, route: 'pretty' };
  return { key: uri, route: 'as-is' };
}

/** The viewer paths that reach `key` without the SPA fallback, `key` first. */
function aliasesOf(key: string, origin: Routing): string[] {
  const aliases = [key];
  if (!key.endsWith(`/${INDEX}`)) return aliases;
  const dir = key.slice(0, -INDEX.length);
  aliases.push(dir);
  if (dir !== '/') {
    const bare = dir.slice(0, -1);
    const r = route(bare, origin);
    if (r.route !== 'spa' && r.key === key) aliases.push(bare);
  }
  return aliases;
}

/** The object origin-request fetches for a normalised path, how it gets there, and its aliases. */
export function originObject(uri: string, origin: Routing): OriginObject {
  const r = route(uri, origin);
  return { key: r.key, route: r.route, aliases: aliasesOf(r.key, origin) };
}

/** The origin key for a path: directory → index.html; extensionless → the SPA fallback or, with pretty URLs, its index.html. */
export function originPath(uri: string, origin: Routing): string {
  return route(uri, origin).key;
}
