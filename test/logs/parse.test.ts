import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeLogs, parseSince } from '../../src/origin/logs';
import { BoundedCounter } from '../../src/origin/logs/counter';
import { parseS3Time, S3LineTokenizer, S3_FIELDS } from '../../src/origin/logs/s3-access';

const FIX = path.join(__dirname, 'fixtures');
const fx = (name: string) => path.join(FIX, name);
const top = (c: { top: { value: string; count: number }[] }) => Object.fromEntries(c.top.map((t) => [t.value, t.count]));

describe('S3 server access log lines', () => {
  test('the seed\'s lines: 25 fields ending at the TLS version', async () => {
    const { summary } = await analyzeLogs([fx('seed-s3.log')]);
    const j = summary.toJSON();
    expect(j.records).toEqual({ s3: 2, cloudfront: 0 });
    expect(j.status).toEqual({ '403': 1, '206': 1 });
    expect(top(j.s3.forbidden.byKey)).toEqual({ 'index.html': 1 });
    expect(top(j.s3.forbidden.byErrorCode)).toEqual({ AccessDenied: 1 });
    expect(top(j.s3.forbidden.byUserAgent)).toEqual({ 'Amazon CloudFront': 1 });
    expect(j.s3RecordsWithAclRequiredField).toBe(0);
    expect([j.firstRecord, j.lastRecord]).toEqual(['2019-06-30T16:50:35.000Z', '2019-06-30T16:53:54.000Z']);
    expect(j.malformed).toBe(0);
  });

  test('current lines: aclRequired = Yes is reported, extra trailing fields are accepted', async () => {
    const { summary } = await analyzeLogs([fx('current-s3.log')]);
    const j = summary.toJSON();
    expect(j.records.s3).toBe(5);
    expect(j.malformed).toBe(0);
    expect(j.s3RecordsWithAclRequiredField).toBe(5);
    expect(top(j.s3.aclRequired.byKey)).toEqual({ 'index.html': 1, 'assets/app.js': 1 });
    expect(top(j.s3.aclRequired.byOperation)).toEqual({ 'REST.PUT.OBJECT': 1, 'REST.PUT.ACL': 1 });
    expect(top(j.s3.forbidden.byRequester)).toEqual({ 'cloudfront.amazonaws.com': 1, '-': 1 });
    expect(top(j.s3.forbidden.byUserAgent)).toEqual({ 'Amazon CloudFront': 1, 'curl/8.5.0': 1 });
  });

  test('tokenizer: brackets, quoted fields with spaces and quotes, missing trailing fields', () => {
    const t = new S3LineTokenizer();
    const line = 'owner bkt [06/Feb/2019:00:00:38 +0000] 1.2.3.4 - RID REST.GET.OBJECT k "GET /k HTTP/1.1" 200 - 1 1 1 1 "-" "agent (x; "y") z" - hid';
    expect(t.tokenize(line)).toBe(19);
    expect(t.field(S3_FIELDS.time)).toBe('06/Feb/2019:00:00:38 +0000');
    expect(t.field(S3_FIELDS.requestUri)).toBe('GET /k HTTP/1.1');
    expect(t.int(S3_FIELDS.httpStatus)).toBe(200);
    expect(t.field(S3_FIELDS.userAgent)).toBe('agent (x; "y") z');
    expect(t.field(S3_FIELDS.aclRequired)).toBe('-');
    expect(t.tokenize('owner bkt [unterminated')).toBe(0);
  });

  test.each([
    ['06/Feb/2019:00:00:38 +0000', Date.UTC(2019, 1, 6, 0, 0, 38)],
    ['30/Jun/2019:18:50:35 +0200', Date.UTC(2019, 5, 30, 16, 50, 35)],
    ['30/Foo/2019:18:50:35 +0200', NaN],
  ])('parseS3Time(%s)', (s, ms) => expect(parseS3Time(s)).toBe(ms));
});

describe('CloudFront standard logs', () => {
  test('the seed\'s lines (26 fields): 403s by URI and errors by edge result type', async () => {
    const { summary } = await analyzeLogs([fx('seed-cloudfront.log')]);
    const j = summary.toJSON();
    expect(j.records).toEqual({ s3: 0, cloudfront: 2 });
    expect(top(j.cloudfront.forbidden.byUri)).toEqual({ '/': 1, '/favicon.ico': 1 });
    expect(top(j.cloudfront.errors.byResultType)).toEqual({ Error: 2 });
    // Without x-edge-detailed-result-type the result type stands in.
    expect(top(j.cloudfront.forbidden.byDetailedResultType)).toEqual({ Error: 2 });
    expect(j.firstRecord).toBe('2019-06-30T17:31:32.000Z');
  });

  test('current lines: detailed result types, URL-encoded user agents decoded', async () => {
    const { summary } = await analyzeLogs([fx('current-cloudfront.log')]);
    const j = summary.toJSON();
    expect(j.status).toEqual({ '200': 1, '403': 1, '502': 1 });
    expect(top(j.cloudfront.errors.byDetailedResultType)).toEqual({ Error: 1, LambdaValidationError: 1 });
    expect(top(j.cloudfront.forbidden.byUserAgent)).toEqual({ 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36': 1 });
  });

  test('field positions come from the #Fields line, not from the documented order', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-logs-'));
    try {
      const lines = readFileSync(fx('current-cloudfront.log'), 'utf8').trimEnd().split('\n');
      const names = lines[1]!.slice('#Fields: '.length).split(' ');
      const order = names.map((_, i) => i).reverse();
      const out = [lines[0], `#Fields: ${order.map((i) => names[i]).join(' ')}`, ...lines.slice(2).map((l) => { const f = l.split('\t'); return order.map((i) => f[i]).join('\t'); })];
      writeFileSync(path.join(dir, 'reversed.log'), `${out.join('\n')}\n`);
      const a = (await analyzeLogs([fx('current-cloudfront.log')])).summary.toJSON();
      const b = (await analyzeLogs([path.join(dir, 'reversed.log')])).summary.toJSON();
      expect(b.status).toEqual(a.status);
      expect(b.cloudfront).toEqual(a.cloudfront);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sources', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-logs-'));
    mkdirSync(path.join(dir, 's3', '2024'), { recursive: true });
    copyFileSync(fx('current-s3.log'), path.join(dir, 's3', '2024', 'a.log'));
    writeFileSync(path.join(dir, 's3', 'b.gz'), gzipSync(readFileSync(fx('seed-s3.log'))));
    // CloudFront delivers .gz files; the format is told by the content, not the name.
    writeFileSync(path.join(dir, 'E2QWRUHAPOMQZL.2019-06-30-17.abcd1234.gz'), gzipSync(readFileSync(fx('seed-cloudfront.log'))));
    writeFileSync(path.join(dir, 'README.txt'), 'not a log\n');
    writeFileSync(path.join(dir, '.hidden.log'), 'ignored\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a folder, recursively: gzip and plain, S3 and CloudFront together; other files are skipped with a reason', async () => {
    const { summary, skipped } = await analyzeLogs([dir]);
    const j = summary.toJSON();
    expect(j.files).toBe(3);
    expect(j.records).toEqual({ s3: 7, cloudfront: 2 });
    expect(skipped).toEqual([{ file: path.join(dir, 'README.txt'), reason: expect.stringMatching(/neither an S3 server access log record nor a CloudFront standard log line: "not a log"/) }]);
  });

  test('--since leaves out older records', async () => {
    const { summary } = await analyzeLogs([dir], { since: parseSince('2020-01-01') });
    const j = summary.toJSON();
    expect(j.records).toEqual({ s3: 5, cloudfront: 0 });
    expect(j.skippedBeforeSince).toBe(4);
  });

  test('a missing path is a usage error that says what to give', async () => {
    await expect(analyzeLogs([path.join(dir, 'nope')])).rejects.toThrow(/no such file or folder: .*nope \(give a log file, a folder of logs or s3:\/\/bucket\/prefix\)/);
  });

  test('a truncated gzip file is an error naming zlib\'s complaint, not a silent partial summary', async () => {
    const gz = gzipSync(readFileSync(fx('current-s3.log')));
    const p = path.join(dir, '..', `trunc-${process.pid}.gz`);
    writeFileSync(p, gz.subarray(0, gz.length - 10));
    try {
      await expect(analyzeLogs([p])).rejects.toThrow(/unexpected end of file/);
    } finally {
      rmSync(p, { force: true });
    }
  });
});

describe('parseSince', () => {
  const now = Date.UTC(2024, 1, 6, 12, 0, 0);
  test.each([
    ['2019-06-30', Date.UTC(2019, 5, 30)],
    ['2019-06-30T16:50:00Z', Date.UTC(2019, 5, 30, 16, 50)],
    ['2019-06-30T16:50', Date.UTC(2019, 5, 30, 16, 50)],
    ['2019-06-30T18:50:00+02:00', Date.UTC(2019, 5, 30, 16, 50)],
    ['30m', now - 30 * 60_000],
    ['12h', now - 12 * 3_600_000],
    ['7d', now - 7 * 86_400_000],
  ])('%s', (s, ms) => expect(parseSince(s, now)).toBe(ms));
  test.each(['yesterday', '2019-13-45', '5w', ''])('rejects %j', (s) => expect(() => parseSince(s, now)).toThrow(/is not a time: give an ISO date/));
});

describe('BoundedCounter', () => {
  test('keeps the heavy hitters exact while distinct values stay bounded', () => {
    const c = new BoundedCounter(100);
    for (let i = 0; i < 20_000; i++) {
      c.add(`rare-${i}`);
      if (i % 4 === 0) c.add('hot');
    }
    expect(c.distinct).toBeLessThanOrEqual(100);
    expect(c.top(1)).toEqual([['hot', 5000]]);
    expect(c.total).toBe(25_000);
    expect(c.pruned).toBe(true);
  });
});

test('lines split across 1 MB chunks, and UTF-8 user agents, are read intact', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-logs-'));
  try {
    const seed = readFileSync(fx('seed-s3.log'), 'utf8').split('\n')[0]!;
    const utf8 = seed.replace('"Amazon CloudFront"', '"Navigateur/1.0 (français; 日本語)"');
    const lines: string[] = [];
    for (let i = 0; i < 12_000; i++) lines.push(i % 3 === 0 ? utf8 : seed);
    writeFileSync(path.join(dir, 'mixed.log'), `${lines.join('\n')}\n`);
    const j = (await analyzeLogs([path.join(dir, 'mixed.log')])).summary.toJSON();
    expect(j.bytes).toBeGreaterThan(3 << 20);
    expect(j.malformed).toBe(0);
    expect(top(j.s3.forbidden.byUserAgent)).toEqual({ 'Amazon CloudFront': 8000, 'Navigateur/1.0 (français; 日本語)': 4000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
