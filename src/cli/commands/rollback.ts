import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { UsageError } from '../../errors';
import type { RollbackSummary } from '../../origin/deploy/rollback';
import type { CliRun } from '../run';
import { addWriteOptions, progressReporter, writeOptions, type WriteFlags } from './write-options';

interface RollbackFlags extends WriteFlags {
  env?: string;
  to?: string;
  config?: string;
  dryRun?: boolean;
  json?: boolean;
}

const PHASE_LABEL: Record<string, string> = {
  'restore-assets': 'restoring assets',
  'verify-assets': 'checking assets',
  'restore-html': 'restoring HTML',
  'verify-html': 'checking HTML',
  delete: 'deleting',
};

const DEPLOY_ID = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

export function registerRollback(program: Command, run: CliRun): void {
  const command = program
    .command('rollback')
    .description('restore an earlier deploy\'s objects from the bucket\'s versions, delete only what edgelock wrote since, then invalidate and verify')
    .requiredOption('-e, --env <name>', 'environment to roll back')
    .option('--to <id>', 'the deploy ID to restore (`edgelock deploys` lists them; default: the deploy before the current one)')
    .option('-c, --config <file>', 'config file (default: ./edgelock.config.ts, .mjs, .js or .json)')
    .option('--dry-run', 'print what would be restored (each key, its version and headers), deleted and kept, and change nothing')
    .option('--json', 'print a JSON summary');
  addWriteOptions(command)
    .action(
      run.action(async (opts: RollbackFlags) => {
        if (opts.to !== undefined && !DEPLOY_ID.test(opts.to)) {
          throw new UsageError(`--to must be a deploy ID such as 20261201T220628123Z-a1b2c3 (\`edgelock deploys --env ${opts.env}\` lists them); got "${opts.to}"`);
        }
        const shared = writeOptions(opts);
        const config = loadConfig(opts.config);
        // Loaded here, not at the top: other commands need not load the AWS SDK.
        const { RollbackError, rollbackSite } = await import('../../origin/deploy/rollback');
        const { formatRollback } = await import('../../origin/deploy/rollback-report');
        const progress = progressReporter(PHASE_LABEL, !opts.json && process.stderr.isTTY === true, run.io.stderr);
        let summary: RollbackSummary;
        try {
          summary = await rollbackSite({
            config,
            env: opts.env!,
            ...(opts.to ? { to: opts.to } : {}),
            dryRun: opts.dryRun ?? false,
            ...shared,
            onEvent: progress.onEvent,
          });
        } catch (err) {
          progress.stop();
          if (opts.json && err instanceof RollbackError) run.io.stdout(`${JSON.stringify(err.summary, null, 2)}\n`);
          throw err;
        }
        progress.stop();
        run.io.stdout(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatRollback(summary));
      }),
    );
}
