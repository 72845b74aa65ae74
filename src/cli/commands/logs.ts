import type { Command } from 'commander';
import { DEFAULT_CONFIG_FILES, loadConfig } from '../../config/load';
import { EdgelockError, UsageError } from '../../errors';
import { PROCESS_IO, type CliRun } from '../run';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface LogsCliOptions {
  since?: string;
  json?: boolean;
  top?: string;
  config?: string;
}

/** Rows per table: --top, else the config's doctor.logTop when a config is present, else 10. */
function topRows(opts: LogsCliOptions): number {
  if (opts.top !== undefined) {
    const n = Number(opts.top);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--top must be a whole number from 1 to 1000 (got "${opts.top}")`);
    return n;
  }
  const hasConfig = opts.config !== undefined || DEFAULT_CONFIG_FILES.some((f) => existsSync(path.join(process.cwd(), f)));
  return hasConfig ? loadConfig(opts.config).doctor.logTop : 10;
}

export async function logsCommand(targets: string[], opts: LogsCliOptions, out: (s: string) => void = PROCESS_IO.stdout, err: (s: string) => void = PROCESS_IO.stderr): Promise<void> {
  const top = topRows(opts);
  // Loaded here, not at the top: other commands need not load the log analysis.
  const { analyzeLogs, parseSince, renderSummary } = await import('../../origin/logs');
  const since = opts.since !== undefined ? parseSince(opts.since) : undefined;
  const { SingleBar } = require('cli-progress') as typeof import('cli-progress');
  const bar = !opts.json && process.stderr.isTTY ? new SingleBar({ format: 'reading logs {bar} {percentage}% | {value}/{total} MB | {file}', stream: process.stderr, hideCursor: true }) : undefined;
  let started = false;
  const { summary, skipped } = await analyzeLogs(targets, {
    ...(since !== undefined ? { since } : {}),
    s3: () => new (require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3')).S3Client({ region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1', followRegionRedirects: true }),
    ...(bar
      ? {
          onProgress: (done: number, total: number, file: string) => {
            const mb = (n: number) => Math.round(n / 1e6);
            if (!started) {
              bar.start(mb(total), 0, { file: path.basename(file) });
              started = true;
            }
            bar.update(mb(done), { file: path.basename(file) });
          },
        }
      : {}),
  }).finally(() => started && bar?.stop());
  if (opts.json) out(`${JSON.stringify({ ...summary.toJSON(top), skipped }, null, 2)}\n`);
  else out(renderSummary(summary, { top, skipped }));
  // Input that holds no record at all is not a summary of nothing: it is the wrong input (exit 2).
  if (summary.s3Records + summary.cloudFrontRecords + summary.skippedBefore === 0) {
    const read = summary.files === 0 && skipped.length === 0 ? 'no log files found' : `${summary.files} file(s) read, ${skipped.length} skipped as not logs, no record in any`;
    throw new EdgelockError(
      `no log records in ${targets.join(', ')}: ${read}. Pass S3 server access logs or CloudFront standard logs (plain or gzip), or the folder or s3:// prefix that holds them.`,
      { code: 'LOGS_UNREADABLE', exitCode: 2 },
    );
  }
}

export function registerLogs(program: Command, run: CliRun): void {
  program
    .command('logs')
    .argument('<targets...>', 'log files, folders (read recursively) or s3://bucket/prefix')
    .description('summarise S3 server access logs and CloudFront standard logs (plain or gzip, format detected): counts by status, 403s by key, requester, user agent and error code, requests that need ACLs, CloudFront errors by result type')
    .option('--since <time>', 'only records at or after this time: an ISO date or time (UTC by default), or 30m, 12h, 7d back from now')
    .option('--top <n>', 'rows per table (default: doctor.logTop from the config, else 10)')
    .option('-c, --config <file>', 'config file for doctor.logTop')
    .option('--json', 'print the summary as JSON')
    .action(
      run.action(async (targets: string[], opts: LogsCliOptions) => {
        await logsCommand(targets, opts, run.io.stdout, run.io.stderr);
      }),
    );
}
