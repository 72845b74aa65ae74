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
}

/** Runs the doctor for the CLI; `clients` is injectable for tests. Returns the exit code. */
export async function doctorCommand(opts: DoctorCliOptions, clients?: DoctorClients, out: (s: string) => void = PROCESS_IO.stdout, err: (s: string) => void = PROCESS_IO.stderr): Promise<number> {
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
    .action(
      run.action(async (opts: DoctorCliOptions) => {
        return doctorCommand(opts, undefined, run.io.stdout, run.io.stderr);
      }),
    );
}
