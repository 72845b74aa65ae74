import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import type { DeploySummary } from '../../origin/deploy';
import type { CliRun } from '../run';
import { addWriteOptions, progressReporter, writeOptions, type WriteFlags } from './write-options';

interface DeployFlags extends WriteFlags {
  env?: string;
  config?: string;
  dryRun?: boolean;
  json?: boolean;
  prune: boolean;
  adopt?: boolean;
  digestCache: boolean;
  fullListing?: boolean;
}

const PHASE_LABEL: Record<string, string> = {
  'upload-assets': 'uploading assets',
  'verify-assets': 'checking assets',
  'upload-html': 'uploading HTML',
  'verify-html': 'checking HTML',
  restamp: 'updating headers',
  prune: 'pruning',
};

export function registerDeploy(program: Command, run: CliRun): void {
  const command = program
    .command('deploy')
    .argument('<dir>', 'the site folder to deploy')
    .description('deploy a static site to an environment\'s bucket: ownership-aware ACLs, assets before HTML, invalidation, verification, then pruning')
    .requiredOption('-e, --env <name>', 'environment to deploy to')
    .option('-c, --config <file>', 'config file (default: ./edgelock.config.ts, .mjs, .js or .json)')
    .option('--dry-run', 'print the plan (each file with its headers, what is deleted, kept and skipped and why, the invalidation paths) and change nothing')
    .option('--json', 'print a JSON summary (counts, bytes, duration, invalidation, verification)')
    .option('--no-prune', 'keep keys the site no longer has')
    .option('--adopt', 'declare the bucket (under deploy.prefix) the site\'s alone: prune keys no deploy record lists too')
    .option('--full-listing', 'compare against a full listing of the bucket even when the last deploy record suffices (finds objects changed behind edgelock\'s back)')
    .option('--no-digest-cache', 'hash every file instead of reusing the digests in .edgelock/digests/ for files whose size, times and inode are unchanged');
  addWriteOptions(command)
    .action(
      run.action(async (dir: string, opts: DeployFlags) => {
        const shared = writeOptions(opts);
        const config = loadConfig(opts.config);
        // Loaded here, not at the top: other commands need not load the AWS SDK.
        const { DeployError, deploySite } = await import('../../origin/deploy');
        const { formatSummary } = await import('../../origin/deploy/report');
        const progress = progressReporter(PHASE_LABEL, !opts.json && process.stderr.isTTY === true, run.io.stderr);
        let summary: DeploySummary;
        try {
          summary = await deploySite({
            config,
            env: opts.env!,
            dir,
            dryRun: opts.dryRun ?? false,
            prune: opts.prune,
            adopt: opts.adopt ?? false,
            ...shared,
            ...(opts.digestCache ? { digestCacheDir: path.join(config.baseDir, '.edgelock') } : {}),
            fullListing: opts.fullListing ?? false,
            onEvent: progress.onEvent,
          });
        } catch (err) {
          progress.stop();
          if (opts.json && err instanceof DeployError) run.io.stdout(`${JSON.stringify(err.summary, null, 2)}\n`);
          throw err;
        }
        progress.stop();
        run.io.stdout(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      }),
    );
}
