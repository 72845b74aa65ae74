/**
 * Provenance against s3rver: a bucket that holds more than the site (another process's uploads,
 * access logs) keeps all of it through every deploy and prune; edgelock deletes only what its
 * deploy records say it wrote, still carrying the ETag it wrote; dotfiles are skipped; secrets
 * refuse the deploy with nothing written; a header rule change reaches old objects in place.
 */
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { deploySite, listDeploys, type DeployEvent, type DeployOptions } from '../../src/origin/deploy';
import type { EdgelockError } from '../../src/errors';
import { parseRecord, serializeRecord, type DeployRecord } from '../../src/origin/deploy/record';
import { formatSummary } from '../../src/origin/deploy/report';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver';
import { BUCKET, listKeys, makeSite, rejection, testConfig, type Site } from './fixtures';

let server: S3rverHandle;
let proxy: FaultProxy;
let s3: S3Client;

const FOREIGN: Record<string, string> = {
  'uploads/customer-123/scan.pdf': '%PDF-1.7 a customer scan',
  'AWSLogs/222222222222/CloudFront/E2QWRUHAPOMQZL.2026-12-01-10.abcd1234.gz': 'log line',
  'index.html': '<!doctype html>synced by aws s3 sync',
  'legacy/page.html': '<!doctype html>old synced page',
};

beforeAll(async () => {
  server = await startS3rver([BUCKET]);
  proxy = await startFaultProxy(server.endpoint, { rate: 0 });
  s3 = server.client();
  for (const [Key, Body] of Object.entries(FOREIGN)) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
});
afterAll(async () => {
  await proxy.stop();
  await server.stop();
});

const deploy = (site: Site, extra: Partial<DeployOptions> = {}, deployConfig: Record<string, unknown> = {}) =>
  deploySite({ config: testConfig({ deploy: deployConfig }), env: 'dev', dir: site.dir, endpoint: proxy.endpoint, credentials: server.credentials, ...extra });
const writes = () => proxy.log.filter((l) => /^(PUT|POST|DELETE) /.test(l));
const foreignIntact = async () => {
  const keys = await listKeys(s3);
  for (const k of ['uploads/customer-123/scan.pdf', 'AWSLogs/222222222222/CloudFront/E2QWRUHAPOMQZL.2026-12-01-10.abcd1234.gz']) expect(keys.has(k)).toBe(true);
};
async function records(): Promise<string[]> {
  return [...(await listKeys(s3, BUCKET, true)).keys()].filter((k) => k.startsWith('.edgelock/deploys/') && k.endsWith('.json')).sort();
}
async function readRecord(key: string) {
  return parseRecord(key, await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString());
}

const site = makeSite({
  'index.html': '<!doctype html><script src="/assets/app.5e6f7a8b.js"></script>',
  'assets/app.5e6f7a8b.js': 'console.log(1)',
  'about.html': '<!doctype html>about',
  'robots.txt': 'User-agent: *',
  '.env': 'DATABASE_PASSWORD=hunter2',
  '.git/config': '[remote "origin"]',
  '.DS_Store': 'mac',
  '.well-known/security.txt': 'Contact: mailto:security@example.com',
});
afterAll(() => site.cleanup());

describe('a bucket that holds more than the site', () => {
  test('the first deploy into a non-empty bucket deletes nothing, says why each key is kept, and skips dotfiles', async () => {
    proxy.log.length = 0;
    const s = await deploy(site);
    expect(s.counts).toMatchObject({ add: 4, change: 1, deleted: 0, delete: 0, kept: 3, skipped: 3 });
    expect(s.kept.map((k) => k.key).sort()).toEqual(['AWSLogs/222222222222/CloudFront/E2QWRUHAPOMQZL.2026-12-01-10.abcd1234.gz', 'legacy/page.html', 'uploads/customer-123/scan.pdf']);
    for (const k of s.kept) expect(k.reason).toMatch(/^not written by edgelock: the bucket has no deploy record yet \(pass --adopt/);
    expect(s.skipped).toEqual([
      { key: '.DS_Store', reason: expect.stringMatching(/dotfile/) },
      { key: '.env', reason: expect.stringMatching(/dotfile/) },
      { key: '.git/config', reason: expect.stringMatching(/dotfile/) },
    ]);
    const keys = await listKeys(s3);
    expect(keys.has('.env')).toBe(false);
    expect(keys.has('.git/config')).toBe(false);
    expect(keys.has('.well-known/security.txt')).toBe(true);
    expect(keys.has('legacy/page.html')).toBe(true);
    await foreignIntact();
    expect(writes().filter((l) => l.startsWith('POST') || l.startsWith('DELETE'))).toEqual([]);
  });

  test('the record is written last, lists what was written with the stored ETags and headers, and is not part of the site', async () => {
    const [key, ...more] = await records();
    expect(more).toEqual([]);
    expect(writes()[writes().length - 1]).toBe(`PUT /${BUCKET}/${key}`);
    const r = await readRecord(key!);
    expect(r).toMatchObject({ format: 'edgelock.deploy-record/1', environment: 'dev', bucket: BUCKET, prefix: '', adopted: false, retained: [] });
    const keys = await listKeys(s3);
    expect(r.objects.map((o) => o.key)).toEqual(['.well-known/security.txt', 'about.html', 'assets/app.5e6f7a8b.js', 'index.html', 'robots.txt']);
    for (const o of r.objects) expect(o.etag).toBe(keys.get(o.key));
    expect(r.objects.find((o) => o.key === 'assets/app.5e6f7a8b.js')).toMatchObject({ contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable', size: 14 });
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key! }));
    expect(head.CacheControl).toBe('no-store');
  });

  test('a no-op redeploy writes nothing, not even a record', async () => {
    proxy.log.length = 0;
    const s = await deploy(site);
    expect(s.counts).toMatchObject({ uploaded: 0, restamped: 0, deleted: 0, unchanged: 5 });
    expect(writes()).toEqual([]);
    expect(await records()).toHaveLength(1);
    // Planned from the record: the records folder's listing and the record itself; no listing of the
    // site, no HEAD, and no ownership read, since nothing is written.
    expect(s.compared.basis).toEqual({ kind: 'record', heads: 0 });
    expect(proxy.log).toEqual([`GET /${BUCKET}/`, expect.stringMatching(new RegExp(`^GET /${BUCKET}/\\.edgelock/deploys/[^/]+\\.json$`))]);
    expect(s.ownership).toEqual({ reading: 'not read (nothing to write)', acl: 'not read: this deploy writes nothing' });
  });

  test('a file removed from the site is pruned; a recorded key another process overwrote is kept; foreign keys survive', async () => {
    site.remove('about.html');
    site.remove('robots.txt');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'robots.txt', Body: 'User-agent: * (edited by hand)' }));
    proxy.log.length = 0;
    const s = await deploy(site);
    expect(s.counts).toMatchObject({ deleted: 1 });
    // Without a listing: one HEAD for each recorded key the site dropped, which shows the hand edit.
    expect(s.compared.basis).toEqual({ kind: 'record', heads: 2 });
    expect(proxy.log.filter((l) => l.startsWith('HEAD ')).sort()).toEqual([`HEAD /${BUCKET}/about.html`, `HEAD /${BUCKET}/robots.txt`]);
    // It writes (a delete and a record), so it read the ownership (s3rver answers that GET as a listing) before any write.
    expect(s.ownership.reading).toBe('not implemented by the endpoint');
    const firstWrite = proxy.log.findIndex((l) => /^(PUT|POST|DELETE) /.test(l));
    expect(proxy.log.slice(0, firstWrite).filter((l) => l === `GET /${BUCKET}/`)).toHaveLength(2);
    expect(s.kept.find((k) => k.key === 'robots.txt')!.reason).toMatch(/not written by edgelock: changed since edgelock wrote it/);
    const keys = await listKeys(s3);
    expect(keys.has('about.html')).toBe(false);
    expect(keys.has('robots.txt')).toBe(true);
    expect(keys.has('legacy/page.html')).toBe(true);
    await foreignIntact();
    expect(await records()).toHaveLength(2);
  });

  test('the dry run\'s text shows each file\'s headers, what is kept and skipped and why, and the record', async () => {
    site.write('index.html', '<!doctype html><script src="/assets/app.5e6f7a8b.js"></script>v2');
    try {
      const text = formatSummary(await deploy(site, { dryRun: true }));
      expect(text).toContain('  change (1):\n    index.html  (text/html; charset=utf-8; no Content-Encoding; no-cache)');
      expect(text).toMatch(/  keep \(\d+\):\n(    .*\n)*    uploads\/customer-123\/scan.pdf: not written by edgelock\n/);
      expect(text).toMatch(/  skip \(not published\) \(3\):\n    \.DS_Store: dotfile or dot-folder/);
      expect(text).toMatch(/  record: last deploy record \.edgelock\/deploys\/\d{8}T\d{9}Z-[0-9a-f]{6}\.json; this deploy would write \d{8}T\d{9}Z-[0-9a-f]{6}\n/);
    } finally {
      site.write('index.html', '<!doctype html><script src="/assets/app.5e6f7a8b.js"></script>');
    }
  });

  test('deploy.maxDeletes refuses a deploy that would delete too much, before anything is written; --allow-deletes passes', async () => {
    const half = makeSite({ 'index.html': '<!doctype html>half', '.well-known/security.txt': 'Contact: mailto:security@example.com' });
    try {
      proxy.log.length = 0;
      const before = await listKeys(s3, BUCKET, true);
      const err = await rejection(deploy(half, {}, { maxDeletes: 0 }));
      expect(err.code).toBe('DEPLOY_REFUSED_TOO_MANY_DELETES');
      expect(err.message).toMatch(/would delete 1 key\(s\), more than deploy.maxDeletes \(0\), e.g. assets\/app.5e6f7a8b.js/);
      expect(writes()).toEqual([]);
      expect(await listKeys(s3, BUCKET, true)).toEqual(before);
      // The dry run shows the same decisions.
      const dry = await deploy(half, { dryRun: true, allowDeletes: true }, { maxDeletes: 0 });
      expect(dry.plan!.delete).toEqual(['assets/app.5e6f7a8b.js']);
      expect(writes()).toEqual([]);
    } finally {
      half.cleanup();
    }
  });

  test('--adopt claims the keys under the prefix, except what deploy.exclude protects', async () => {
    const s = await deploy(site, { adopt: true }, { exclude: ['uploads/', 'AWSLogs/'] });
    expect(s.counts.deleted).toBe(2);
    const keys = await listKeys(s3);
    expect(keys.has('legacy/page.html')).toBe(false);
    expect(keys.has('robots.txt')).toBe(false);
    await foreignIntact();
    expect(s.kept.map((k) => k.reason)).toEqual(['protected by deploy.exclude', 'protected by deploy.exclude']);
  });
});

describe('the deploy history', () => {
  test('listDeploys names every record newest first, each with what it holds, and flags one edgelock did not write', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: '.edgelock/deploys/20200101T000000000Z-abcdef.json', Body: '{"format":"something else"}' }));
    const h = await listDeploys({ config: testConfig(), env: 'dev', endpoint: proxy.endpoint, credentials: server.credentials });
    const ids = h.deploys.map((d) => d.id);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(h.deploys.length).toBe((await records()).length);
    const newest = h.deploys[0]!;
    expect(newest).toMatchObject({ objects: expect.any(Number), retained: expect.any(Number), adopted: expect.any(Boolean) });
    expect(newest.previous).toBe(h.deploys[1]!.id);
    expect(h.deploys[h.deploys.length - 1]).toMatchObject({ id: '20200101T000000000Z-abcdef', problem: expect.stringMatching(/not one edgelock wrote: format/) });
  });
});

describe('a record is trusted only as edgelock writes one', () => {
  const object = { key: 'index.html', md5: 'a'.repeat(32), etag: 'a'.repeat(32), size: 12, contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' };
  const record = (objects: unknown[], retained: unknown[] = []): string =>
    JSON.stringify({ format: 'edgelock.deploy-record/1', id: '20261201T220628000Z-a1b2c3', time: '2026-12-01T22:06:28.000Z', environment: 'dev', bucket: BUCKET, prefix: '', adopted: false, objects, retained });

  test('what serializeRecord writes, it reads back the same', () => {
    const r = parseRecord('k', record([object, { ...object, key: 'app.js', contentEncoding: 'br' }], [{ ...object, key: 'old.html' }]));
    expect(parseRecord('k', serializeRecord(r as DeployRecord))).toEqual(r);
    expect(r.objects[1]).toEqual({ ...object, key: 'app.js', contentEncoding: 'br' });
  });

  test.each<[string, unknown, string]>([
    ['not an object', 'index.html', 'objects.1: expected an object'],
    ['an unknown field', { ...object, owner: 'me' }, 'objects.1.owner: not a field of a recorded object'],
    ['an empty key', { ...object, key: '' }, 'objects.1.key: expected a non-empty string'],
    ['an MD5 that is not 32 hex digits', { ...object, md5: 'A'.repeat(32) }, 'objects.1.md5: expected 32 lower-case hex digits'],
    ['no ETag', { ...object, etag: undefined }, 'objects.1.etag: expected a non-empty string'],
    ['a fractional size', { ...object, size: 1.5 }, 'objects.1.size: expected a whole number of bytes'],
    ['a negative size', { ...object, size: -1 }, 'objects.1.size: expected a whole number of bytes'],
    ['a numeric content type', { ...object, contentType: 1 }, 'objects.1.contentType: expected a string'],
    ['no Cache-Control', { ...object, cacheControl: undefined }, 'objects.1.cacheControl: expected a string'],
    ['a boolean Content-Encoding', { ...object, contentEncoding: true }, 'objects.1.contentEncoding: expected a string'],
  ])('an object with %s is refused, naming where', (_name, bad, where) => {
    const err = (() => {
      try {
        parseRecord('.edgelock/deploys/x.json', record([object, bad]));
      } catch (e) {
        return e as EdgelockError;
      }
      throw new Error('accepted');
    })();
    expect(err.code).toBe('DEPLOY_RECORD_INVALID');
    expect(err.message).toBe(`the deploy record .edgelock/deploys/x.json is not one edgelock wrote: ${where}`);
    expect(() => parseRecord('k', record([object], [object, bad]))).toThrow(where.replace('objects', 'retained'));
  });
});

describe('never publish what should not be', () => {
  test('a secret-looking file refuses the deploy with nothing written, naming each file and the way to publish one on purpose', async () => {
    const leaky = makeSite({ 'index.html': '<!doctype html>x', 'certs/server.key': 'k', 'js/config.js': 'const k = "AKIAZ7QWERTYUIOP1234";' });
    try {
      proxy.log.length = 0;
      const err = await rejection(deploy(leaky));
      expect(err.code).toBe('DEPLOY_REFUSED_SECRETS');
      expect(err.message).toMatch(/certs\/server.key: its name looks like a .key file/);
      expect(err.message).toMatch(/js\/config.js: it contains an AWS access key ID/);
      expect(err.message).toMatch(/deploy.allowSecrets/);
      expect(writes()).toEqual([]);
    } finally {
      leaky.cleanup();
    }
  });
});

describe('headers that stay right', () => {
  test('a Cache-Control rule change reaches unchanged objects by an in-place copy, not a re-upload', async () => {
    proxy.log.length = 0;
    const rules = { cacheControl: [{ match: 'assets/**', cacheControl: 'public, max-age=600' }] };
    const dry = await deploy(site, { dryRun: true }, rules);
    expect(dry.plan!.restamp).toEqual([{ key: 'assets/app.5e6f7a8b.js', size: 14, contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=600' }]);
    const s = await deploy(site, {}, rules);
    expect(s.counts).toMatchObject({ uploaded: 0, restamped: 1 });
    expect(s.bytes.uploaded).toBe(0);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'assets/app.5e6f7a8b.js' }));
    expect(head.CacheControl).toBe('public, max-age=600');
    expect(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'assets/app.5e6f7a8b.js' }))).Body!.transformToString()).toBe('console.log(1)');
    const latest = (await records()).pop()!;
    expect((await readRecord(latest)).objects.find((o) => o.key === 'assets/app.5e6f7a8b.js')!.cacheControl).toBe('public, max-age=600');
    // And it stays right: the next deploy has nothing to fix.
    expect((await deploy(site, {}, rules)).counts.restamped).toBe(0);
  });
});

describe('a deploy that dies part-way', () => {
  test('writes no record; the rerun converges and leaves a record that matches the bucket', async () => {
    const server2 = await startS3rver([BUCKET]);
    const flaky = await startFaultProxy(server2.endpoint, { rate: 0 });
    const client = server2.client();
    const files: Record<string, string> = { 'index.html': '<!doctype html>v1' };
    for (let i = 0; i < 12; i++) files[`assets/part${i}.${String(i).padStart(2, '0')}aa11bb.js`] = `console.log(${i})`;
    const s = makeSite(files);
    const run = (maxAttempts: number) =>
      deploySite({ config: testConfig({ deploy: { maxAttempts } }), env: 'dev', dir: s.dir, endpoint: flaky.endpoint, credentials: server2.credentials });
    try {
      await run(1);
      s.write('index.html', '<!doctype html>v2');
      for (let i = 0; i < 12; i++) s.write(`assets/part${i}.${String(i).padStart(2, '0')}aa11bb.js`, `console.log("v2", ${i})`);
      flaky.failAlways(/part7\./);
      const err = await rejection(run(1));
      expect(err.message).toMatch(/part7/);
      const ours = async () => [...(await listKeys(client, BUCKET, true)).keys()].filter((k) => k.startsWith('.edgelock/')).sort();
      const keysOf = async () => (await ours()).filter((k) => k.endsWith('.json'));
      expect(await keysOf()).toHaveLength(1); // only the first deploy's record
      // ... and the dead deploy's pending marker, newer than that record.
      const markers = (await ours()).filter((k) => k.endsWith('.pending'));
      expect(markers).toHaveLength(2);
      expect(markers[1]! > (await keysOf())[0]!.replace('.json', '.pending')).toBe(true);
      // The dead deploy stored v2 of part0; the site goes back to v1. The last record says part0 is v1, so only a listing shows the bucket holds v2.
      const part0 = 'assets/part0.00aa11bb.js';
      const stored = async () => (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: part0 }))).Body!.transformToString();
      expect(await stored()).toBe('console.log("v2", 0)');
      s.write(part0, 'console.log(0)');
      flaky.failAlways(undefined);
      const rerun = await run(1);
      expect(rerun.ok).toBe(true);
      expect(rerun.compared.basis).toEqual({ kind: 'listing', reason: expect.stringMatching(/started writing after the last record and wrote no record/) });
      expect(await stored()).toBe('console.log(0)');
      const recs = (await keysOf()).sort();
      expect(recs).toHaveLength(2);
      const body = await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: recs[1]! }))).Body!.transformToString();
      const record = parseRecord(recs[1]!, body);
      const listed = await listKeys(client);
      expect(record.objects.map((o) => [o.key, o.etag])).toEqual([...listed.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
      expect(record.previous).toBe(recs[0]!.slice('.edgelock/deploys/'.length, -'.json'.length));
      // The rerun's record settles the marker: the next deploy plans from the record again, and finds nothing to do.
      const again = await run(1);
      expect(again.counts).toMatchObject({ uploaded: 0, restamped: 0, deleted: 0 });
      expect(again.compared.basis).toEqual({ kind: 'record', heads: 0 });
    } finally {
      s.cleanup();
      await flaky.stop();
      await server2.stop();
    }
  });
});

describe('--concurrency bounds requests in flight, multipart parts included', () => {
  test.each([1, 2])('--concurrency %d', async (concurrency) => {
    const n = String(concurrency);
    const big = makeSite({ 'index.html': `<!doctype html>big ${n}`, 'media/video.bin': Buffer.alloc(17 * 1024 * 1024, concurrency), 'a.txt': `a${n}`, 'b.txt': `b${n}`, 'c.txt': `c${n}` });
    try {
      proxy.log.length = 0;
      // Counted from the first upload on: planning reads the listing, the record and the ownership at once.
      const onEvent = (e: DeployEvent) => e.type === 'phase' && e.phase === 'upload-assets' && proxy.resetInFlight();
      const s = await deploy(big, { concurrency, allowDeletes: true, onEvent });
      expect(s.counts.uploaded).toBe(5);
      // Three 8 MiB parts went up (CreateMultipartUpload and CompleteMultipartUpload are POSTs).
      expect(proxy.log.filter((l) => l === `PUT /${BUCKET}/media/video.bin`)).toHaveLength(3);
      expect(proxy.maxInFlight).toBeLessThanOrEqual(concurrency);
      expect(proxy.maxInFlight).toBeGreaterThanOrEqual(1);
    } finally {
      big.cleanup();
    }
  });
});
