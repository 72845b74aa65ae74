/**
 * The example config built into a temporary dist folder (edge bundles and the deploy function),
 * and variants of it for the stacks under test.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { App, Testing } from 'cdktf';
import { buildEdge } from '../../src/build';
import { digestConfig } from '../../src/build/freshness';
import { parseConfig, readConfigFile, resolveConfig } from '../../src/config/load';
import type { ResolvedConfig } from '../../src/config/schema';
import { BuildArtifacts } from '../../cdktf/artifacts';
import { createStacks, type EdgelockStacks } from '../../cdktf/app';
import { tempDir } from '../helpers/temp';

export const EXAMPLE_CONFIG = path.join(__dirname, '..', '..', 'examples', 'edgelock.config.ts');

type Raw = Record<string, unknown>;

/** The example config with `change` applied to its raw form (as the user would have written it). */
export function exampleConfig(change: (raw: Raw) => Raw = (r) => r): ResolvedConfig {
  const raw = structuredClone(readConfigFile(EXAMPLE_CONFIG)) as Raw;
  return resolveConfig(parseConfig(change(raw), EXAMPLE_CONFIG), EXAMPLE_CONFIG, path.dirname(EXAMPLE_CONFIG));
}

/** Builds a config (`edgelock build`) into a fresh temporary folder, removed after the test file. */
export async function buildConfig(config: ResolvedConfig): Promise<string> {
  const outDir = tempDir('edgelock-cdktf-');
  await buildEdge(config, { outDir });
  return outDir;
}

/** Builds the example (`edgelock build`) into a fresh temporary folder. */
export function buildExample(): Promise<string> {
  return buildConfig(exampleConfig());
}

const builds = new Map<string, Promise<string>>();

/**
 * A build of `config`, one per distinct config in a test file: a variant synthesizes only from a
 * build of itself (synth refuses a stale one). `removeBuilds()` in afterAll deletes them.
 */
export function builtFor(config: ResolvedConfig): Promise<string> {
  const key = digestConfig({ ...config, configPath: '', baseDir: '' }).sha256;
  if (!builds.has(key)) builds.set(key, buildConfig(config));
  return builds.get(key)!;
}

export async function removeBuilds(): Promise<void> {
  for (const dir of await Promise.all(builds.values())) rmSync(dir, { recursive: true, force: true });
  builds.clear();
}

/** Synthesizes `config` from a build of its own. */
export async function synthBuilt(config: ResolvedConfig): Promise<{ app: App; stacks: EdgelockStacks }> {
  return synthStacks(config, await builtFor(config));
}

export function synthStacks(config: ResolvedConfig, outDir: string): { app: App; stacks: EdgelockStacks } {
  const app = Testing.app();
  const stacks = createStacks(app, config, BuildArtifacts.load(outDir, config));
  return { app, stacks };
}
