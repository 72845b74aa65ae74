import path from 'node:path';
import type { Command } from 'commander';
import { buildEdge } from '../../build';
import { loadConfig } from '../../config/load';
import { PACKAGE_ROOT } from '../../version';
import { action } from '../run';
import { formatManifest } from './build';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('the quick start: build the example config (examples/edgelock.config.ts) into dist/')
    .action(
      action(async () => {
        const config = loadConfig(path.join(PACKAGE_ROOT, 'examples', 'edgelock.config.ts'));
        const result = await buildEdge(config, { outDir: 'dist', warn: (m) => process.stderr.write(`warning: ${m}\n`) });
        process.stdout.write(formatManifest(result.manifest, result.outDir));
      }),
    );
}
