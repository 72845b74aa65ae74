/**
 * End-to-end fixtures: the example config built into a temporary dist folder with the real
 * bundles, and raw HTTP(S) requests (so paths like "/../x" reach the edge as written).
 */
import { cpSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { buildEdge } from '../../src/build';
import { loadConfig } from '../../src/config/load';
import type { ResolvedConfig } from '../../src/config/schema';
import { startLocalEdge, type LocalEdgeOptions, type RunningLocalEdge } from '../../src/dev';
import { ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/config';

export const EXAMPLE_CONFIG = path.join(ROOT, 'examples', 'edgelock.config.ts');
export const EXAMPLE_SITE = path.join(ROOT, 'examples', 'site');
export const DEMO_AUTH = `Basic ${Buffer.from('demo:edgelock-demo').toString('base64')}`;
export const SECURITY_HEADERS = ['strict-transport-security', 'content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy'] as const;

export interface Built {
  readonly config: ResolvedConfig;
  readonly distDir: string;
}

/** Builds the example config's dev environment with the real handlers. */
export async function buildExample(): Promise<Built> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const config = loadConfig(EXAMPLE_CONFIG);
  const distDir = tempDir('edgelock-e2e-dist-');
  await buildEdge(config, { outDir: distDir, env: 'dev' });
  return { config, distDir };
}

/** A copy of a dist folder, for breaking one bundle on purpose. */
export function copyDist(distDir: string): string {
  const copy = tempDir('edgelock-e2e-broken-');
  cpSync(distDir, copy, { recursive: true });
  return copy;
}

export function startExample(built: Built, extra: Partial<LocalEdgeOptions> = {}): Promise<RunningLocalEdge> {
  return startLocalEdge({ config: built.config, env: 'dev', distDir: built.distDir, port: 0, siteDir: EXAMPLE_SITE, ...extra });
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** Sends `target` exactly as written. */
export function raw(baseUrl: string, target: string, options: { headers?: Record<string, string>; method?: string; ca?: string } = {}): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      { host: '127.0.0.1', servername: 'localhost', port: url.port, path: target, method: options.method ?? 'GET', headers: { host: url.host, ...options.headers }, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
