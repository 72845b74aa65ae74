/**
 * Mozilla HTTP Observatory grades the local edge over HTTPS (with the http port redirecting):
 * the default headers must score A+. The scanner runs in its own process so that it trusts the
 * local edge's self-signed certificate through NODE_EXTRA_CA_CERTS.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RunningLocalEdge } from '../../src/dev';
import { tempDir } from '../helpers/config';
import { buildExample, startExample } from './helpers';

let edge: RunningLocalEdge;

beforeAll(async () => {
  edge = await startExample(await buildExample(), { https: { certDir: tempDir('edgelock-e2e-tls-'), redirectPort: 0 } });
});
afterAll(() => edge?.close());

test('the protected site scores A+', async () => {
  const args = [path.join(__dirname, 'observatory-scan.mjs'), String(edge.server.port), String(edge.server.redirectPort)];
  // Async spawn: the local edge runs in this process and must keep answering.
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: edge.certFile! }, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(text));
  });
  const result = JSON.parse(out) as { grade: string; score: number; status: number; verified: boolean; tests: Record<string, { result: string; pass: boolean; modifier: number }> };
  const failed = Object.entries(result.tests).filter(([, t]) => !t.pass || t.modifier < 0);
  expect({ verified: result.verified, failed }).toEqual({ verified: true, failed: [] });
  expect(result.tests.redirection?.result).toBe('redirection-to-https');
  expect(result.grade).toBe('A+');
}, 60_000);
