/**
 * The pipeline's deploy function (origin side, a Node 22 Lambda): `origin/deploy/index.js` and a
 * deterministic `origin/deploy.zip`.
 *
 * Its code is the same for every project: edgelock's deploy code and the AWS SDK, about 1.7 MB
 * that takes esbuild seconds to bundle. Only the config differs, and it is appended to the code:
 * `module.exports.handler = createHandler(deepFreeze(<config>))`. So the code is bundled once,
 * by `npm run compile`, into `lib/functions/deploy-code.js`, next to a record of edgelock's and
 * esbuild's versions and the sha256 of every file esbuild read. A build uses that bundle only
 * while every one of those files is unchanged (a changed source file, a different SDK install)
 * and bundles from source otherwise: both give the same bytes. The package ships the bundle, so
 * an installed edgelock uses it while its own files are unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build, version as ESBUILD_VERSION } from 'esbuild';
import type { ResolvedConfig } from '../config/schema';
import { EdgelockError } from '../errors';
import { writeFileAtomic } from '../fs-atomic';
import { PACKAGE_ROOT, VERSION } from '../version';
import { BUNDLE_OPTIONS, LICENSE, bundleFailed, sha256, sourcePath } from './bundle';
import { toDeployConfig } from './edge-config';
import type { BuiltFile } from './package-bundle';
import type { ArtifactEntry } from './manifest';
import { packageBundle } from './package-bundle';

/** Where `npm run compile` keeps the bundled code. */
export const PREBUILT_DIR = path.join(PACKAGE_ROOT, 'lib', 'functions');
const CODE_FILE = 'deploy-code.js';
const RECORD_FILE = 'deploy-code.json';

/** Largest zipped Lambda package accepted for direct upload. */
const LAMBDA_ZIP_LIMIT = 50 * 1024 * 1024;

/** The config-free code: a CommonJS bundle that exports `createHandler` and `deepFreeze`. */
export interface DeployCode {
  readonly js: string;
  /** Every file esbuild read, relative to the package root, with its sha256. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** What the prebuilt code was built with and from. */
interface PrebuiltRecord {
  readonly edgelock: string;
  readonly esbuild: string;
  readonly codeSha256: string;
  readonly inputs: Readonly<Record<string, string>>;
}

/** Bundles the deploy function's code from source (seconds: the AWS SDK is in it). */
export async function bundleDeployCode(): Promise<DeployCode> {
  const entry = [
    `export { createHandler } from ${JSON.stringify(sourcePath('origin', 'deploy', 'lambda.ts'))};`,
    `export { deepFreeze } from ${JSON.stringify(sourcePath('freeze.ts'))};`,
  ].join('\n');
  try {
    const out = await build({
      ...BUNDLE_OPTIONS,
      absWorkingDir: PACKAGE_ROOT,
      metafile: true,
      stdin: { contents: entry, resolveDir: PACKAGE_ROOT, loader: 'ts', sourcefile: 'edgelock-deploy-entry.ts' },
    });
    const inputs: Record<string, string> = {};
    for (const file of Object.keys(out.metafile.inputs).sort()) {
      if (file === 'edgelock-deploy-entry.ts') continue;
      inputs[file] = sha256(readFileSync(path.join(PACKAGE_ROOT, file)));
    }
    return { js: out.outputFiles[0]!.text, inputs };
  } catch (err) {
    throw bundleFailed('the deploy function', err);
  }
}

/** True where edgelock runs as an installed package (inside a node_modules folder), not from its repository. */
export function isInstalledPackage(root = PACKAGE_ROOT): boolean {
  return root.split(path.sep).includes('node_modules');
}

/**
 * True when every input still has the digest recorded. In an installed package the dependencies
 * sit where the user's npm put them, not where the repository had them, so only edgelock's own
 * files are compared there: the dependencies are the exact versions package.json pins, which the
 * code was bundled from when the package was packed.
 */
function inputsUnchanged(inputs: Readonly<Record<string, string>>, installed: boolean): boolean {
  for (const [file, digest] of Object.entries(inputs)) {
    if (installed && file.split('/').includes('node_modules')) continue;
    const full = path.join(PACKAGE_ROOT, file);
    if (!existsSync(full) || sha256(readFileSync(full)) !== digest) return false;
  }
  return true;
}

/**
 * The prebuilt code from `dir`, or undefined when there is none, it is unreadable, or anything it
 * was built with or from has changed since.
 */
export function readPrebuiltDeployCode(dir = PREBUILT_DIR, installed = isInstalledPackage()): string | undefined {
  let record: PrebuiltRecord;
  let js: string;
  try {
    record = JSON.parse(readFileSync(path.join(dir, RECORD_FILE), 'utf8')) as PrebuiltRecord;
    js = readFileSync(path.join(dir, CODE_FILE), 'utf8');
  } catch {
    return undefined;
  }
  if (record.edgelock !== VERSION || record.esbuild !== ESBUILD_VERSION || record.codeSha256 !== sha256(js)) return undefined;
  if (typeof record.inputs !== 'object' || record.inputs === null || Object.keys(record.inputs).length === 0) return undefined;
  return inputsUnchanged(record.inputs, installed) ? js : undefined;
}

/** Bundles the code into `dir` unless the code there is still current. Returns whether it bundled. */
export async function writePrebuiltDeployCode(dir = PREBUILT_DIR): Promise<boolean> {
  if (readPrebuiltDeployCode(dir) !== undefined) return false;
  const code = await bundleDeployCode();
  const record: PrebuiltRecord = { edgelock: VERSION, esbuild: ESBUILD_VERSION, codeSha256: sha256(code.js), inputs: code.inputs };
  // The code first: the record, written last, is what makes it count.
  writeFileAtomic(path.join(dir, CODE_FILE), code.js);
  writeFileAtomic(path.join(dir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return true;
}

/** The function's index.js: banner, the code (prebuilt when current), then the baked config. */
export async function deployFunctionJs(config: unknown, label: string, prebuiltDir = PREBUILT_DIR): Promise<string> {
  const code = readPrebuiltDeployCode(prebuiltDir) ?? (await bundleDeployCode()).js;
  return [
    `/*! edgelock ${VERSION} | ${label} | ${LICENSE} */`,
    code.trimEnd(),
    `module.exports.handler=module.exports.createHandler(module.exports.deepFreeze(${JSON.stringify(config)}));`,
    '',
  ].join('\n');
}

/**
 * Builds the deploy function for a config. The config is baked in without the auth users: the
 * deploy function needs no password hashes.
 */
export async function buildDeployFunction(config: ResolvedConfig, prebuiltDir = PREBUILT_DIR): Promise<{ files: BuiltFile[]; entry: ArtifactEntry }> {
  const label = `deploy function for ${config.project}`;
  const js = await deployFunctionJs(toDeployConfig(config), label, prebuiltDir);
  const packaged = await packageBundle(js, 'origin/deploy');
  if (packaged.entry.zipBytes > LAMBDA_ZIP_LIMIT) {
    throw new EdgelockError(`${label}: the zip is ${packaged.entry.zipBytes} bytes, over Lambda's ${LAMBDA_ZIP_LIMIT}-byte limit; nothing was written`, { code: 'BUILD_LIMIT' });
  }
  return packaged;
}
