/**
 * The doctor's shape: AWS is called from one module (read.ts, with the clients and the call
 * wrapper in aws.ts), and the checks and facts only read answers through the context.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REASONS } from '../../src/origin/doctor/reasons';

const DIR = path.join(__dirname, '..', '..', 'src', 'origin', 'doctor');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

/** AWS SDK modules a file imports values (not only types) from: clients and commands. */
function sdkValueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'(@aws-sdk\/[^']+)'/gms)].filter((m) => !m[1]).map((m) => m[2]!);
}

test('only read.ts and aws.ts talk to AWS (and the sweep\'s own read.ts)', () => {
  const talking = files(DIR).filter((f) => sdkValueImports(f).length > 0).map((f) => path.relative(DIR, f)).sort();
  expect(talking).toEqual(['aws.ts', 'read.ts', 'sweep/read.ts']);
});

test('no check or fact reaches the clients', () => {
  for (const f of files(DIR)) {
    if (/\/(read|aws|context|index)\.ts$/.test(f)) continue;
    expect([path.relative(DIR, f), /\bclients\b|\.send\(/.test(readFileSync(f, 'utf8'))]).toEqual([path.relative(DIR, f), false]);
  }
});

test('the import scan can fail: it sees the value imports of read.ts', () => {
  expect(sdkValueImports(path.join(DIR, 'read.ts'))).toEqual(expect.arrayContaining(['@aws-sdk/client-s3', '@aws-sdk/client-organizations']));
  expect(sdkValueImports(path.join(DIR, 'checks', 'ownership.ts'))).toEqual([]);
});

test('every reason in the table is given by a check', () => {
  const checks = files(path.join(DIR, 'checks')).map((f) => readFileSync(f, 'utf8')).join('\n');
  expect(Object.keys(REASONS).filter((r) => !checks.includes(`'${r}'`))).toEqual([]);
});
