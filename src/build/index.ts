/**
 * `edgelock build`: for each environment, one bundle and one deterministic zip per handler, and a
 * manifest with sizes and hashes. Everything is built and checked in memory first; nothing is
 * written when any bundle breaks a limit.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig, ResolvedEnvironment } from '../config/schema';
import { selectEnvironment } from '../config/load';
import { EdgelockError } from '../errors';
import { writeFileAtomic } from '../fs-atomic';
import { VERSION } from '../version';
import { bundleHandler, sourcePath } from './bundle';
import { checkGeneratedResponses } from './check-responses';
import { originPathFor } from '../config/origin-path';
import { buildDeployFunction } from './deploy-function';
import { toEdgeConfig } from './edge-config';
import { deployFunctionDigest, digestConfig } from './freshness';
import { HANDLERS, bundleLimits, type BundleLimitOverrides, type BundleLimits, type HandlerName, type HandlerSpec } from './handlers';
import { MANIFEST_FILE, type ArtifactEntry, type BuildDigest, type HandlerArtifact, type Manifest } from './manifest';
import { packageBundle, type BuiltFile } from './package-bundle';

export { buildDeployFunction } from './deploy-function';
export { packageBundle, type BuiltFile } from './package-bundle';

export interface BuildOptions {
  /** Output folder. @default 'dist' */
  readonly outDir: string;
  /** Build only this environment (the manifest keeps the others' entries). */
  readonly env?: string;
  /** Receives warnings (over the project's own budget, not over AWS's limits). */
  readonly warn?: (message: string) => void;
  /**
   * Size limits to check the bundles against instead of Lambda@Edge's (each handler's zip limit
   * and edgelock's bundle budget). For tests that prove a limit without building megabytes.
   * @default the real limits of each trigger (src/edge/cloudfront TRIGGER_LIMITS)
   */
  readonly limits?: BundleLimitOverrides;
}

export interface BuildResult {
  readonly manifest: Manifest;
  readonly outDir: string;
  readonly warnings: readonly string[];
}

/** The handlers an environment needs: no viewer-request function where auth is off. */
export function handlersFor(env: ResolvedEnvironment): readonly HandlerSpec[] {
  return HANDLERS.filter((h) => h.name !== 'viewer-request' || env.auth);
}

function checkLimits(spec: HandlerSpec, limits: BundleLimits, label: string, entry: ArtifactEntry, warnings: string[]): void {
  if (entry.zipBytes > limits.maxZipBytes) {
    throw new EdgelockError(
      `${label}: the zipped bundle is ${entry.zipBytes} bytes, over Lambda@Edge's ${limits.maxZipBytes}-byte limit for ${spec.eventType} functions; ` +
        'nothing was written. Reduce what is baked in (fewer users, shorter header values).', { code: 'BUILD_LIMIT' }
    );
  }
  if (entry.bundleBytes > limits.budgetBundleBytes) {
    warnings.push(`${label}: the minified bundle is ${entry.bundleBytes} bytes, over edgelock's ${limits.budgetBundleBytes}-byte budget (it still fits Lambda@Edge's limit)`);
  }
}

function readManifest(file: string, project: string): Manifest | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return m.project === project ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the edge bundles of every environment (or of `options.env`). */
export async function buildEdge(config: ResolvedConfig, options: BuildOptions): Promise<BuildResult> {
  const envs = options.env ? [selectEnvironment(config, options.env)] : Object.values(config.environments);
  const warnings: string[] = [];
  const files: BuiltFile[] = [];
  const environments: Manifest['environments'] = {};
  const origins: NonNullable<Manifest['origins']> = {};
  const envDigests: Record<string, BuildDigest> = {};

  for (const env of envs) {
    const edgeConfig = toEdgeConfig(config, env);
    const handlers: Partial<Record<HandlerName, HandlerArtifact>> = {};
    for (const spec of handlersFor(env)) {
      const label = `${spec.name} for ${config.project}/${env.name}`;
      // Only the viewer-request bundle carries the user list: origin bundles never hold credentials.
      const baked = spec.name === 'viewer-request' ? edgeConfig : { ...edgeConfig, auth: null };
      const js = await bundleHandler({ factory: sourcePath('edge', spec.name, 'index.ts'), config: baked, label });
      const packaged = await packageBundle(js, `${env.name}/${spec.name}`);
      checkLimits(spec, bundleLimits(spec, options.limits), label, packaged.entry, warnings);
      const problems = await checkGeneratedResponses(spec, js, env, originPathFor(config.deploy.prefix));
      if (problems.length) {
        throw new EdgelockError(`${label}: ${problems.join('; ')}. Nothing was written: shorten the configured headers (headers.*).`, { code: 'BUILD_LIMIT' });
      }
      files.push(...packaged.files);
      handlers[spec.name] = { eventType: spec.eventType, ...packaged.entry };
    }
    environments[env.name] = handlers;
    origins[env.name] = { bucket: env.bucket, bucketDomain: env.bucketDomain, region: env.region, originAccess: env.originAccess, originPath: originPathFor(config.deploy.prefix), auth: env.auth };
    envDigests[env.name] = digestConfig(edgeConfig);
  }

  const outDir = path.resolve(options.outDir);
  const manifestPath = path.join(outDir, MANIFEST_FILE);
  const previous = options.env ? readManifest(manifestPath, config.project) : undefined;
  // The pipeline's deploy function (origin side, Node 22 Lambda): built with every full build.
  const functions: Manifest['functions'] = { ...(previous?.functions ?? {}) };
  const fnDigests: Record<string, BuildDigest> = { ...(previous?.digests?.functions ?? {}) };
  if (!options.env) {
    const deploy = await buildDeployFunction(config);
    files.push(...deploy.files);
    functions.deploy = deploy.entry;
    fnDigests.deploy = deployFunctionDigest(config);
  }

  const manifest: Manifest = {
    edgelock: VERSION,
    project: config.project,
    environments: { ...(previous?.environments ?? {}), ...environments },
    origins: { ...(previous?.origins ?? {}), ...origins },
    functions,
    digests: {
      environments: { ...(previous?.digests?.environments ?? {}), ...envDigests },
      functions: fnDigests,
    },
  };

  for (const env of envs) rmSync(path.join(outDir, env.name), { recursive: true, force: true });
  for (const f of files) writeFileAtomic(path.join(outDir, f.path), f.data);
  writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  for (const w of warnings) options.warn?.(w);
  return { manifest, outDir, warnings };
}
