import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../../config/load';
import { UsageError } from '../../errors';
import type { RollbackEvent, RollbackSummary } from '../../origin/deploy/rollback';
import type { CliRun } from '../run';

interface RollbackFlags {
  env?: string;
  to?: string;
  config?: string;
  dryRun?: boolean;
  json?: boolean;
  concurrency?: string;
  allowDeletes?: boolean;
  endpoint?: string;
  roleArn?: string;
  probeCredentials?: string;
  verify: boolean;
}

const PHASE_LABEL: Record<string, string> = {
  'restore-assets': 'restoring assets',
  'verify-assets': 'checking assets',
  'restore-html': 'restoring HTML',
  'verify-html': 'checking HTML',
  delete: 'deleting',
};

/** A progress bar on a TTY (stderr), nothing otherwise; warnings always go to stderr. */
function progressReporter(tty: boolean, warn: (text: string) => void): { onEvent: (e: RollbackEvent) => void; stop: () => void } {
  let bar: SingleBar | undefined;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  return {
    stop,
    onEvent(e) {
      if (e.type === 'warning') {
        stop();
        warn(`warning: ${e.message}\n`);
      } else if (tty && e.type === 'phase' && PHASE_LABEL[e.phase] && e.total > 0) {
        stop();
        bar = new SingleBar({ format: `${PHASE_LABEL[e.phase]!.padEnd(16)} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: true });
        bar.start(e.total, 0);
      } else if (e.type === 'progress') {
        bar?.update(e.done);
      }
    },
  };
}

const DEPLOY_ID = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

export function registerRollback(program: Command, run: CliRun): void {
  program
    .command('rollback')
    .description('restore an earlier deploy\'s objects from the bucket\'s versions, delete only what edgelock wrote since, then invalidate and verify')
    .requiredOption('-e, --env <name>', 'environment to roll back')
    .option('--to <id>', 'the deploy ID to restore (`edgelock deploys` lists them; default: the deploy before the current one)')
    .option('-c, --config <file>', 'config file (default: ./edgelock.config.ts, .mjs, .js or .json)')
    .option('--dry-run', 'print what would be restored (each key, its version and headers), deleted and kept, and change nothing')
    .option('--json', 'print a JSON summary')
    .option('--concurrency <n>', 'requests in flight at once (default: deploy.concurrency, 16)')
    .option('--allow-deletes', 'delete more keys than deploy.maxDeletes allows')
    .option('--endpoint <url>', 'any S3 endpoint, e.g. http://127.0.0.1:4568 (path-style; no CloudFront)')
    .option('--role-arn <arn>', 'assume this role first (the environment account\'s deploy role)')
    .option('--probe-credentials <user:password>', 'Basic auth credentials for the probe (default: $EDGELOCK_PROBE_CREDENTIALS or deploy.verify.probeCredentialsEnv)')
    .option('--no-verify', 'skip the ownership check and the probe')
    .action(
      run.action(async (opts: RollbackFlags) => {
        const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
        if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) {
          throw new UsageError(`--concurrency must be a whole number from 1 to 256 (got "${opts.concurrency}")`);
        }
        if (opts.to !== undefined && !DEPLOY_ID.test(opts.to)) {
          throw new UsageError(`--to must be a deploy ID such as 20261201T220628123Z-a1b2c3 (\`edgelock deploys --env ${opts.env}\` lists them); got "${opts.to}"`);
        }
        if (opts.endpoint && !/^https?:\/\/[^/]+\/?$/.test(opts.endpoint)) {
          throw new UsageError(`--endpoint must be a base URL such as http://127.0.0.1:4568 (got "${opts.endpoint}")`);
        }
        if (opts.probeCredentials !== undefined && !/^[^:]+:.+$/.test(opts.probeCredentials)) {
          throw new UsageError('--probe-credentials must be "user:password"');
        }
        const config = loadConfig(opts.config);
        // Loaded here, not at the top: other commands need not load the AWS SDK.
        const { RollbackError, rollbackSite } = await import('../../origin/deploy/rollback');
        const { formatRollback } = await import('../../origin/deploy/rollback-report');
        const progress = progressReporter(!opts.json && process.stderr.isTTY === true, run.io.stderr);
        let summary: RollbackSummary;
        try {
          summary = await rollbackSite({
            config,
            env: opts.env!,
            ...(opts.to ? { to: opts.to } : {}),
            dryRun: opts.dryRun ?? false,
            allowDeletes: opts.allowDeletes ?? false,
            verify: opts.verify,
            ...(concurrency !== undefined ? { concurrency } : {}),
            ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
            ...(opts.roleArn ? { roleArn: opts.roleArn } : {}),
            ...(opts.probeCredentials ? { probeCredentials: opts.probeCredentials } : {}),
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
