/**
 * A large generated S3 access log (about 60 MB, 200,000 lines, 100,000 distinct keys): streamed in
 * chunks, the summary is exact where it must be and memory stays flat.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeLogs } from '../../src/origin/logs';
import { BIN } from '../helpers/cli';

const OWNER = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
let dir: string;
let file: string;
const LINES = 200_000;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-large-'));
  file = path.join(dir, 'access.log');
  const out = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < LINES; i++) {
    const forbidden = i % 10 === 0;
    const key = forbidden && i % 20 === 0 ? 'index.html' : `assets/chunk-${i % 100_000}.js`;
    buf += `${OWNER} acme-web-prod-site-333333333333 [06/Feb/2024:${String(Math.floor(i / 10_000) % 24).padStart(2, '0')}:00:00 +0000] 130.176.0.${i % 250} cloudfront.amazonaws.com REQ${i} REST.GET.OBJECT ${key} "GET /${key} HTTP/1.1" ${forbidden ? '403 AccessDenied 243 -' : '200 - 5120 5120'} 9 8 "-" "Amazon CloudFront" - aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader acme-web-prod-site-333333333333.s3.eu-west-1.amazonaws.com TLSv1.3 - ${i % 1000 === 0 ? 'Yes' : '-'}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.on('close', () => r()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('exact counts and bounded tables', async () => {
  const { summary } = await analyzeLogs([file], { maxDistinct: 1000 });
  const j = summary.toJSON(3);
  expect(j.records.s3).toBe(LINES);
  expect(j.status).toEqual({ '200': LINES * 0.9, '403': LINES * 0.1 });
  expect(j.s3.forbidden.byKey.top[0]).toEqual({ value: 'index.html', count: LINES / 20 });
  expect(j.s3.forbidden.byKey.approximate).toBe(true);
  expect(summary.s3Forbidden.byKey.distinct).toBeLessThanOrEqual(1000);
  expect(j.s3.aclRequired.byKey.total).toBe(LINES / 1000);
  expect(j.malformed).toBe(0);
  expect(summary.bytes).toBeGreaterThan(50e6);
});

test('flat memory: the compiled CLI summarises the file with a V8 heap capped below the file size', () => {
  // 32 MB of old space for a ~60 MB file: only streaming in chunks can pass.
  const r = spawnSync(process.execPath, ['--max-old-space-size=32', BIN, 'logs', file, '--json'], { encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).not.toMatch(/edgelock:|heap out of memory/);
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout).records.s3).toBe(LINES);
});
