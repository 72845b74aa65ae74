/**
 * The example config (examples/edgelock.config.ts, user demo / edgelock-demo) built with buildEdge
 * into a temporary folder: environment dev (auth: true) and prod (auth: false).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildEdge } from '../../src/build';
import { loadConfig } from '../../src/config/load';
import type { ResolvedConfig } from '../../src/config/schema';

export const EXAMPLE_CONFIG = path.join(__dirname, '..', '..', 'examples', 'edgelock.config.ts');
export const DEMO = { user: 'demo', password: 'edgelock-demo' } as const;

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface ExampleBuild {
  readonly config: ResolvedConfig;
  readonly distDir: string;
  cleanup(): void;
}

/** Builds dev and prod (not the deploy function: the kit does not need it). */
export async function buildExample(): Promise<ExampleBuild> {
  const config = loadConfig(EXAMPLE_CONFIG);
  const distDir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-testing-'));
  await buildEdge(config, { outDir: distDir, env: 'dev' });
  await buildEdge(config, { outDir: distDir, env: 'prod' });
  return { config, distDir, cleanup: () => rmSync(distDir, { recursive: true, force: true }) };
}
