/**
 * Invalidation paths (pure, within CloudFront's limits) and the CloudFront part of a deploy with
 * the control plane mocked: invalidation created after the HTML, waited for, probe, then prune.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { DeleteObjectsCommand, GetBucketAclCommand, GetBucketOwnershipControlsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { mockClient } from 'aws-sdk-client-mock';
import { deploySite } from '../../src/origin/deploy';
import { invalidationPaths, keyToPath, MAX_INVALIDATION_PATHS, MAX_INVALIDATION_WILDCARDS, pathsForKey } from '../../src/origin/deploy/invalidation';
import { scanSite } from '../../src/origin/deploy/local-files';
import { probePaths } from '../../src/origin/deploy/verify';
import { asRemote, mockRecord, bucketAcl, invalidation, listing, ownershipControls } from './aws-mocks';
import { DEMO_AUTH, makeSite, rejection, sampleSite, testConfig } from './fixtures';

describe('invalidation paths', () => {
  test.each([
    ['index.html', ['/', '/index.html']],
    ['about/index.html', ['/about/', '/about/index.html']],
    ['assets/app.js', ['/assets/app.js']],
    ['a b/ü(1).html', ['/a%20b/%C3%BC%281%29.html']],
  ])('%s is invalidated as %j', (key, paths) => {
    expect(pathsForKey(key)).toEqual(paths);
  });

  test('a few keys give exact paths, sorted and without duplicates', () => {
    expect(invalidationPaths(['b.css', 'index.html', 'b.css'], 500)).toEqual(['/', '/b.css', '/index.html']);
    expect(invalidationPaths([], 500)).toEqual([]);
    expect(invalidationPaths(['docs/index.html'], 500)).toEqual(['/docs/', '/docs/index.html']);
    // With origin.prettyUrls, /docs is served docs/index.html too.
    expect(invalidationPaths(['docs/index.html', 'index.html'], 500, { prettyUrls: true })).toEqual(['/', '/docs', '/docs/', '/docs/index.html', '/index.html']);
  });

  test('past the threshold, folders collapse to wildcards and root files stay exact', () => {
    const keys = ['index.html', ...Array.from({ length: 600 }, (_, i) => `assets/f${i}.js`), ...Array.from({ length: 10 }, (_, i) => `blog/p${i}/index.html`)];
    expect(invalidationPaths(keys, 500)).toEqual(['/', '/assets/*', '/blog/*', '/index.html']);
  });

  test('more than 15 folders collapse to a single /*', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `d${i % 40}/f${i}.html`);
    expect(invalidationPaths(keys, 3000)).toEqual(['/*']);
  });

  test('never more than 3,000 paths, even when the configured threshold allows it', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `p${i}/index.html`); // 4,000 exact paths
    const paths = invalidationPaths(keys, 3000);
    expect(paths.length).toBeLessThanOrEqual(MAX_INVALIDATION_PATHS);
    expect(paths).toEqual(['/*']);
  });

  test('property: within CloudFront\'s limits and covering every key', () => {
    const key = fc.array(fc.stringMatching(/^[a-z0-9]{1,4}$/), { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.array(key, { maxLength: 400 }), fc.integer({ min: 1, max: 3000 }), (keys, max) => {
        const paths = invalidationPaths(keys, max);
        expect(paths.length).toBeLessThanOrEqual(Math.max(Math.min(max, MAX_INVALIDATION_PATHS), 1));
        expect(paths.filter((p) => p.endsWith('*')).length).toBeLessThanOrEqual(MAX_INVALIDATION_WILDCARDS);
        for (const k of keys) {
          const p = keyToPath(k);
          expect(paths.some((x) => x === p || (x.endsWith('*') && p.startsWith(x.slice(0, -1))))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('a deploy with a distribution (CloudFront mocked, probe over loopback HTTP)', () => {
  const s3Mock = mockClient(S3Client);
  const cfMock = mockClient(CloudFrontClient);
  let server: http.Server;
  let baseUrl: string;
  /** What the "distribution" serves: path → body; a request log to check the probe's headers. */
  const served = new Map<string, string>();
  const requests: http.IncomingHttpHeaders[] = [];
  const order: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.headers);
      const body = served.get((req.url ?? '').split('?')[0]!);
      if (req.headers.authorization !== `Basic ${Buffer.from('demo:edgelock-demo').toString('base64')}`) {
        res.writeHead(401).end();
      } else if (body === undefined) res.writeHead(403).end('denied');
      else res.writeHead(200).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  beforeEach(() => {
    s3Mock.reset();
    cfMock.reset();
    requests.length = 0;
    order.length = 0;
    s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('BucketOwnerEnforced'));
    s3Mock.on(GetBucketAclCommand).resolves(bucketAcl());
    s3Mock.on(PutObjectCommand).callsFake((i: { Key: string }) => {
      order.push(`put ${i.Key}`);
      return { ETag: '"x"' };
    });
    s3Mock.on(DeleteObjectsCommand).callsFake((i: { Delete: { Objects: { Key: string }[] } }) => {
      order.push(`delete ${i.Delete.Objects.map((o) => o.Key).join(',')}`);
      return { Deleted: i.Delete.Objects };
    });
    cfMock.on(CreateInvalidationCommand).callsFake((i: { InvalidationBatch: { Paths: { Items: string[] } } }) => {
      order.push(`invalidate ${i.InvalidationBatch.Paths.Items.join(',')}`);
      return invalidation('I2J0I21PCUYOIK', 'InProgress', i.InvalidationBatch.Paths.Items);
    });
    cfMock.on(GetInvalidationCommand).resolves(invalidation('I2J0I21PCUYOIK', 'Completed'));
  });

  const env = { auth: true, distributionId: 'E2QWRUHAPOMQZL' };
  const authConfig = testConfig({ env, auth: DEMO_AUTH, deploy: { invalidation: { wait: true, waitSeconds: 30 } } });

  test('upload, invalidate, wait, probe with credentials and no-cache, then prune; the summary says so', async () => {
    const site = makeSite(sampleSite());
    const local = (await scanSite(site.dir)).files;
    site.write('index.html', '<!doctype html><h1>new home</h1>');
    s3Mock.on(ListObjectsV2Command).resolves(listing([...local.map(asRemote), { key: 'old.html', etag: 'e', size: 1 }]));
    mockRecord(s3Mock, [...local.map((f) => ({ ...asRemote(f), md5: f.md5 })), { key: 'old.html', etag: 'e', size: 1 }]);
    served.set('/index.html', '<!doctype html><h1>new home</h1>');
    try {
      const summary = await deploySite({ config: authConfig, env: 'dev', dir: site.dir, credentials: { accessKeyId: 'A', secretAccessKey: 'B' }, probeBaseUrl: baseUrl, probeCredentials: 'demo:edgelock-demo' });
      expect(order).toEqual([expect.stringMatching(/^put \.edgelock\/deploys\/\d{8}T\d{9}Z-[0-9a-f]{6}\.pending$/), 'put index.html', 'invalidate /,/index.html,/old.html', 'delete old.html', expect.stringMatching(/^put \.edgelock\/deploys\/\d{8}T\d{9}Z-[0-9a-f]{6}\.json$/)]);
      expect(summary.invalidation).toEqual({ paths: ['/', '/index.html', '/old.html'], id: 'I2J0I21PCUYOIK', status: 'Completed' });
      expect(summary.verification.probe.results).toEqual([{ path: '/index.html', url: expect.stringMatching(/\/index\.html\?edgelock-probe=[0-9a-f]{16}$/), status: 200, ok: true }]);
      expect(requests[0]).toMatchObject({ 'cache-control': 'no-cache', pragma: 'no-cache' });
      expect(summary.counts).toMatchObject({ change: 1, uploaded: 1, deleted: 1 });
    } finally {
      site.cleanup();
    }
  });

  test('a probe that keeps getting old content fails the deploy and nothing is pruned', async () => {
    const site = makeSite(sampleSite());
    const local = (await scanSite(site.dir)).files;
    site.write('index.html', '<!doctype html><h1>newer</h1>');
    s3Mock.on(ListObjectsV2Command).resolves(listing([...local.map(asRemote), { key: 'old.html', etag: 'e', size: 1 }]));
    mockRecord(s3Mock, [...local.map((f) => ({ ...asRemote(f), md5: f.md5 })), { key: 'old.html', etag: 'e', size: 1 }]);
    served.set('/index.html', 'stale');
    try {
      const once = testConfig({ env, auth: DEMO_AUTH, deploy: { verify: { probeAttempts: 1 } } });
      const err = await rejection(
        deploySite({ config: once, env: 'dev', dir: site.dir, credentials: { accessKeyId: 'A', secretAccessKey: 'B' }, probeBaseUrl: baseUrl, probeCredentials: 'demo:edgelock-demo' }),
      );
      expect(err.message).toMatch(/verification failed: http:\/\/127\.0\.0\.1:\d+\/index\.html answered 200 with old or different content\. Nothing was pruned/);
      expect(err.code).toBe('DEPLOY_VERIFY_FAILED');
      expect(order.some((o) => o.startsWith('delete'))).toBe(false);
    } finally {
      site.cleanup();
    }
  });

  test('with invalidation.wait false, nothing is pruned while the invalidation is in progress, and the summary says why and how', async () => {
    const site = makeSite(sampleSite());
    const local = (await scanSite(site.dir)).files;
    site.write('index.html', '<!doctype html><h1>no wait</h1>');
    s3Mock.on(ListObjectsV2Command).resolves(listing([...local.map(asRemote), { key: 'assets/old.1a2b3c4d.js', etag: 'e', size: 1 }]));
    mockRecord(s3Mock, [...local.map((f) => ({ ...asRemote(f), md5: f.md5 })), { key: 'assets/old.1a2b3c4d.js', etag: 'e', size: 1 }]);
    try {
      const noWait = testConfig({ env, auth: DEMO_AUTH, deploy: { invalidation: { wait: false }, verify: { probe: false } } });
      const summary = await deploySite({ config: noWait, env: 'dev', dir: site.dir, credentials: { accessKeyId: 'A', secretAccessKey: 'B' } });
      expect(order).toEqual([expect.stringMatching(/^put \.edgelock\/deploys\/\d{8}T\d{9}Z-[0-9a-f]{6}\.pending$/), 'put index.html', 'invalidate /,/assets/old.1a2b3c4d.js,/index.html', expect.stringMatching(/^put \.edgelock\/deploys\//)]);
      expect(cfMock.commandCalls(GetInvalidationCommand)).toHaveLength(0);
      expect(summary.ok).toBe(true);
      expect(summary.invalidation).toMatchObject({ id: 'I2J0I21PCUYOIK', status: 'InProgress' });
      expect(summary.counts).toMatchObject({ delete: 1, deleted: 0 });
      expect(summary.warnings).toContainEqual(
        expect.stringMatching(/not pruning 1 key\(s\) .*invalidation I2J0I21PCUYOIK on E2QWRUHAPOMQZL is still InProgress \(deploy\.invalidation\.wait is false\).*deploy again with deploy\.invalidation\.wait: true/),
      );
    } finally {
      site.cleanup();
    }
  });

  test('a prune needs the last deploy\'s invalidation completed too: in progress, nothing is pruned and the keys stay edgelock\'s; completed, they go', async () => {
    const site = makeSite(sampleSite());
    const local = (await scanSite(site.dir)).files;
    site.write('index.html', '<!doctype html><h1>after a deploy that did not wait</h1>');
    const old = { key: 'assets/old.1a2b3c4d.js', etag: 'e', size: 1 };
    s3Mock.on(ListObjectsV2Command).resolves(listing([...local.map(asRemote), old]));
    mockRecord(s3Mock, [...local.map((f) => ({ ...asRemote(f), md5: f.md5 })), old], { invalidation: { distributionId: 'E2QWRUHAPOMQZL', id: 'IPREVIOUS0001' } });
    const noProbe = testConfig({ env, auth: DEMO_AUTH, deploy: { invalidation: { wait: true, waitSeconds: 30 }, verify: { probe: false } } });
    const run = () => deploySite({ config: noProbe, env: 'dev', dir: site.dir, credentials: { accessKeyId: 'A', secretAccessKey: 'B' } });
    const written = (): { retained: { key: string }[]; invalidation?: { id: string } } => {
      const put = s3Mock.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key!.startsWith('.edgelock/') && c.args[0].input.Key!.endsWith('.json'))!;
      return JSON.parse(Buffer.from(put.args[0].input.Body as Uint8Array).toString('utf8'));
    };
    try {
      cfMock.on(GetInvalidationCommand, { Id: 'IPREVIOUS0001' }).resolves(invalidation('IPREVIOUS0001', 'InProgress'));
      const held = await run();
      expect(order).toEqual([expect.stringMatching(/^put \.edgelock\/deploys\/.*\.pending$/), 'put index.html', 'invalidate /,/assets/old.1a2b3c4d.js,/index.html', expect.stringMatching(/^put \.edgelock\/deploys\/.*\.json$/)]);
      expect(held.counts).toMatchObject({ delete: 1, deleted: 0 });
      expect(held.warnings).toContainEqual(expect.stringMatching(/not pruning 1 key\(s\) .*the last deploy's invalidation IPREVIOUS0001 on E2QWRUHAPOMQZL is InProgress/));
      // The new record keeps the key as edgelock's, and names this deploy's own invalidation for the next one.
      expect(written().retained.map((r) => r.key)).toEqual(['assets/old.1a2b3c4d.js']);
      expect(written().invalidation).toEqual({ distributionId: 'E2QWRUHAPOMQZL', id: 'I2J0I21PCUYOIK' });

      order.length = 0;
      s3Mock.resetHistory();
      cfMock.on(GetInvalidationCommand, { Id: 'IPREVIOUS0001' }).resolves(invalidation('IPREVIOUS0001', 'Completed'));
      const pruned = await run();
      expect(pruned.counts).toMatchObject({ deleted: 1 });
      expect(order).toContain('delete assets/old.1a2b3c4d.js');
      expect(cfMock.commandCalls(GetInvalidationCommand).map((c) => c.args[0].input.Id)).toContain('IPREVIOUS0001');
    } finally {
      site.cleanup();
    }
  });

  test('with invalidation.wait false and nothing to delete, the deploy does not wait and warns of nothing', async () => {
    const site = makeSite(sampleSite());
    const local = (await scanSite(site.dir)).files;
    site.write('index.html', '<!doctype html><h1>no wait, no delete</h1>');
    s3Mock.on(ListObjectsV2Command).resolves(listing(local.map(asRemote)));
    mockRecord(s3Mock, local.map((f) => ({ ...asRemote(f), md5: f.md5 })));
    try {
      const noWait = testConfig({ env, auth: DEMO_AUTH, deploy: { invalidation: { wait: false }, verify: { probe: false } } });
      const summary = await deploySite({ config: noWait, env: 'dev', dir: site.dir, credentials: { accessKeyId: 'A', secretAccessKey: 'B' } });
      expect(order).toEqual([expect.stringMatching(/^put \.edgelock\/deploys\/\d{8}T\d{9}Z-[0-9a-f]{6}\.pending$/), 'put index.html', 'invalidate /,/index.html', expect.stringMatching(/^put \.edgelock\/deploys\//)]);
      expect(summary.warnings).toEqual([]);
    } finally {
      site.cleanup();
    }
  });

  test('an auth environment without probe credentials skips the probe and says why', async () => {
    const site = makeSite(sampleSite());
    s3Mock.on(ListObjectsV2Command).resolves(listing([]));
    try {
      const summary = await deploySite({ config: authConfig, env: 'dev', dir: site.dir, credentials: { accessKeyId: 'A', secretAccessKey: 'B' }, probeBaseUrl: baseUrl });
      expect(summary.verification.probe).toEqual({ results: [], skipped: expect.stringMatching(/has auth and no probe credentials were given \(--probe-credentials or \$EDGELOCK_PROBE_CREDENTIALS\)/) });
    } finally {
      site.cleanup();
    }
  });
});

describe('probePaths', () => {
  test.each([
    [401, /answered 401 \(wrong or missing probe credentials\)/],
    [403, /answered 403 \(the distribution cannot read the object: run edgelock doctor\)/],
  ])('a %i is a clear problem, without retries', async (status, problem) => {
    const calls: string[] = [];
    const fetchImpl = (async (url: string) => {
      calls.push(url);
      return new Response('x', { status });
    }) as unknown as typeof fetch;
    const [r] = await probePaths([{ path: '/a.html', md5: 'x' }], { baseUrl: 'https://d111111abcdef8.cloudfront.net', fetchImpl, delayMs: 1 });
    expect(r).toMatchObject({ ok: false, status, problem: expect.stringMatching(problem) });
    expect(calls).toHaveLength(1);
  });

  test('old content is retried until the new content arrives; each request busts caches with a fresh query', async () => {
    const bodies = ['old', 'old', 'new'];
    const urls: string[] = [];
    const fetchImpl = (async (url: string) => {
      urls.push(url);
      return new Response(bodies.shift(), { status: 200 });
    }) as unknown as typeof fetch;
    const md5 = createHash('md5').update('new').digest('hex');
    const [r] = await probePaths([{ path: '/a.html', md5 }], { baseUrl: 'https://x.example', fetchImpl, delayMs: 1 });
    expect(r!.ok).toBe(true);
    expect(new Set(urls).size).toBe(3);
  });
});
