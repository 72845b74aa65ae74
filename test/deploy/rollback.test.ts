/**
 * `edgelock rollback` over a versioned bucket: s3rver stores and serves the objects (the probe
 * fetches them over HTTP), a fault proxy sits in front of it, and the versions s3rver lacks come
 * from aws-sdk-client-mock answers shaped like S3's ListObjectVersions and CopyObject
 * (versioned-bucket.ts). CloudFront's invalidations are mocked at the client.
 */
import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { deploySite, listDeploys, rollbackSite, type DeployOptions, type RollbackOptions } from '../../src/origin/deploy';
import { formatHistory } from '../../src/origin/deploy/history';
import { RollbackError } from '../../src/origin/deploy/rollback';
import { parseRecord, type DeployRecord } from '../../src/origin/deploy/record';
import { listKeyVersions } from '../../src/origin/deploy/rollback-io';
import { chooseTarget, planRollback, type StoredRecord } from '../../src/origin/deploy/rollback-plan';
import { formatRollback } from '../../src/origin/deploy/rollback-report';
import { runInProcess } from '../helpers/cli';
import { writeJsonConfig, validConfig } from '../helpers/config';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver';
import { createHandler } from '../../src/origin/deploy/lambda';
import { assumedRole, invalidation } from './aws-mocks';
import { BUCKET, listKeys, makeSite, rejection, testConfig, type Site } from './fixtures';
import { versionedBucket, type VersionedBucket } from './versioned-bucket';

const DISTRIBUTION = 'E2QWRUHAPOMQZL';
let server: S3rverHandle;
let proxy: FaultProxy;
let direct: S3Client;
let world: VersionedBucket;
const cf = new CloudFrontClient({ region: 'us-east-1', credentials: { accessKeyId: 'A', secretAccessKey: 'B' } });
const cfMock = mockClient(cf);

beforeAll(async () => {
  server = await startS3rver([BUCKET]);
  proxy = await startFaultProxy(server.endpoint, { rate: 0 });
  direct = server.client();
  world = versionedBucket(BUCKET, server.client(proxy.endpoint));
  world.pageSize = 1; // every key with two versions or more takes more than one page
  await world.put('uploads/customer-123/scan.pdf', '%PDF-1.7 a customer scan');
});
afterAll(async () => {
  world.stop();
  await proxy.stop();
  await server.stop();
});
let invalidated: string[][] = [];
beforeEach(() => {
  cfMock.reset();
  invalidated = [];
  cfMock.on(CreateInvalidationCommand).callsFake((i: { InvalidationBatch: { Paths: { Items: string[] } } }) => {
    invalidated.push(i.InvalidationBatch.Paths.Items);
    return invalidation(`I${invalidated.length}`, 'InProgress', i.InvalidationBatch.Paths.Items);
  });
  cfMock.on(GetInvalidationCommand).callsFake((i: { Id: string }) => ({ $metadata: { httpStatusCode: 200 }, Invalidation: { Id: i.Id, Status: 'Completed', CreateTime: new Date(), InvalidationBatch: { CallerReference: 'r', Paths: { Quantity: 0, Items: [] } } } }));
});

const config = (deploy: Record<string, unknown> = {}) => testConfig({ env: { distributionId: DISTRIBUTION }, deploy: { maxAttempts: 2, ...deploy } });
const clients = () => ({ s3: world.s3, cloudfront: cf });
const deploy = (site: Site, extra: Partial<DeployOptions> = {}, deployConfig: Record<string, unknown> = {}) =>
  deploySite({ config: config(deployConfig), env: 'dev', dir: site.dir, credentials: server.credentials, clients: clients(), probeBaseUrl: `${server.endpoint}/${BUCKET}`, ...extra });
const rollback = (extra: Partial<RollbackOptions> = {}, deployConfig: Record<string, unknown> = {}) =>
  rollbackSite({ config: config(deployConfig), env: 'dev', credentials: server.credentials, clients: clients(), probeBaseUrl: `${server.endpoint}/${BUCKET}`, ...extra });
const writes = () => proxy.log.filter((l) => /^(PUT|POST|DELETE) /.test(l));
const body = async (key: string) => (await direct.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
async function recordKeys(): Promise<string[]> {
  return [...(await listKeys(direct, BUCKET, true)).keys()].filter((k) => k.startsWith('.edgelock/deploys/')).sort();
}
async function readRecord(key: string) {
  return parseRecord(key, await body(key));
}

const V1 = {
  'index.html': '<!doctype html><script src="/assets/app.1111aaaa.js"></script>v1',
  'assets/app.1111aaaa.js': 'console.log("v1")',
  'about.html': '<!doctype html>about',
  'robots.txt': 'User-agent: *',
};
const V2 = {
  'index.html': '<!doctype html><script src="/assets/app.2222bbbb.js"></script>v2',
  'assets/app.2222bbbb.js': 'console.log("v2")',
  'robots.txt': 'User-agent: *',
  'new.html': '<!doctype html>new in v2',
  'notes.html': '<!doctype html>notes in v2',
};
const ROBOTS_RULE = { cacheControl: [{ match: 'robots.txt', cacheControl: 'public, max-age=60' }] };
let v1Id: string;
let v2Id: string;

describe('rolling back to the deploy before the current one', () => {
  test('restores v1 from its versions, headers as recorded, assets before HTML; deletes only what edgelock wrote since; keeps the rest', async () => {
    const s1 = makeSite(V1);
    const s2 = makeSite(V2);
    try {
      v1Id = (await deploy(s1)).record.id;
      const d2 = await deploy(s2, {}, ROBOTS_RULE);
      v2Id = d2.record.id;
      expect(d2.counts).toMatchObject({ deleted: 2, restamped: 1 });
    } finally {
      s1.cleanup();
      s2.cleanup();
    }
    // Another process edits a page edgelock wrote in v2: the rollback must not delete it.
    await world.put('notes.html', '<!doctype html>notes, edited by hand');
    // The version each key is restored from: the newest holding v1's bytes (robots.txt's is v2's in-place header copy: same bytes).
    const v1Record = await readRecord(`.edgelock/deploys/${v1Id}.json`);
    const v1Versions = Object.fromEntries(v1Record.objects.map((o) => [o.key, world.versionsOf(o.key).find((v) => v.etag === o.etag)!.versionId]));
    expect(v1Versions['robots.txt']).not.toBe(world.versionsOf('robots.txt').filter((v) => !v.deleteMarker).pop()!.versionId);
    world.copies.length = 0;
    world.versionListings.length = 0;
    invalidated = [];

    const s = await rollback();
    expect(s.target).toEqual({ id: v1Id, key: `.edgelock/deploys/${v1Id}.json`, why: `the deploy before the current one (${v2Id})` });
    expect(s.counts).toMatchObject({ restore: 4, restored: 4, unchanged: 0, delete: 2, deleted: 2, kept: 2 });
    // Every key of v1 is back, with v1's bytes and v1's headers; what v2 added is gone.
    const keys = await listKeys(direct);
    expect([...keys.keys()].sort()).toEqual(['about.html', 'assets/app.1111aaaa.js', 'index.html', 'notes.html', 'robots.txt', 'uploads/customer-123/scan.pdf']);
    for (const [k, v] of Object.entries(V1)) expect(await body(k)).toBe(v);
    const robots = await direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'robots.txt' }));
    expect(robots.CacheControl).toBe('public, max-age=300, must-revalidate');
    expect((await direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'index.html' }))).ContentType).toBe('text/html; charset=utf-8');
    expect(s.kept).toEqual([
      { key: 'notes.html', reason: expect.stringMatching(/^not written by edgelock: changed since edgelock wrote it/) },
      { key: 'uploads/customer-123/scan.pdf', reason: 'not written by edgelock' },
    ]);
    expect(await body('uploads/customer-123/scan.pdf')).toBe('%PDF-1.7 a customer scan');
    // Each copy names the very version v1 wrote, with the recorded headers; assets before HTML.
    const copies = world.copies.map((c) => ({ key: c.Key, source: c.CopySource, directive: c.MetadataDirective }));
    expect(copies.map((c) => c.key)).toEqual(['assets/app.1111aaaa.js', 'robots.txt', 'about.html', 'index.html']);
    for (const c of copies) expect(c).toEqual({ key: c.key, source: `${BUCKET}/${c.key}?versionId=${encodeURIComponent(v1Versions[c.key!]!)}`, directive: 'REPLACE' });
    // The versions were listed key by key, page by page.
    expect(world.versionListings.some((l) => l.KeyMarker === 'index.html' && l.VersionIdMarker)).toBe(true);
    // Invalidated the restored and deleted paths, waited, probed the restored page over HTTP.
    expect(invalidated).toEqual([['/', '/about.html', '/assets/app.1111aaaa.js', '/assets/app.2222bbbb.js', '/index.html', '/new.html', '/robots.txt']]);
    expect(s.invalidation.status).toBe('Completed');
    expect(s.verification.probe.results.map((r) => [r.path, r.ok])).toEqual([
      ['/about.html', true],
      ['/index.html', true],
      ['/assets/app.1111aaaa.js', true],
    ]);
    // The new record says it is a rollback of v1, after v2, and lists what the bucket holds.
    const latest = (await recordKeys()).pop()!;
    expect(s.record).toEqual({ id: latest.slice('.edgelock/deploys/'.length, -'.json'.length), key: latest, rollbackOf: v1Id, previous: v2Id });
    const r = await readRecord(latest);
    expect(r).toMatchObject({ rollbackOf: v1Id, previous: v2Id, adopted: false, retained: [] });
    expect(r.objects.map((o) => [o.key, o.etag])).toEqual(Object.keys(V1).sort().map((k) => [k, keys.get(k)]));
    expect(r.objects.find((o) => o.key === 'robots.txt')!.cacheControl).toBe('public, max-age=300, must-revalidate');
    expect(formatRollback(s)).toMatch(new RegExp(`^rolled back dev \\(s3://${BUCKET}\\) to ${v1Id}: the deploy before the current one \\(${v2Id}\\); current deploy ${v2Id} in [\\d.]+ s\\n  objects: 4 restored from their versions, 0 unchanged, 2 deleted, 2 kept\\n`));
  });

  test('the history shows the rollback; a rollback with nothing to do writes nothing', async () => {
    const h = await listDeploys({ config: config(), env: 'dev', credentials: server.credentials, clients: clients() });
    expect(h.deploys[0]).toMatchObject({ rollbackOf: v1Id, previous: v2Id });
    expect(formatHistory(h)).toMatch(new RegExp(`\\n  ${h.deploys[0]!.id}  \\S+  4 object\\(s\\), \\d+ B, rollback to ${v1Id}\\n`));
    proxy.log.length = 0;
    const again = await rollback({ to: v1Id });
    expect(again.counts).toMatchObject({ restore: 0, unchanged: 4, delete: 0, restored: 0, deleted: 0 });
    expect(again.target.why).toBe(`--to ${v1Id}`);
    expect(writes()).toEqual([]);
    expect(invalidated).toEqual([]);
  });

  test('--dry-run lists each restore with its version and headers, and writes nothing', async () => {
    proxy.log.length = 0;
    world.copies.length = 0;
    const s = await rollback({ to: v2Id, dryRun: true });
    expect(s.dryRun).toBe(true);
    expect(s.restore.map((r) => r.key)).toEqual(['assets/app.2222bbbb.js', 'robots.txt', 'index.html', 'new.html', 'notes.html']);
    expect(s.restore.find((r) => r.key === 'robots.txt')).toEqual({ key: 'robots.txt', versionId: expect.any(String), size: 13, contentType: 'text/plain; charset=utf-8', cacheControl: 'public, max-age=60' });
    expect(s.delete).toEqual(['about.html', 'assets/app.1111aaaa.js']);
    const text = formatRollback(s);
    expect(text).toMatch(new RegExp(`^dry run: rolling dev \\(s3://${BUCKET}\\) back to ${v2Id}: --to ${v2Id}; current deploy \\d{8}T\\d{9}Z-[0-9a-f]{6}; it would\\n  restore \\(5\\):\\n    assets/app.2222bbbb.js  from version \\S+  \\(text/javascript; charset=utf-8; no Content-Encoding; public, max-age=31536000, immutable\\)`));
    expect(text).toMatch(/nothing was changed\n$/);
    expect(writes()).toEqual([]);
    expect(world.copies).toEqual([]);
    expect(invalidated).toEqual([]);
  });
});

describe('refusals, before anything is written', () => {
  const refused = async (extra: Partial<RollbackOptions>, deployConfig: Record<string, unknown> = {}) => {
    proxy.log.length = 0;
    const before = await listKeys(direct, BUCKET, true);
    const err = await rejection(rollback(extra, deployConfig));
    expect(writes()).toEqual([]);
    expect(await listKeys(direct, BUCKET, true)).toEqual(before);
    return err;
  };

  test.each([
    [undefined, /versioning is off, so S3 kept no earlier versions to restore .*put-bucket-versioning --bucket acme-site-dev --versioning-configuration Status=Enabled/],
    ['Suspended' as const, /versioning is suspended, so the copies a rollback writes would replace the current objects for good/],
  ])('versioning %s', async (status, message) => {
    world.status = status;
    try {
      const err = await refused({ to: v2Id });
      expect(err.code).toBe('ROLLBACK_REFUSED_UNVERSIONED');
      expect(err.message).toMatch(message);
      expect(err.message).toMatch(/Nothing was written\.$/);
    } finally {
      world.status = 'Enabled';
    }
  });

  test('an unknown --to, more deletes than deploy.maxDeletes', async () => {
    const unknown = await refused({ to: '20200101T000000000Z-abcdef' });
    expect(unknown.code).toBe('ROLLBACK_TARGET_UNKNOWN');
    expect(unknown.message).toMatch(/there is no deploy 20200101T000000000Z-abcdef in s3:\/\/acme-site-dev\/.edgelock\/deploys\/; `edgelock deploys` lists them \(newest: /);
    const many = await refused({ to: v2Id }, { maxDeletes: 0 });
    expect(many.code).toBe('DEPLOY_REFUSED_TOO_MANY_DELETES');
    expect(many.message).toMatch(/^this rollback would delete 2 key\(s\) edgelock wrote after .*more than deploy.maxDeletes \(0\), e.g. about.html, assets\/app.1111aaaa.js\. Nothing was written\./);
  });

  test('a version gone (a lifecycle rule expired it): names the key', async () => {
    const record = await readRecord(`.edgelock/deploys/${v2Id}.json`);
    const etag = record.objects.find((o) => o.key === 'new.html')!.etag;
    world.expireVersions('new.html', (e) => e !== etag);
    const err = await refused({ to: v2Id });
    expect(err.code).toBe('ROLLBACK_REFUSED_VERSION_MISSING');
    expect(err.message).toMatch(new RegExp(`refusing to roll back to ${v2Id}: 1 of its object\\(s\\) have no version in acme-site-dev with the ETag the record holds, and nothing was written:\\n  new.html\\n`));
  });
});

describe('a rollback that dies part-way', () => {
  test('restores no HTML before its assets, deletes nothing, writes no record; the rerun converges', async () => {
    const site = makeSite(V2);
    try {
      await deploy(site); // the current deploy is v2 again; robots.txt, unchanged since v1, needs no restore
    } finally {
      site.cleanup();
    }
    const recordsBefore = await recordKeys();
    proxy.failAlways(/\/index\.html(\?|$)/);
    const err = await rejection(rollback({ to: v1Id }, { maxAttempts: 1 }));
    expect(err).toBeInstanceOf(RollbackError);
    expect(err.code).toBe('AWS_ERROR');
    expect(err.message).toMatch(/restoring index.html from version .* failed: .*SlowDown.*Stopped after restoring 2 of 3 object\(s\); some pages may be restored and some not\. Nothing was deleted; rerun the same rollback \(--to \d{8}T\d{9}Z-[0-9a-f]{6}\) to converge\./s);
    expect((err as RollbackError).summary).toMatchObject({ ok: false, counts: { restore: 3, restored: 2, deleted: 0 } });
    expect(await recordKeys()).toEqual(recordsBefore);
    expect(await body('index.html')).toBe(V2['index.html']);
    expect((await listKeys(direct)).has('assets/app.2222bbbb.js')).toBe(true);

    proxy.failAlways(undefined);
    const rerun = await rollback({ to: v1Id });
    expect(rerun.ok).toBe(true);
    const keys = await listKeys(direct);
    for (const [k, v] of Object.entries(V1)) expect(await body(k)).toBe(v);
    expect(keys.has('assets/app.2222bbbb.js')).toBe(false);
    const latest = (await recordKeys()).pop()!;
    const r = await readRecord(latest);
    expect(r.rollbackOf).toBe(v1Id);
    expect(r.objects.map((o) => [o.key, o.etag])).toEqual(Object.keys(V1).sort().map((k) => [k, keys.get(k)]));
    // And it stays converged.
    expect((await rollback({ to: v1Id })).counts).toMatchObject({ restore: 0, delete: 0 });
  });

  test('with a fifth of requests failing (500, 503 SlowDown, dropped connections), a rollback completes through retries', async () => {
    const faults = () => proxy.counts['500'] + proxy.counts['503'] + proxy.counts.drop;
    const before = faults();
    proxy.setRate(0.2);
    let s;
    try {
      s = await rollback({ to: v2Id }, { maxAttempts: 10 });
    } finally {
      proxy.setRate(0);
    }
    expect(s.ok).toBe(true);
    expect(faults() - before).toBeGreaterThan(2);
    for (const [k, v] of Object.entries(V2)) expect(await body(k)).toBe(v);
    const keys = await listKeys(direct);
    expect(keys.has('assets/app.1111aaaa.js')).toBe(false);
    const r = await readRecord((await recordKeys()).pop()!);
    expect(r.rollbackOf).toBe(v2Id);
    expect(r.objects.map((o) => [o.key, o.etag])).toEqual(Object.keys(V2).sort().map((k) => [k, keys.get(k)]));
  });
});

describe('the plan (pure) and the version listing', () => {
  const rec = (id: string, extra: Partial<DeployRecord> = {}): StoredRecord => ({
    key: `.edgelock/deploys/${id}.json`,
    id,
    record: { format: 'edgelock.deploy-record/1', id, time: '', environment: 'dev', bucket: BUCKET, prefix: '', adopted: false, objects: [], retained: [], ...extra },
  });
  const bad = (id: string): StoredRecord => ({ key: `.edgelock/deploys/${id}.json`, id, problem: 'not one edgelock wrote' });
  const WHERE = 's3://b/.edgelock/deploys/';
  const [R1, R2, R3] = ['20261101T000000000Z-000001', '20261102T000000000Z-000002', '20261103T000000000Z-000003'];

  test('the default target is the trusted record before the newest, past untrusted ones, and says so', () => {
    const c = chooseTarget([rec(R3, { rollbackOf: R1 }), bad(R2), rec(R1)], WHERE);
    expect([c.current.id, c.target.id]).toEqual([R3, R1]);
    expect(c.why).toBe(`the deploy before the current one (${R3}, itself a rollback to ${R1}), past 1 untrusted record(s)`);
  });

  test.each([
    ['an untrusted newest record', [bad(R3), rec(R2)], undefined, 'DEPLOY_RECORD_INVALID', /the newest deploy record .* is not trusted .* cannot tell which keys it wrote/],
    ['--to an untrusted record', [rec(R3), bad(R2)], R2, 'ROLLBACK_TARGET_UNKNOWN', /its record .* is not trusted/],
    ['only untrusted records before the newest', [rec(R3), bad(R2)], undefined, 'ROLLBACK_TARGET_UNKNOWN', /is the only trusted deploy record/],
  ])('%s is refused', (_, records, to, code, message) => {
    let thrown: unknown;
    try {
      chooseTarget(records, WHERE, to);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  test('a target record listing a key outside deploy.prefix (or under .edgelock/) is refused', () => {
    const o = { key: '.edgelock/deploys/x.json', md5: '0'.repeat(32), etag: '0'.repeat(32), size: 1, contentType: 'text/plain', cacheControl: 'no-cache' };
    const choice = { current: rec(R3) as never, target: rec(R1, { objects: [o] }) as never, why: '' };
    const out = planRollback({ choice, remote: [], versioning: 'Enabled', versions: new Map(), bucket: BUCKET, pruning: { prefix: '', exclude: [], maxDeletes: '90%', allowDeletes: false } });
    expect(out).toMatchObject({ code: 'ROLLBACK_REFUSED', message: expect.stringMatching(/lists keys outside deploy.prefix "" or under .edgelock\/ \(.edgelock\/deploys\/x.json\)/) });
  });

  test('ListObjectVersions: one key\'s versions, newest first, paged; the listing stops at the first other key', async () => {
    await world.put('p/a.html', 'one');
    await world.put('p/a.html', 'two');
    await world.put('p/a.html.bak', 'foreign');
    world.versionListings.length = 0;
    const versions = await listKeyVersions({ s3: world.s3, bucket: BUCKET, attempts: 1 }, 'p/a.html');
    expect(versions.map((v) => v.etag)).toEqual(world.versionsOf('p/a.html').map((v) => v.etag));
    expect(versions.map((v) => v.isLatest)).toEqual([true, false]);
    expect(world.versionListings.map((l) => [l.Prefix, l.KeyMarker])).toEqual([['p/a.html', undefined], ['p/a.html', 'p/a.html'], ['p/a.html', 'p/a.html']]);
  });
});

describe('the pipeline\'s deploy function, invoked directly', () => {
  const sts = new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'A', secretAccessKey: 'B' } });
  const stsMock = mockClient(sts);
  beforeEach(() => {
    stsMock.reset();
    stsMock.on(AssumeRoleCommand).callsFake((i: { RoleArn: string }) => assumedRole(i.RoleArn));
    for (const level of ['log', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  const handler = () => createHandler(config(), { sts, rollbackOptions: { clients: clients(), probeBaseUrl: `${server.endpoint}/${BUCKET}` } });

  test('{"action":"rollback"} rolls back through the deploy role, no pipeline run, and answers the summary', async () => {
    proxy.log.length = 0;
    const out = await handler()({ action: 'rollback', env: 'dev', to: v2Id, dryRun: true });
    expect(out).toMatchObject({ ok: true, summary: { dryRun: true, target: { id: v2Id, why: `--to ${v2Id}` }, counts: { restore: expect.any(Number) } } });
    expect(stsMock.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({ RoleArn: 'arn:aws:iam::222222222222:role/edgelock-deploy' });
    expect(writes()).toEqual([]);
  });

  test.each([
    [{ action: 'rollback', env: 'prod' }, 'USAGE', /names environment "prod", but this deploy function was built with "dev"/],
    [{ action: 'rollback', env: 'dev', to: 'last-week' }, 'USAGE', /"to" must be a deploy ID/],
    [{ action: 'rollback', env: 'dev', force: true }, 'USAGE', /unknown field "force"/],
    [{ action: 'rollback', env: 'dev', to: '20200101T000000000Z-abcdef' }, 'ROLLBACK_TARGET_UNKNOWN', /there is no deploy 20200101T000000000Z-abcdef/],
    [{ hello: 'world' }, 'USAGE', /takes a CodePipeline job \(a deploy\) or \{"action":"rollback"/],
  ])('%j answers ok: false with the code and the reason', async (event, code, error) => {
    proxy.log.length = 0;
    const out = await handler()(event as never);
    expect(out).toEqual({ ok: false, code, error: expect.stringMatching(error) });
    expect(writes()).toEqual([]);
  });
});

describe('edgelock rollback', () => {
  test('a deploy ID that is not one is a usage error', async () => {
    const r = await runInProcess(['rollback', '--env', 'dev', '--to', 'yesterday']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--to must be a deploy ID such as 20261201T220628123Z-a1b2c3/);
  });

  test('against s3rver itself (it answers as a bucket never versioned): nothing to roll back to at first; then refused, with nothing written', async () => {
    const plain = await startS3rver([BUCKET]);
    const file = writeJsonConfig(validConfig({}, { dev: { auth: false, bucket: BUCKET } }, { only: true }));
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    const site = makeSite({ 'index.html': '<!doctype html>one' });
    try {
      const cli = (...args: string[]) => runInProcess(['rollback', '--env', 'dev', '-c', file, '--endpoint', plain.endpoint, ...args]);
      const none = await cli();
      expect(none.status).toBe(1);
      expect(none.stderr).toMatch(/there is nothing to roll back to: s3:\/\/acme-site-dev\/.edgelock\/deploys\/ holds no deploy records/);
      const once = { config: testConfig(), env: 'dev', dir: site.dir, endpoint: plain.endpoint, credentials: plain.credentials };
      await deploySite(once);
      expect((await cli()).stderr).toMatch(/nothing to roll back to: \S+ is the only trusted deploy record/);
      site.write('index.html', '<!doctype html>two');
      await deploySite(once);
      const before = await listKeys(plain.client(), BUCKET, true);
      const r = await cli('--json');
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/refusing to roll back acme-site-dev: versioning is off, so S3 kept no earlier versions to restore/);
      expect(await listKeys(plain.client(), BUCKET, true)).toEqual(before);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      site.cleanup();
      await plain.stop();
    }
  });
});


