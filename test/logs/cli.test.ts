import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, runInProcess } from '../helpers/cli';

const FIX = path.join(__dirname, 'fixtures');

test('text report on the seed\'s logs: status counts, 403s by key and by URI', () => {
  const r = runCli(['logs', path.join(FIX, 'seed-s3.log'), path.join(FIX, 'seed-cloudfront.log'), '--top', '5']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^2 file\(s\), .* 2 S3 access record\(s\), 2 CloudFront record\(s\), 0 malformed line\(s\)/);
  expect(r.stdout).toMatch(/S3 403s by key \(1\)\n {2}1 {2}index\.html\n/);
  expect(r.stdout).toMatch(/CloudFront 403s by URI \(2\)\n {2}1 {2}\/\n {2}1 {2}\/favicon\.ico\n/);
  expect(r.stdout).toMatch(/predate the aclRequired field/);
});

test('--json is machine-readable and lists skipped files', async () => {
  const r = await runInProcess(['logs', FIX, '--json', '--since', '2024-01-01']);
  expect(r.status).toBe(0);
  const j = JSON.parse(r.stdout);
  expect(j.records).toEqual({ s3: 5, cloudfront: 3 });
  expect(j.since).toBe('2024-01-01T00:00:00.000Z');
  expect(j.skipped).toEqual([]);
});

test.each([
  [['logs', 'no/such/dir'], /no such file or folder: no\/such\/dir/],
  [['logs', FIX, '--since', 'last tuesday'], /--since "last tuesday" is not a time/],
  [['logs', FIX, '--top', '0'], /--top must be a whole number from 1 to 1000/],
  [['logs'], /error: missing required argument 'targets'/],
  [['logs', FIX, '--top'], /error: option '--top <n>' argument missing/],
])('usage errors exit 2 with a message: %j', async (args, message) => {
  const r = await runInProcess(args);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

describe('input with no log records says so and exits 2', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-nologs-'));
    writeFileSync(path.join(dir, 'empty.log'), '');
    writeFileSync(path.join(dir, 'notes.txt'), 'not a log line\nnor this one\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['an empty file', () => [path.join(dir, 'empty.log')]],
    ['a file that is not a log', () => [path.join(dir, 'notes.txt')]],
    ['a folder of neither', () => [dir]],
  ])('%s', (_name, targets) => {
    for (const extra of [[], ['--json']]) {
      const r = runCli(['logs', ...targets(), ...extra]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/edgelock: no log records in .*Pass S3 server access logs or CloudFront standard logs/);
    }
  });

  test('records all before --since are still records: exit 0', () => {
    const r = runCli(['logs', path.join(FIX, 'seed-s3.log'), '--since', '2099-01-01']);
    expect(r.status).toBe(0);
  });
});
