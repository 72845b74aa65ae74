import path from 'node:path';
import type { Command } from 'commander';
import type { SingleBar } from 'cli-progress';
import { loadConfig } from '../../config/load';
import { UsageError } from '../../errors';
import type { DeployEvent, DeploySummary } from '../../origin/deploy';
import type { CliRun } from '../run';

interface DeployFlags {
  env?: string;
  config?: string;
  dryRun?: boolean;
  json?: boolean;
  concurrency?: string;
  prune: boolean;
  adopt?: boolean;
  allowDeletes?: boolean;
  endpoint?: string;
  roleArn?: string;
  probeCredentials?: string;
  verify: boolean;
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

/** A progress bar on a TTY (stderr), nothing otherwise; warnings always go to stderr. */
function progressReporter(tty: boolean, warn: (text: string) => void): { onEvent: (e: DeployEvent) => void; stop: () => void } {
  let bar: SingleBar | undefined;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    stop,
    onEvent(e) {
      if (e.type === 'warning') {
        if (bar) bar.stop();
        warn(`warning: ${e.message}\n`);
        bar = undefined;
      } else if (tty && e.type === 'phase' && PHASE_LABEL[e.phase] && e.total > 0) {
        stop();
        // cli-progress loads only when a bar is drawn (a TTY), not for --json or a pipe.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        bar = new (require('cli-progress') as typeof import('cli-progress')).SingleBar({ format: `${PHASE_LABEL[e.phase]!.padEnd(16)} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: true });
        bar.start(e.total, 0);
      } else if (e.type === 'progress') {
        bar?.update(e.done);
      }
    },
  };
}

export function registerDeploy(program: Command, run: CliRun): void {
  program
    .command('deploy')
    .argument('<dir>', 'the site folder to deploy')
    .description('deploy a static site to an environment\'s bucket: ownership-aware ACLs, assets before HTML, invalidation, verification, then pruning')
    .requiredOption('-e, --env <name>', 'environment to deploy to')
    .option('-c, --config <file>', 'config file (default: ./edgelock.config.ts, .mjs, .js or .json)')
    .option('--dry-run', 'print the plan (each file with its headers, what is deleted, kept and skipped and why, the invalidation paths) and change nothing')
    .option('--json', 'print a JSON summary (counts, bytes, duration, invalidation, verification)')
    .option('--concurrency <n>', 'parallel requests (default: deploy.concurrency, 16)')
    .option('--no-prune', 'keep keys the site no longer has')
    .option('--adopt', 'declare the bucket (under deploy.prefix) the site\'s alone: prune keys no deploy record lists too')
    .option('--allow-deletes', 'delete more keys than deploy.maxDeletes allows')
    .option('--endpoint <url>', 'any S3 endpoint, e.g. http://127.0.0.1:4568 (path-style; no CloudFront)')
    .option('--role-arn <arn>', 'assume this role first (the environment account\'s deploy role)')
    .option('--probe-credentials <user:password>', 'Basic auth credentials for the probe (default: $EDGELOCK_PROBE_CREDENTIALS or deploy.verify.probeCredentialsEnv)')
    .option('--no-verify', 'skip the ownership check and the probe')
    .option('--full-listing', 'compare against a full listing of the bucket even when the last deploy record suffices (finds objects changed behind edgelock\'s back)')
    .option('--no-digest-cache', 'hash every file instead of reusing the digests in .edgelock/digests/ for files whose size, times and inode are unchanged')
    .action(
      run.action(async (dir: string, opts: DeployFlags) => {
        const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
        if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) {
          throw new UsageError(`--concurrency must be a whole number from 1 to 256 (got "${opts.concurrency}")`);
        }
        if (opts.endpoint && !/^https?:\/\/[^/]+\/?$/.test(opts.endpoint)) {
          throw new UsageError(`--endpoint must be a base URL such as http://127.0.0.1:4568 (got "${opts.endpoint}")`);
        }
        if (opts.probeCredentials !== undefined && !/^[^:]+:.+$/.test(opts.probeCredentials)) {
          throw new UsageError('--probe-credentials must be "user:password"');
        }
        const config = loadConfig(opts.config);
        // Loaded here, not at the top: other commands need not load the AWS SDK.
        const { DeployError, deploySite } = await import('../../origin/deploy');
        const { formatSummary } = await import('../../origin/deploy/report');
        const progress = progressReporter(!opts.json && process.stderr.isTTY === true, run.io.stderr);
        let summary: DeploySummary;
        try {
          summary = await deploySite({
            config,
            env: opts.env!,
            dir,
            dryRun: opts.dryRun ?? false,
            prune: opts.prune,
            adopt: opts.adopt ?? false,
            allowDeletes: opts.allowDeletes ?? false,
            verify: opts.verify,
            ...(opts.digestCache ? { digestCacheDir: path.join(config.baseDir, '.edgelock') } : {}),
            fullListing: opts.fullListing ?? false,
            ...(concurrency !== undefined ? { concurrency } : {}),
            ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
            ...(opts.roleArn ? { roleArn: opts.roleArn } : {}),
            ...(opts.probeCredentials ? { probeCredentials: opts.probeCredentials } : {}),
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
