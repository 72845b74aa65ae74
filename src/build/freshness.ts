/**
 * Whether a build still matches the config: the manifest records, for each environment and for the
 * pipeline's deploy function, a digest of the config baked into the bundles and the edgelock version
 * that built them. Synth, `edgelock dev --no-build` and the deploy-function packaging refuse a build
 * whose digest is not the current config's, naming the keys that changed (never their values).
 */
import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../config/schema';
import { selectEnvironment } from '../config/load';
import { EdgelockError } from '../errors';
import { VERSION } from '../version';
import { toDeployConfig, toEdgeConfig } from './edge-config';
import type { BuildDigest, Manifest } from './manifest';

/** JSON with object keys sorted at every depth; `undefined` members are dropped, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How deep per-key digests go: `environments.dev.originAccess`, `auth.users`. */
const KEY_DEPTH = 3;

/**
 * Digest of a baked config: the whole, and one per key down to three levels (`auth`, `auth.users`,
 * `environments.dev.originAccess`) so that a mismatch can name what changed.
 */
export function digestConfig(baked: unknown): BuildDigest {
  const keys: Record<string, string> = {};
  const walk = (value: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      keys[prefix + k] = sha256(canonicalJson(v));
      if (depth < KEY_DEPTH && isPlainObject(v)) walk(v, `${prefix}${k}.`, depth + 1);
    }
  };
  if (isPlainObject(baked)) walk(baked, '', 1);
  return { edgelock: VERSION, sha256: sha256(canonicalJson(baked)), keys };
}

/** The digest an environment's edge bundles are built with. */
export function environmentDigest(config: ResolvedConfig, env: string): BuildDigest {
  return digestConfig(toEdgeConfig(config, selectEnvironment(config, env)));
}

/** The digest the pipeline's deploy function is built with. */
export function deployFunctionDigest(config: ResolvedConfig): BuildDigest {
  return digestConfig(toDeployConfig(config));
}

/**
 * The keys whose digests differ, as precisely as both sides allow: where a key is an object on both
 * sides its changed sub-keys are named, otherwise the key itself (say `auth`, turned on or off).
 */
export function changedKeys(built: Readonly<Record<string, string>>, current: Readonly<Record<string, string>>): string[] {
  const all = [...new Set([...Object.keys(built), ...Object.keys(current)])];
  const children = (keys: Readonly<Record<string, string>>, parent: string): string[] =>
    Object.keys(keys).filter((k) => k.startsWith(`${parent}.`) && !k.slice(parent.length + 1).includes('.'));
  const named: string[] = [];
  const visit = (key: string): void => {
    const before = children(built, key);
    const after = children(current, key);
    const subs = before.length && after.length ? [...new Set([...before, ...after])].filter((k) => built[k] !== current[k]) : [];
    if (subs.length) subs.forEach(visit);
    else named.push(key);
  };
  all.filter((k) => !k.includes('.') && built[k] !== current[k]).forEach(visit);
  return named.sort();
}

/** What to check: one environment, or the deploy function. */
export type FreshnessScope = { readonly env: string } | { readonly function: 'deploy' };

function problem(what: string, built: BuildDigest | undefined, current: BuildDigest): string | undefined {
  if (!built || typeof built.sha256 !== 'string' || !isPlainObject(built.keys)) {
    return `${what} was built by an edgelock that records no config digest, so whether it matches the config cannot be told`;
  }
  if (built.edgelock !== current.edgelock) return `${what} was built by edgelock ${built.edgelock}, this is edgelock ${current.edgelock}`;
  if (built.sha256 === current.sha256) return undefined;
  const keys = changedKeys(built.keys, current.keys);
  return `${what} was built from a different config (changed since the build: ${keys.length ? keys.join(', ') : 'the config'})`;
}

/**
 * Throws BUILD_STALE when the manifest's bundles were not built from `config` by this edgelock.
 * Scope: an environment name or `{ env }`, `{ function: 'deploy' }`, or nothing for every
 * environment of the config (and the deploy function when the pipeline is on).
 */
export function assertFresh(manifest: Manifest, config: ResolvedConfig, scope?: string | FreshnessScope): void {
  const scopes: FreshnessScope[] =
    typeof scope === 'string'
      ? [{ env: scope }]
      : scope
        ? [scope]
        : [...Object.keys(config.environments).map((env) => ({ env })), ...(config.stacks.pipeline === false ? [] : [{ function: 'deploy' as const }])];
  const problems: string[] = [];
  for (const s of scopes) {
    const p =
      'env' in s
        ? problem(`the build of environment "${s.env}"`, manifest.digests?.environments?.[s.env], environmentDigest(config, s.env))
        : problem(`the pipeline's deploy function`, manifest.digests?.functions?.[s.function], deployFunctionDigest(config));
    if (p) problems.push(p);
  }
  if (problems.length) {
    throw new EdgelockError(`stale build: ${problems.join('; ')}. Run \`edgelock build\` (or \`npm run build\`) to rebuild it from the current config.`, { code: 'BUILD_STALE' });
  }
}
