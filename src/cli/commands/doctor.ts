import type { Command } from 'commander';
import { toEdgeConfig } from '../../build/edge-config';
import { loadConfig, selectEnvironment } from '../../config/load';
import { UsageError } from '../../errors';
import type { DoctorClients } from '../../origin/doctor';
import { PROCESS_IO, type CliRun } from '../run';

const DISTRIBUTION_ID = /^E[A-Z0-9]{7,20}$/;

export interface DoctorCliOptions {
  config?: string;
  env: string;
  key?: string;
  distribution?: string;
  json?: boolean;
  verbose?: boolean;
  /** An S3 endpoint other than AWS's. */
  endpoint?: string;
  /** Run functions that are not edgelock's where they live to follow the key past them. */
  replay?: boolean;
  /** Check every object under the prefix CloudFront reads. */
  sweep?: boolean;
  /** An S3 Inventory report (s3://...) for the sweep. */
  inventory?: string;
  /** Print the Athena query over --inventory instead of sweeping. */
  athena?: boolean;
}

/** Extra wiring for tests: where the sweep's progress line goes (a terminal only). */
export interface DoctorCliIo {
  readonly progress?: import('../sweep-progress').ProgressStream;
  /** Keys per ListObjectsV2 page. */
  readonly pageSize?: number;
}

/** Runs the doctor for the CLI; `clients` is injectable for tests. Returns the exit code. */
export async function doctorCommand(opts: DoctorCliOptions, clients?: DoctorClients, out: (s: string) => void = PROCESS_IO.stdout, err: (s: string) => void = PROCESS_IO.stderr, io: DoctorCliIo = {}): Promise<number> {
  if (opts.inventory !== undefined && !opts.sweep && !opts.athena) throw new UsageError('--inventory reads an S3 Inventory report for a sweep: add --sweep (or --athena to print the Athena query over it)');
  if (opts.athena && opts.inventory === undefined) throw new UsageError('--athena prints the Athena query over an S3 Inventory report: give the report with --inventory s3://BUCKET/PREFIX/');
  if ((opts.sweep || opts.athena) && opts.key !== undefined) throw new UsageError('--sweep checks every object under the origin path: leave out --key (or leave out --sweep to check one key)');
  const config = loadConfig(opts.config);
  const env = selectEnvironment(config, opts.env);
  const distributionId = opts.distribution ?? env.distributionId;
  if (!distributionId) {
    throw new UsageError(`environment "${env.name}" has no distributionId in ${config.configPath}: pass --distribution ID (e.g. E2QWRUHAPOMQZL) or add distributionId to the environment`);
  }
  if (!DISTRIBUTION_ID.test(distributionId)) throw new UsageError(`--distribution "${distributionId}" is not a CloudFront distribution ID such as E2QWRUHAPOMQZL`);
  if (opts.key !== undefined && opts.key.replace(/^\/+/, '') === '') throw new UsageError('--key is empty: give an object key such as index.html, or leave it out to check the root object');
  // Loaded here, not at start-up: the AWS SDK clients take a while to load and other commands do not need them.
  const { createClients, renderReport, resolveEndpoints, runDoctor } = await import('../../origin/doctor');
  // Checked before any call: a bad URL is a usage error, not "AWS unreachable".
  const endpoints = resolveEndpoints(process.env, opts.endpoint ? { s3: opts.endpoint } : {});
  if (opts.sweep || opts.athena) return sweepCommand(opts, { env, distributionId, clients: clients ?? createClients(env.region, endpoints), edge: toEdgeConfig(config, env), deployPrefix: config.deploy.prefix, doctor: config.doctor }, out, io);
  if (!opts.json && process.stderr.isTTY) err(`checking ${env.name}: distribution ${distributionId}, bucket ${env.bucket}...\n`);
  const report = await runDoctor({
    env,
    distributionId,
    clients: clients ?? createClients(env.region, endpoints),
    edge: toEdgeConfig(config, env),
    ...(opts.key !== undefined ? { key: opts.key } : {}),
    ...(opts.replay ? { replay: true } : {}),
  });
  out(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, { verbose: !!opts.verbose }));
  return report.cause ? 1 : 0;
}

async function sweepCommand(
  opts: DoctorCliOptions,
  o: Omit<import('../../origin/doctor/sweep').SweepOptions, 'threshold' | 'concurrency'> & { doctor: { sweepThreshold: number; sweepConcurrency: number } },
  out: (s: string) => void,
  io: DoctorCliIo,
): Promise<number> {
  const { athenaForInventory, parseS3Uri, renderSweep, runSweep } = await import('../../origin/doctor/sweep');
  const { doctor, ...base } = o;
  const inventory = opts.inventory !== undefined ? parseS3Uri(opts.inventory) : undefined;
  if (opts.athena && inventory) {
    const q = await athenaForInventory({ ...base, inventory });
    out(opts.json ? `${JSON.stringify(q, null, 2)}\n` : `-- S3 Inventory ${q.manifest}\n${q.createTable}\n\n${q.select}\n`);
    return 0;
  }
  const progress = opts.json ? undefined : (await import('../sweep-progress')).sweepProgress(io.progress ?? process.stderr);
  const report = await runSweep({
    ...base,
    threshold: doctor.sweepThreshold,
    concurrency: doctor.sweepConcurrency,
    ...(inventory ? { inventory } : {}),
    ...(io.pageSize ? { pageSize: io.pageSize } : {}),
    ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
  }).finally(() => progress?.stop());
  out(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderSweep(report));
  return report.objectsWithProblems ? 1 : 0;
}

export function registerDoctor(program: Command, run: CliRun): void {
  program
    .command('doctor')
    .description('explain a CloudFront→S3 403: walk the distribution, bucket policy, Block Public Access, object ownership, KMS, the key, Organizations policies and the edge guard, and name the likeliest cause first')
    .requiredOption('-e, --env <name>', 'environment to check')
    .option('-c, --config <file>', 'config file (default: ./edgelock.config.ts, .mjs, .js or .json)')
    .option('-k, --key <key>', 'object key to check (default: the distribution\'s root object)')
    .option('-d, --distribution <id>', 'distribution ID (default: the environment\'s distributionId)')
    .option('--json', 'print the report as JSON')
    .option('-v, --verbose', 'show the evidence of passing checks too')
    .option('--replay', 'run CloudFront Functions (TestFunction, LIVE stage) and Lambda@Edge functions (Invoke of the associated version) that are not edgelock\'s on a synthesized request, to follow the key past them')
    .option('--endpoint <url>', 'S3 endpoint other than AWS\'s, e.g. http://127.0.0.1:4566 (path-style on an IP or localhost); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured too')
    .option('--sweep', 'check every object under the origin path for what breaks CloudFront reads (foreign owner, ACL-only access, KMS key, archived storage, SSE-C), summarised by cause')
    .option('--inventory <s3uri>', 'with --sweep: read this S3 Inventory report (a manifest.json, or an inventory configuration\'s folder for its newest report) instead of listing')
    .option('--athena', 'with --inventory: print the Athena query over the report (CREATE EXTERNAL TABLE and a SELECT by cause) instead of sweeping')
    .action(
      run.action(async (opts: DoctorCliOptions) => {
        return doctorCommand(opts, undefined, run.io.stdout, run.io.stderr);
      }),
    );
}
