/**
 * The local edge, assembled: the environment's built bundles (from the manifest in the dist
 * folder), an origin (the embedded S3 holding the environment's bucket, or a folder), the
 * CloudFront flow and cache, and the viewer-facing server.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { assertFresh } from '../build/freshness';
import { HANDLERS, type HandlerName } from '../build/handlers';
import { MANIFEST_FILE, type Manifest } from '../build/manifest';
import { selectEnvironment } from '../config/load';
import type { ResolvedConfig, ResolvedEnvironment } from '../config/schema';
import { describeConfiguredDistribution, describeViewerTls, type ViewerTlsDescription } from '../distribution';
import { EdgelockError } from '../errors';
import { LocalEdge, type Invoker } from './edge';
import { startEmbeddedS3, type EmbeddedS3 } from './embedded-s3';
import type { EdgeEventType as EventType } from '../edge/cloudfront';
import { directoryOrigin, s3Origin, type Origin } from './origin';
import { createRecorder, type Recorder } from './record';
import { BundleRunner } from './runner';
import { startDevServer, type DevServer } from './server';
import { devCertificate } from './tls';

export { LocalEdge } from './edge';
export { startEmbeddedS3, type EmbeddedS3, type S3LogEntry } from './embedded-s3';
export { startDevServer } from './server';
export { REDACTED, redactCredentials, type RecordedInvocation, type Recorder } from './record';

import { DEFAULT_DEV_PORT } from './defaults';

export { DEFAULT_DEV_PORT };

export interface LocalEdgeOptions {
  readonly config: ResolvedConfig;
  /** Environment name. */
  readonly env: string;
  /** Folder holding manifest.json and the bundles (`edgelock build`'s output). */
  readonly distDir: string;
  /** Viewer port; 0 picks a free one. @default 8787 */
  readonly port?: number;
  /** Serve https on `port` with a self-signed certificate kept in `certDir`, and redirect http from `redirectPort`. */
  readonly https?: { readonly certDir: string; readonly redirectPort: number };
  /** Serve this folder as the origin instead of the embedded S3. */
  readonly originDir?: string;
  /** Deploy this folder into the embedded bucket at start (with the deployer). */
  readonly siteDir?: string;
  /** Where the embedded S3 keeps objects. @default a temporary folder removed on close */
  readonly s3Dir?: string;
  /** Port of the embedded S3; 0 picks a free one. @default 0 */
  readonly s3Port?: number;
  /** One line per handler failure or origin problem. */
  readonly log?: (line: string) => void;
  /** One line per request answered. */
  readonly accessLog?: (line: string) => void;
  /** Write every function invocation (event, result) into this folder, credentials redacted. */
  readonly recordDir?: string;
  /** Size of the edge cache in bytes; 0 caches nothing (every request is a miss). @default 64 MiB */
  readonly cacheBytes?: number;
}

export interface RunningLocalEdge {
  readonly url: string;
  readonly server: DevServer;
  readonly edge: LocalEdge;
  readonly environment: ResolvedEnvironment;
  /** The embedded S3 (absent with `originDir`). */
  readonly s3?: EmbeddedS3;
  readonly origin: Origin;
  /** Handlers running, in CloudFront order. */
  readonly handlers: readonly HandlerName[];
  /** The self-signed certificate (PEM file) with https. */
  readonly certFile?: string;
  /** With https: the TLS offered, as the deployed distribution offers it to this environment's viewers. */
  readonly viewerTls?: ViewerTlsDescription;
  /** Files uploaded from `siteDir` by the deployer. */
  readonly uploaded: number;
  /** The recorder, with `recordDir`. */
  readonly recorder?: Recorder;
  close(): Promise<void>;
}

/** Reads the manifest and checks it holds the environment's bundles, built from this config (BUILD_STALE if not). */
export function readDevManifest(distDir: string, config: ResolvedConfig, env: ResolvedEnvironment): Manifest {
  const file = path.join(distDir, MANIFEST_FILE);
  if (!existsSync(file)) throw new EdgelockError(`no ${file}: run "edgelock build" first (or drop --no-build)`, { code: 'BUILD_MISSING' });
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (err) {
    throw new EdgelockError(`${file} is not valid JSON: ${(err as Error).message}; rebuild with "edgelock build"`, { code: 'BUILD_STALE', cause: err });
  }
  if (manifest.project !== config.project) {
    throw new EdgelockError(`${file} was built for project "${manifest.project}", not "${config.project}"; rebuild with "edgelock build"`, { code: 'BUILD_STALE' });
  }
  const handlers = manifest.environments?.[env.name];
  if (!handlers) throw new EdgelockError(`${file} has no bundles for environment "${env.name}"; rebuild with "edgelock build --env ${env.name}"`, { code: 'BUILD_MISSING' });
  if (env.auth && !handlers['viewer-request']) {
    throw new EdgelockError(`environment "${env.name}" has auth: true but ${file} has no viewer-request bundle for it; rebuild with "edgelock build"`, { code: 'BUILD_MISSING' });
  }
  assertFresh(manifest, config, env.name);
  return manifest;
}

/** Starts everything; on failure, stops what had started. */
export async function startLocalEdge(options: LocalEdgeOptions): Promise<RunningLocalEdge> {
  const env = selectEnvironment(options.config, options.env);
  const manifest = readDevManifest(options.distDir, options.config, env);
  const stack: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stack.reverse().splice(0)) await stop().catch(() => undefined);
  };
  try {
    const runners: Partial<Record<EventType, Invoker>> = {};
    const names: HandlerName[] = [];
    for (const spec of HANDLERS) {
      const artifact = manifest.environments[env.name]?.[spec.name];
      if (!artifact) continue;
      const runner = new BundleRunner({ name: spec.name, bundle: path.join(options.distDir, artifact.bundle), timeoutMs: spec.timeoutSeconds * 1000, memoryMb: spec.memoryMb });
      stack.push(() => runner.close());
      runners[spec.eventType] = runner;
      names.push(spec.name);
    }

    let origin: Origin;
    let s3: EmbeddedS3 | undefined;
    let uploaded = 0;
    if (options.originDir) {
      origin = directoryOrigin(options.originDir);
    } else {
      const started = await startEmbeddedS3({ buckets: [env.bucket], port: options.s3Port ?? 0, ...(options.s3Dir ? { directory: options.s3Dir } : {}) });
      s3 = started;
      stack.push(() => started.close());
      if (options.siteDir) {
        // The grant-aware deployer fills the bucket, as it would a real one. Loaded on demand: the
        // AWS SDK is heavy, and only uploads need it.
        const { deploySite } = await import('../origin/deploy');
        const summary = await deploySite({
          config: options.config,
          env: env.name,
          dir: options.siteDir,
          endpoint: started.endpoint,
          credentials: started.credentials,
          onEvent: (e) => {
            if (e.type === 'warning') options.log?.(`deploy: ${e.message}`);
          },
        });
        uploaded = summary.counts.uploaded;
      }
      origin = s3Origin({ endpoint: started.endpoint, credentials: started.readerCredentials });
    }

    const recorder = options.recordDir ? createRecorder(options.recordDir, options.log) : undefined;
    const edge = new LocalEdge({
      handlers: runners,
      origin,
      env,
      description: describeConfiguredDistribution(options.config),
      ...(options.cacheBytes !== undefined ? { cacheBytes: options.cacheBytes } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(recorder ? { record: (entry: Parameters<Recorder['record']>[0]) => recorder.record(entry) } : {}),
    });
    const cert = options.https ? await devCertificate(options.https.certDir) : undefined;
    // The TLS the deployed distribution offers this environment's viewers (its certificate decides).
    const viewerTls = describeViewerTls(env);
    const server = await startDevServer({
      edge,
      port: options.port ?? DEFAULT_DEV_PORT,
      ...(options.accessLog ? { accessLog: options.accessLog } : {}),
      ...(cert && options.https ? { tls: { key: cert.key, cert: cert.cert, redirectPort: options.https.redirectPort, minVersion: viewerTls.minimumTlsVersion } } : {}),
    });
    stack.push(() => server.close());
    return {
      url: server.url,
      server,
      edge,
      environment: env,
      ...(s3 ? { s3 } : {}),
      origin,
      handlers: names,
      ...(cert ? { certFile: cert.certFile, viewerTls } : {}),
      uploaded,
      ...(recorder ? { recorder } : {}),
      close: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
