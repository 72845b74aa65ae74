/**
 * The deployer against a real S3 HTTP endpoint (s3rver on loopback), through a recording proxy
 * so the order in which requests reach the server is asserted, not assumed.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { deploySite, type DeployEvent } from '../../src/origin/deploy';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver';
import { BUCKET, listKeys, makeSite, rejection, sampleSite, testConfig, type Site } from './fixtures';

let server: S3rverHandle;
let proxy: FaultProxy;
let s3: S3Client;
let site: Site;
const config = testConfig();
/** A bucket of its own for the pre-flight tests, so that "nothing was written" is a fact about an empty bucket. */
const PREFLIGHT_BUCKET = 'acme-preflight-dev';

beforeAll(async () => {
  server = await startS3rver([BUCKET, PREFLIGHT_BUCKET]);
  proxy = await startFaultProxy(server.endpoint, { rate: 0 });
  s3 = server.client();
  site = makeSite(sampleSite());
});
afterAll(async () => {
  site.cleanup();
  await proxy.stop();
  await server.stop();
});

const deploy = (extra: { dryRun?: boolean; prune?: boolean } = {}, events?: DeployEvent[]) =>
  deploySite({ config, env: 'dev', dir: site.dir, endpoint: proxy.endpoint, credentials: server.credentials, ...extra, ...(events ? { onEvent: (e) => events.push(e) } : {}) });

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');
/** Object PUTs of the site, in order (deploy records left out). */
const puts = () => proxy.log.filter((l) => l.startsWith('PUT ')).map((l) => l.slice(`PUT /${BUCKET}/`.length)).filter((k) => !k.startsWith('.edgelock/'));

describe('deploy against s3rver', () => {
  test('a dry run on an empty bucket lists every file as new and writes nothing', async () => {
    const summary = await deploy({ dryRun: true });
    expect(summary.dryRun).toBe(true);
    expect(summary.plan?.add).toHaveLength(6);
    expect(summary.counts).toMatchObject({ add: 6, change: 0, uploaded: 0 });
    expect(await listKeys(s3)).toEqual(new Map());
    expect(puts()).toEqual([]);
  });

  test('a fresh deploy uploads every file, every HTML page after every other file', async () => {
    proxy.log.length = 0;
    const summary = await deploy();
    expect(summary.ok).toBe(true);
    expect(summary.counts).toMatchObject({ add: 6, uploaded: 6, unchanged: 0 });
    expect(summary.bytes.uploaded).toBe(Object.values(sampleSite()).reduce((n, c) => n + Buffer.byteLength(c), 0));
    const keys = await listKeys(s3);
    expect([...keys.keys()].sort()).toEqual(Object.keys(sampleSite()).sort());
    for (const [k, c] of Object.entries(sampleSite())) expect(keys.get(k)).toBe(md5(c));
    const order = puts();
    const lastAsset = Math.max(...order.map((k, i) => (k.endsWith('.html') ? -1 : i)));
    const firstHtml = order.findIndex((k) => k.endsWith('.html'));
    expect(firstHtml).toBeGreaterThan(lastAsset);
    expect(summary.invalidation).toEqual({ paths: [], skipped: 'nothing changed or deleted' });
    expect(summary.verification.probe.skipped).toMatch(/not behind CloudFront/);
    expect(summary.ownership.reading).toBe('not implemented by the endpoint');
  });

  test.each([
    ['index.html', 'text/html; charset=utf-8', 'no-cache'],
    ['about/index.html', 'text/html; charset=utf-8', 'no-cache'],
    ['assets/app.3f9a1c2b.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['assets/app.5e6f7a8b.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['robots.txt', 'text/plain; charset=utf-8', 'public, max-age=300, must-revalidate'],
    ['data/feed.json', 'application/json; charset=utf-8', 'public, max-age=300, must-revalidate'],
  ])('%s is stored with Content-Type %s and Cache-Control %s', async (key, type, cache) => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentType).toBe(type);
    expect(head.CacheControl).toBe(cache);
  });

  test('a redeploy of the same site uploads nothing', async () => {
    proxy.log.length = 0;
    const summary = await deploy();
    expect(summary.counts).toMatchObject({ unchanged: 6, add: 0, change: 0, uploaded: 0, deleted: 0 });
    expect(puts()).toEqual([]);
  });

  test('one changed file uploads exactly one object', async () => {
    proxy.log.length = 0;
    site.write('assets/app.5e6f7a8b.js', 'console.log("v2")');
    const summary = await deploy();
    expect(summary.counts).toMatchObject({ change: 1, uploaded: 1, unchanged: 5 });
    expect(puts()).toEqual(['assets/app.5e6f7a8b.js']);
    expect(summary.invalidation.paths).toEqual(['/assets/app.5e6f7a8b.js']);
    const body = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'assets/app.5e6f7a8b.js' }))).Body!.transformToString();
    expect(body).toBe('console.log("v2")');
  });

  test('--no-prune keeps a removed file; the default prunes it after the upload', async () => {
    site.remove('robots.txt');
    site.write('about/index.html', '<!doctype html><h1>About us</h1>');
    const kept = await deploy({ prune: false });
    expect(kept.counts).toMatchObject({ delete: 0, kept: 1, deleted: 0 });
    expect((await listKeys(s3)).has('robots.txt')).toBe(true);

    proxy.log.length = 0;
    const pruned = await deploy();
    expect(pruned.counts).toMatchObject({ delete: 1, deleted: 1 });
    expect((await listKeys(s3)).has('robots.txt')).toBe(false);
    expect(pruned.invalidation.paths).toEqual(['/robots.txt']);
    // DeleteObjects comes after every upload, and the deploy record is the very last request.
    expect(proxy.log.findIndex((l) => l.startsWith('POST'))).toBe(proxy.log.length - 2);
    expect(proxy.log[proxy.log.length - 1]).toMatch(/^PUT \/acme-site-dev\/\.edgelock\/deploys\/\d{8}T\d{9}Z-[0-9a-f]{6}\.json$/);
  });

  test('a dry run with pending changes changes nothing', async () => {
    site.write('index.html', '<!doctype html><h1>Home v3</h1>');
    site.write('new/page.html', '<!doctype html>new');
    const before = await listKeys(s3);
    proxy.log.length = 0;
    const summary = await deploy({ dryRun: true });
    expect(summary.plan).toEqual({
      add: [{ key: 'new/page.html', size: 18, contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' }],
      change: [{ key: 'index.html', size: 31, contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' }],
      restamp: [],
      delete: [],
    });
    expect(summary.invalidation.paths).toEqual(['/', '/index.html']);
    expect(await listKeys(s3)).toEqual(before);
    expect(proxy.log.every((l) => l.startsWith('GET '))).toBe(true);
  });

  test('a file above the multipart threshold goes up in parts and is unchanged on the next deploy', async () => {
    const big = Buffer.alloc(9 * 1024 * 1024, 7);
    site.write('media/big.bin', big);
    proxy.log.length = 0;
    const first = await deploy();
    expect(first.plan).toBeUndefined();
    expect(first.counts.add).toBeGreaterThanOrEqual(1);
    // CreateMultipartUpload and CompleteMultipartUpload are POSTs; s3rver reports the whole-file MD5 as the ETag.
    expect(proxy.log.filter((l) => l === `POST /${BUCKET}/media/big.bin`)).toHaveLength(2);
    expect(proxy.log.filter((l) => l === `PUT /${BUCKET}/media/big.bin`)).toHaveLength(2);
    const second = await deploy();
    expect(second.counts).toMatchObject({ uploaded: 0, change: 0 });
  });

  test('a missing site folder and an unknown environment are clear errors', async () => {
    await expect(deploySite({ config, env: 'dev', dir: '/nonexistent/site', endpoint: proxy.endpoint, credentials: server.credentials })).rejects.toThrow(/no site folder at \/nonexistent\/site/);
    await expect(deploySite({ config, env: 'prod', dir: site.dir, endpoint: proxy.endpoint, credentials: server.credentials })).rejects.toThrow(/no environment "prod"; this config has "dev"/);
    expect((await rejection(deploySite({ config, env: 'dev', dir: '/nonexistent/site', endpoint: proxy.endpoint, credentials: server.credentials }))).code).toBe('DEPLOY_REFUSED');
    expect(await rejection(deploySite({ config, env: 'prod', dir: site.dir, endpoint: proxy.endpoint, credentials: server.credentials }))).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
  });
});

describe('symbolic links in the site folder', () => {
  // Another site into the same bucket: it replaces the one deployed above (more deletes than deploy.maxDeletes).
  const deployDir = (dir: string) => deploySite({ config, env: 'dev', dir, endpoint: proxy.endpoint, credentials: server.credentials, allowDeletes: true });
  let outside: string;
  let linked: Site;
  beforeEach(() => {
    outside = mkdtempSync(path.join(os.tmpdir(), 'edgelock-outside-'));
    writeFileSync(path.join(outside, 'credentials'), '[default]\naws_secret_access_key=SECRET\n');
    linked = makeSite({ 'index.html': '<!doctype html><h1>links</h1>', 'assets/app.css': 'body{}' });
    proxy.log.length = 0;
  });
  afterEach(() => {
    linked.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  test('a link to a file outside the folder is refused, naming the link and its target; nothing is uploaded', async () => {
    symlinkSync(path.join(outside, 'credentials'), path.join(linked.dir, 'assets', 'leak.txt'));
    await expect(deployDir(linked.dir)).rejects.toThrow(/the symbolic link .*assets\/leak\.txt points to .*edgelock-outside-[^/]+\/credentials, outside the site folder .* Nothing was uploaded/);
    expect((await rejection(deployDir(linked.dir))).code).toBe('DEPLOY_REFUSED');
    expect(puts()).toEqual([]);
  });

  test('a link to a folder outside is refused too', async () => {
    symlinkSync(outside, path.join(linked.dir, 'shared'));
    await expect(deployDir(linked.dir)).rejects.toThrow(/the symbolic link .*\/shared points to .*edgelock-outside-[^/]+, outside the site folder/);
    expect((await rejection(deployDir(linked.dir))).code).toBe('DEPLOY_REFUSED');
    expect(puts()).toEqual([]);
  });

  test('a link loop is a clear error, not a raw ELOOP', async () => {
    symlinkSync('..', path.join(linked.dir, 'assets', 'up'));
    await expect(deployDir(linked.dir)).rejects.toThrow(/symbolic link loop: .*assets\/up leads back to/);
    expect((await rejection(deployDir(linked.dir))).code).toBe('DEPLOY_REFUSED');
    linked.remove('assets/up');
    symlinkSync('self', path.join(linked.dir, 'self'));
    await expect(deployDir(linked.dir)).rejects.toThrow(/symbolic link loop at .*\/self/);
    expect((await rejection(deployDir(linked.dir))).code).toBe('DEPLOY_REFUSED');
    expect(puts()).toEqual([]);
  });

  test('links that stay inside the folder are deployed under their own names', async () => {
    symlinkSync('app.css', path.join(linked.dir, 'assets', 'alias.css'));
    symlinkSync('assets', path.join(linked.dir, 'static'));
    const summary = await deployDir(linked.dir);
    expect(summary.ok).toBe(true);
    const keys = await listKeys(s3);
    for (const k of ['assets/alias.css', 'static/app.css', 'static/alias.css']) expect(keys.get(k)).toBe(md5('body{}'));
  });
});

describe('pre-flight: HTML that references files the site does not have', () => {
  const preflightConfig = (deploy: Record<string, unknown> = {}, origin?: Record<string, unknown>) => {
    const c = testConfig({ env: { bucket: PREFLIGHT_BUCKET }, deploy });
    return origin ? { ...c, origin: { ...c.origin, ...origin } } : c;
  };
  const deployTo = (dir: string, c = preflightConfig(), extra: { dryRun?: boolean } = {}) => deploySite({ config: c, env: 'dev', dir, endpoint: proxy.endpoint, credentials: server.credentials, ...extra });
  let broken: Site;
  beforeEach(() => {
    broken = makeSite({
      'index.html': '<!doctype html>\n<link rel="stylesheet" href="/css/site.css">\n<img src="img/logo.png">\n<img srcset="/img/hero.jpg 1x, /img/hero@2x.jpg 2x">',
      'docs/index.html': '<!doctype html>\n\n<div style="background:url(../img/bg.png)"></div>\n<script src="/uploads/config.js"></script>',
      'css/site.css': 'body{}\n@font-face{src:url(/fonts/brand.woff2)}',
      'img/logo.png': 'png',
      'img/hero.jpg': 'jpg',
    });
    proxy.log.length = 0;
  });
  afterEach(() => broken.cleanup());

  test('a missing asset fails the deploy before any request that writes, naming each file, line and reference; the bucket stays empty', async () => {
    const err = await rejection(deployTo(broken.dir));
    expect(err.code).toBe('DEPLOY_REFUSED_MISSING_REFERENCES');
    expect(err.message).toContain('4 reference(s) in 3 file(s)');
    expect(err.message).toContain('index.html:4 <img srcset> "/img/hero@2x.jpg": img/hero@2x.jpg is not in the site');
    expect(err.message).toContain('docs/index.html:3 <div style> url() "../img/bg.png": img/bg.png is not in the site');
    expect(err.message).toContain('docs/index.html:4 <script src> "/uploads/config.js"');
    expect(err.message).toContain('css/site.css:2 url() "/fonts/brand.woff2": fonts/brand.woff2 is not in the site');
    expect(proxy.log.filter((l) => !l.startsWith('GET ') && !l.startsWith('HEAD '))).toEqual([]);
    expect(await listKeys(s3, PREFLIGHT_BUCKET, true)).toEqual(new Map());
    // A dry run is refused the same way.
    expect((await rejection(deployTo(broken.dir, preflightConfig(), { dryRun: true }))).code).toBe('DEPLOY_REFUSED_MISSING_REFERENCES');
  });

  test('deploy.preflight.ignore lets through what the site does not carry itself; the rest still refuses, then the fixed site deploys', async () => {
    const ignoring = preflightConfig({ preflight: { ignore: ['/uploads/', 'fonts/'] } });
    const err = await rejection(deployTo(broken.dir, ignoring));
    expect(err.message).toContain('2 reference(s) in 2 file(s)');
    expect(err.message).not.toContain('uploads/config.js');
    expect(err.message).not.toContain('brand.woff2');
    broken.write('img/hero@2x.jpg', 'jpg2');
    broken.write('img/bg.png', 'png2');
    const summary = await deployTo(broken.dir, ignoring);
    expect(summary.counts.uploaded).toBe(7);
    expect((await listKeys(s3, PREFLIGHT_BUCKET)).has('img/bg.png')).toBe(true);
  });

  test('under deploy.prefix, root-relative references resolve against the site root, as the distribution\'s origin path serves them', async () => {
    const prefixed = preflightConfig({ prefix: 'site/', preflight: { ignore: ['/uploads/', 'fonts/'] } });
    broken.write('img/hero@2x.jpg', 'jpg2');
    broken.write('img/bg.png', 'png2');
    expect((await deployTo(broken.dir, prefixed)).ok).toBe(true);
    expect((await listKeys(s3, PREFLIGHT_BUCKET)).has('site/img/bg.png')).toBe(true);
    // A reference that spells out the prefix would be /site/site/… through the origin path: missing.
    broken.write('about.html', '<img src="/site/img/logo.png">');
    const err = await rejection(deployTo(broken.dir, prefixed));
    expect(err.message).toContain('about.html:1 <img src> "/site/img/logo.png": site/img/logo.png is not in the site');
  });

  test('with origin.prettyUrls a link to /docs resolves to docs/index.html, as the edge serves it', async () => {
    const site = makeSite({ 'index.html': '<a href="/docs">docs</a><iframe src="/docs"></iframe><img src="/img/logo.png">', 'docs/index.html': '<img src="/img/logo.png">', 'img/logo.png': 'png' });
    try {
      const linked = preflightConfig({ preflight: { links: true } });
      expect((await rejection(deployTo(site.dir, linked))).message).toContain('index.html:1 <a href> "/docs": docs is not in the site (/docs is the key "docs" (origin.prettyUrls is off): link /docs/ or turn on origin.prettyUrls)');
      expect((await deployTo(site.dir, preflightConfig({ preflight: { links: true } }, { prettyUrls: true }), { dryRun: true })).ok).toBe(true);
    } finally {
      site.cleanup();
    }
  });

  test('a file the new HTML still references through an ignore pattern is not pruned, and stays edgelock\'s in the record', async () => {
    const c = preflightConfig({ prefix: 'held/', preflight: { ignore: ['/legacy/'] } });
    const site = makeSite({ 'index.html': '<script src="/legacy/app.js"></script><img src="/img/old.png">', 'legacy/app.js': 'v1', 'img/old.png': 'png' });
    try {
      expect((await deployTo(site.dir, c)).ok).toBe(true);
      site.remove('legacy/app.js');
      site.remove('img/old.png');
      site.write('index.html', '<script src="/legacy/app.js"></script>');
      const summary = await deployTo(site.dir, c);
      expect(summary.counts.deleted).toBe(1);
      expect(summary.kept).toEqual([{ key: 'held/legacy/app.js', reason: 'still referenced by index.html:1 (the new site links it but no longer has it)' }]);
      const keys = await listKeys(s3, PREFLIGHT_BUCKET);
      expect(keys.has('held/legacy/app.js')).toBe(true);
      expect(keys.has('held/img/old.png')).toBe(false);
      // Once no page references it, the next deploy prunes it: the record kept it as edgelock's.
      site.write('index.html', '<p>no script</p>');
      expect((await deployTo(site.dir, c)).counts.deleted).toBe(1);
      expect((await listKeys(s3, PREFLIGHT_BUCKET)).has('held/legacy/app.js')).toBe(false);
    } finally {
      site.cleanup();
    }
  });

  test('the example site deploys', async () => {
    const summary = await deployTo(path.join(__dirname, '..', '..', 'examples', 'site'), preflightConfig({ prefix: 'example/' }));
    expect(summary.ok).toBe(true);
    expect((await listKeys(s3, PREFLIGHT_BUCKET)).has('example/docs/index.html')).toBe(true);
  });
});
