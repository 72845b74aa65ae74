/**
 * `edgelock dev`: the environment's real edge bundles behind a local CloudFront, over an embedded
 * private S3 (or a folder), until Ctrl-C. Also the engine of `edgelock start`.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import type { ResolvedConfig } from '../../config/schema';
// The local edge, the build and esbuild are loaded when `dev` or `start` runs, not by every command.
import type { LocalEdgeOptions, RunningLocalEdge } from '../../dev';
import { DEFAULT_DEV_PORT } from '../../dev/defaults';
import { UsageError } from '../../errors';
import { PROCESS_IO, type CliIo, type CliRun } from '../run';

export interface DevCliOptions {
  config?: string;
  env?: string;
  port: string;
  https?: boolean;
  httpPort?: string;
  origin?: string;
  site?: string;
  dist: string;
  build: boolean;
  quiet?: boolean;
  json?: boolean;
  record?: string;
}

export function parsePort(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`${flag} must be a port number from 0 to 65535 (got "${value}"); 0 picks a free port`);
  return n;
}

/** What `dev` and `start` print once the edge is up. */
export function banner(running: RunningLocalEdge, extra: readonly string[] = []): string {
  const lines = [
    `edgelock local edge for environment "${running.environment.name}" (${running.handlers.join(', ') || 'no handlers'})`,
    `  site:    ${running.url}/`,
  ];
  if (running.server.redirectUrl) lines.push(`  http:    ${running.server.redirectUrl}/ (redirects to https)`);
  if (running.certFile) lines.push(`  cert:    ${running.certFile} (self-signed; trust it or expect a browser warning)`);
  if (running.viewerTls) {
    lines.push(running.viewerTls.certificate === 'acm'
      ? `  tls:     ${running.viewerTls.minimumTlsVersion} and newer (${running.viewerTls.securityPolicy}, as the distribution with its ACM certificate)`
      : `  tls:     ${running.viewerTls.minimumTlsVersion} and newer (the default *.cloudfront.net certificate's policy: set domain and certificateArn for TLS 1.2)`);
  }
  lines.push(`  origin:  ${running.origin.description}`);
  if (running.s3) {
    lines.push(`  bucket:  ${running.environment.bucket} (${running.environment.originAccess.toUpperCase()}; anonymous requests to S3 are refused)`);
    lines.push(`  S3 keys: ${running.s3.credentials.accessKeyId} / ${running.s3.credentials.secretAccessKey} (path-style requests to ${running.s3.endpoint})`);
  }
  if (running.uploaded) lines.push(`  deployed ${running.uploaded} files into the bucket`);
  if (running.recorder) lines.push(`  record:  ${running.recorder.dir} (one file per function call; Authorization values redacted)`);
  lines.push(...extra, 'Press Ctrl-C to stop.');
  return `${lines.join('\n')}\n`;
}

export function jsonSummary(running: RunningLocalEdge, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({
    pid: process.pid,
    url: running.url,
    redirectUrl: running.server.redirectUrl ?? null,
    environment: running.environment.name,
    handlers: running.handlers,
    origin: running.origin.description,
    s3: running.s3 ? { endpoint: running.s3.endpoint, bucket: running.environment.bucket, accessKeyId: running.s3.credentials.accessKeyId, secretAccessKey: running.s3.credentials.secretAccessKey } : null,
    certFile: running.certFile ?? null,
    viewerTls: running.viewerTls ?? null,
    uploaded: running.uploaded,
    record: running.recorder?.dir ?? null,
    ...extra,
  })}\n`;
}

/**
 * Stops on the first SIGINT or SIGTERM, or when the parent process goes away (a wrapper such as
 * npm killed without passing the signal on), then lets the process end on its own.
 */
export function stopOnSignal(running: RunningLocalEdge, io: CliIo = PROCESS_IO): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const parent = process.ppid;
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      clearInterval(orphanCheck);
      io.stderr(`\n${why}: stopping the local edge\n`);
      void running.close().then(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      });
    };
    const orphanCheck = setInterval(() => {
      if (process.ppid !== parent) stop('parent process exited');
    }, 1000);
    orphanCheck.unref();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export interface ServeInput {
  readonly config: ResolvedConfig;
  readonly env: string;
  readonly opts: DevCliOptions;
  readonly distDir: string;
  readonly siteDir?: string;
  readonly extraBanner?: readonly string[];
  readonly extraJson?: Record<string, unknown>;
  /** Where the banner, the access log and warnings go. @default the process's streams */
  readonly io?: CliIo;
}

/** A folder option that names no folder is bad input (exit 2), caught before anything is built. */
function assertFolder(dir: string, flag: string): void {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`${flag} ${dir}: no such folder; pass the folder that holds the site (e.g. "public" or "dist")`);
  if (!stat.isDirectory()) throw new UsageError(`${flag} ${dir} is not a folder: pass the folder that holds the site`);
}

/** Builds (unless told not to), starts the local edge, prints where it is, serves until a signal. */
export async function serve(input: ServeInput): Promise<void> {
  const { opts, config } = input;
  const io = input.io ?? PROCESS_IO;
  const port = parsePort(opts.port, '--port');
  const httpPort = opts.httpPort === undefined ? (port === 0 ? 0 : port + 1) : parsePort(opts.httpPort, '--http-port');
  if (opts.httpPort !== undefined && !opts.https) throw new UsageError('--http-port only applies with --https');
  if (opts.origin && input.siteDir) throw new UsageError('--site uploads into the embedded S3; with --origin DIR the folder is the origin: use one or the other');
  if (input.siteDir) assertFolder(input.siteDir, '--site');
  if (opts.origin) assertFolder(path.resolve(opts.origin), '--origin');
  // The embedded S3 upload uses the AWS SDK, whose notice about future Node versions is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [{ buildEdge }, { stop: stopEsbuild }, { startLocalEdge }] = await Promise.all([import('../../build'), import('esbuild'), import('../../dev')]);
  if (opts.build) {
    await buildEdge(config, { outDir: input.distDir, env: input.env, warn: (m) => io.stderr(`warning: ${m}\n`) });
  }
  // esbuild keeps helper processes alive for later builds; a long-running server needs none.
  await stopEsbuild();
  const options: LocalEdgeOptions = {
    config,
    env: input.env,
    distDir: input.distDir,
    port,
    ...(opts.https ? { https: { certDir: path.resolve('.edgelock', 'dev-tls'), redirectPort: httpPort } } : {}),
    ...(opts.origin ? { originDir: path.resolve(opts.origin) } : {}),
    ...(input.siteDir ? { siteDir: input.siteDir } : {}),
    log: (line) => io.stderr(`edge: ${line}\n`),
    ...(opts.quiet ? {} : { accessLog: (line: string) => io.stdout(`${line}\n`) }),
    ...(opts.record ? { recordDir: path.resolve(opts.record) } : {}),
  };
  const running = await startLocalEdge(options);
  io.stdout(opts.json ? jsonSummary(running, input.extraJson) : banner(running, input.extraBanner));
  await stopOnSignal(running, io);
}

export function addServeOptions(cmd: Command): Command {
  return cmd
    .option('-p, --port <n>', 'port on 127.0.0.1 (0 picks a free one)', String(DEFAULT_DEV_PORT))
    .option('--https', 'serve https with a self-signed certificate; the http port redirects to it')
    .option('--http-port <n>', 'with --https: the port that redirects to https (default: --port + 1)')
    .option('--dist <dir>', 'folder of built bundles', 'dist')
    .option('--no-build', 'use the bundles already in --dist instead of building first')
    .option('-q, --quiet', 'no line per request')
    .option('--json', 'print where everything is as one JSON line instead of the banner');
}

export function registerDev(program: Command, run: CliRun): void {
  addServeOptions(
    program
      .command('dev')
      .description('run the environment\'s edge bundles behind a local CloudFront over an embedded private S3 (or a folder) until Ctrl-C')
      .option('-c, --config <file>', 'config file (default: ./edgelock.config.ts, .mjs, .js or .json)')
      .option('-e, --env <name>', 'environment (default: the first one in the config)')
      .option('--origin <dir>', 'serve this folder as the origin instead of the embedded S3')
      .option('--site <dir>', 'upload this folder into the embedded bucket at start')
      .option('--record <dir>', 'write every function call (event and result) into this folder as JSON, credentials redacted, to replay in tests'),
  ).action(
    run.action(async (opts: DevCliOptions) => {
      const config = loadConfig(opts.config);
      const env = opts.env ?? Object.keys(config.environments)[0]!;
      await serve({ config, env, opts, io: run.io, distDir: path.resolve(opts.dist), ...(opts.site ? { siteDir: path.resolve(opts.site) } : {}) });
    }),
  );
}
