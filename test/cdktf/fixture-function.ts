/**
 * Adds a small stand-in function bundle to a build's manifest (as `edgelock build` records the
 * deploy function), so the tools stack can be synthesized before the real bundle is built.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageBundle } from '../../src/build';
import type { Manifest } from '../../src/build/manifest';
import { writeFileAtomic } from '../../src/fs-atomic';

export async function addFixtureFunction(outDir: string, name = 'deploy'): Promise<void> {
  const manifestFile = path.join(outDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  if (manifest.functions[name]) return;
  const { files, entry } = await packageBundle(`exports.handler = async () => 'fixture ${name}';\n`, `origin/${name}`);
  for (const f of files) writeFileAtomic(path.join(outDir, f.path), f.data);
  writeFileAtomic(manifestFile, `${JSON.stringify({ ...manifest, functions: { ...manifest.functions, [name]: entry } }, null, 2)}\n`);
}
