import type { Command } from 'commander';
import type { Manifest } from '../../build/manifest';
import { loadConfig } from '../../config/load';
import type { CliRun } from '../run';

export function formatManifest(m: Manifest, outDir: string): string {
  const rows = [['environment', 'handler', 'bundle bytes', 'zip bytes', 'sha256']];
  for (const [env, handlers] of Object.entries(m.environments)) {
    for (const [name, a] of Object.entries(handlers)) {
      if (a) rows.push([env, name, String(a.bundleBytes), String(a.zipBytes), a.sha256.slice(0, 16)]);
    }
  }
  for (const [name, a] of Object.entries(m.functions)) rows.push(['-', name, String(a.bundleBytes), String(a.zipBytes), a.sha256.slice(0, 16)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i >= 2 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd());
  return `built ${m.project} into ${outDir}\n${lines.join('\n')}\n`;
}

export function registerBuild(program: Command, run: CliRun): void {
  program
    .command('build')
    .description('bundle the edge handlers of each environment with its config baked in, zip them deterministically and write a manifest')
    .option('-c, --config <file>', 'config file (default: ./edgelock.config.ts, .mjs, .js or .json)')
    .option('-e, --env <name>', 'build only this environment')
    .option('-o, --out <dir>', 'output folder', 'dist')
    .option('--json', 'print the manifest as JSON')
    .action(
      run.action(async (opts: { config?: string; env?: string; out: string; json?: boolean }) => {
        const config = loadConfig(opts.config);
        const { buildEdge } = await import('../../build'); // loaded when it runs, not by every command
        const result = await buildEdge(config, {
          outDir: opts.out,
          ...(opts.env ? { env: opts.env } : {}),
          warn: (m) => run.io.stderr(`warning: ${m}\n`),
        });
        run.io.stdout(opts.json ? `${JSON.stringify(result.manifest, null, 2)}\n` : formatManifest(result.manifest, result.outDir));
      }),
    );
}
