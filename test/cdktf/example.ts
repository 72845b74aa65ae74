/**
 * The example config built into a temporary dist folder (edge bundles and the deploy function),
 * and variants of it for the stacks under test.
 */
import path from 'node:path';
import { App, Testing } from 'cdktf';
import { buildEdge } from '../../src/build';
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

/** Builds the example (`edgelock build`) into a fresh temporary folder, removed after the test file. */
export async function buildExample(): Promise<string> {
  const outDir = tempDir('edgelock-cdktf-');
  await buildEdge(exampleConfig(), { outDir });
  return outDir;
}

export function synthStacks(config: ResolvedConfig, outDir: string): { app: App; stacks: EdgelockStacks } {
  const app = Testing.app();
  const stacks = createStacks(app, config, BuildArtifacts.load(outDir, config.project));
  return { app, stacks };
}
