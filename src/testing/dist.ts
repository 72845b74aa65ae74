/**
 * The build folder as the testing kit reads it: `<dist>/manifest.json` and the bundle it names for
 * an environment's handler. Every miss is a BUILD_MISSING or BUILD_STALE error that says how to fix it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HANDLERS, type HandlerName } from '../build/handlers';
import { MANIFEST_FILE, type EnvironmentOrigin, type Manifest } from '../build/manifest';
import { EdgelockError } from '../errors';

export interface BuiltEnvironment {
  readonly distDir: string;
  readonly manifest: Manifest;
  readonly env: string;
  /** Handlers built for the environment, in CloudFront order. */
  readonly handlers: readonly HandlerName[];
  /** The environment's S3 origin, when the manifest records it. */
  readonly origin?: EnvironmentOrigin;
}

const HANDLER_NAMES = HANDLERS.map((h) => h.name);

export function readBuiltEnvironment(distDir: string, env: string): BuiltEnvironment {
  const dir = path.resolve(distDir);
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new EdgelockError(`no ${file}: build the edge bundles first with "npx edgelock build --out ${distDir}" (or buildEdge(config, { outDir }) from "edgelock")`, { code: 'BUILD_MISSING' });
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (err) {
    throw new EdgelockError(`${file} is not valid JSON (${(err as Error).message}): rebuild with "npx edgelock build"`, { code: 'BUILD_STALE', cause: err });
  }
  const built = manifest?.environments?.[env];
  if (!built) {
    const known = Object.keys(manifest?.environments ?? {});
    throw new EdgelockError(
      `${file} has no bundles for environment "${env}" (it has ${known.length ? known.map((k) => `"${k}"`).join(', ') : 'none'}): ` +
        `check the name, or build it with "npx edgelock build --env ${env}"`,
      { code: 'BUILD_MISSING' },
    );
  }
  const origin = manifest.origins?.[env];
  return { distDir: dir, manifest, env, handlers: HANDLER_NAMES.filter((n) => built[n] !== undefined), ...(origin ? { origin } : {}) };
}

/** The bundle text of one handler. */
export function readBundle(built: BuiltEnvironment, name: HandlerName): { file: string; code: string } {
  if (!HANDLER_NAMES.includes(name)) {
    throw new EdgelockError(`"${String(name)}" is not an edgelock handler; the handlers are ${HANDLER_NAMES.join(', ')}`, { code: 'USAGE' });
  }
  const artifact = built.manifest.environments[built.env]?.[name];
  if (!artifact) {
    const why = name === 'viewer-request' && built.origin?.auth === false
      ? `environment "${built.env}" has auth: false, so no viewer-request function is built (CloudFront passes viewer requests on unchanged)`
      : `the manifest lists no ${name} bundle for environment "${built.env}": rebuild with "npx edgelock build --env ${built.env}"`;
    throw new EdgelockError(why, { code: 'BUILD_MISSING' });
  }
  const file = path.join(built.distDir, artifact.bundle);
  if (!existsSync(file)) {
    throw new EdgelockError(`${file} is missing though the manifest lists it: rebuild with "npx edgelock build --env ${built.env}"`, { code: 'BUILD_MISSING' });
  }
  return { file, code: readFileSync(file, 'utf8') };
}
