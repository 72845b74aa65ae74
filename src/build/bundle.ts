/**
 * esbuild, one bundle per handler: CommonJS exporting `handler`, the environment's edge config
 * baked in as JSON, minified, with a licence banner.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { EdgelockError } from '../errors';
import { PACKAGE_ROOT, VERSION } from '../version';

export const LICENSE = 'Apache-2.0';

const CONFIG_MODULE = 'edgelock:config';

function bakeConfig(config: unknown): Plugin {
  return {
    name: 'edgelock-config',
    setup(b) {
      b.onResolve({ filter: /^edgelock:config$/ }, () => ({ path: CONFIG_MODULE, namespace: 'edgelock-config' }));
      b.onLoad({ filter: /.*/, namespace: 'edgelock-config' }, () => ({ contents: JSON.stringify(config), loader: 'json' }));
    },
  };
}

/** Absolute path of a source module under `src/` (shipped with the package). */
export function sourcePath(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, 'src', ...parts);
}

export interface BundleInput {
  /** Module under src/ that exports `createHandler(config)`. */
  readonly factory: string;
  /** The frozen config baked into this bundle. */
  readonly config: unknown;
  /** Shown in the banner, e.g. "viewer-request for acme-web/dev". */
  readonly label: string;
}

/** How every bundle is built: one CommonJS file for Node 20, minified, licence comments at the end. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  write: false,
  logLevel: 'silent',
  legalComments: 'eof',
  charset: 'utf8',
} as const satisfies BuildOptions;

/** Bundles `exports.handler = createHandler(<baked config, deeply frozen>)`. Returns the minified JS. */
export async function bundleHandler(input: BundleInput): Promise<string> {
  const entry = [
    `import { createHandler } from ${JSON.stringify(input.factory)};`,
    `import config from ${JSON.stringify(CONFIG_MODULE)};`,
    `import { deepFreeze } from ${JSON.stringify(sourcePath('freeze.ts'))};`,
    'export const handler = createHandler(deepFreeze(config));',
  ].join('\n');
  try {
    const out = await build({
      ...BUNDLE_OPTIONS,
      stdin: { contents: entry, resolveDir: PACKAGE_ROOT, loader: 'ts', sourcefile: 'edgelock-entry.ts' },
      banner: { js: `/*! edgelock ${VERSION} | ${input.label} | ${LICENSE} */` },
      plugins: [bakeConfig(input.config)],
    });
    return out.outputFiles[0]!.text;
  } catch (err) {
    throw bundleFailed(input.label, err);
  }
}

/** esbuild's failure as a BUILD_FAILED error that names the bundle and esbuild's messages. */
export function bundleFailed(label: string, err: unknown): EdgelockError {
  const errors = (err as { errors?: { text: string }[] }).errors;
  return new EdgelockError(`bundling ${label} failed: ${errors?.map((e) => e.text).join('; ') ?? String(err)}`, { code: 'BUILD_FAILED', cause: err });
}

export function sha256(data: Buffer | string, encoding: 'hex' | 'base64' = 'hex'): string {
  return createHash('sha256').update(data).digest(encoding);
}
