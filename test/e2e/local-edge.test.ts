/**
 * The real chain over loopback: viewer → built bundles → SigV4-signed origin request → embedded
 * private S3 → bundles → viewer. The S3 request log shows what reached the bucket.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { buildEdge } from '../../src/build';
import { loadConfig } from '../../src/config/load';
import { startLocalEdge, type RunningLocalEdge } from '../../src/dev';
import { tempDir, validConfig, writeJsonConfig } from '../helpers/config';
import { buildExample, copyDist, DEMO_AUTH, EXAMPLE_CONFIG, EXAMPLE_SITE, raw, SECURITY_HEADERS, startExample, type Built } from './helpers';

let built: Built;
let edge: RunningLocalEdge;
const logs: string[] = [];

beforeAll(async () => {
  built = await buildExample();
  edge = await startExample(built, { log: (l) => logs.push(l) });
});
afterAll(() => edge?.close());

const auth = { authorization: DEMO_AUTH };
const s3Gets = () => edge.s3!.log.filter((e) => e.method === 'GET');

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  for (const name of SECURITY_HEADERS) expect({ name, value: headers[name] }).toEqual({ name, value: expect.any(String) });
  expect(headers['x-content-type-options']).toBe('nosniff');
}

describe('local edge with the built handlers', () => {
  test('without credentials: 401 with the realm and the security headers, and S3 is never contacted', async () => {
    edge.s3!.clearLog();
    const r = await raw(edge.url, '/index.html');
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Basic realm="Acme preview", charset="UTF-8"');
    expectSecurityHeaders(r.headers);
    expect(edge.s3!.log).toHaveLength(0);
  });

  test('with the demo credentials: 200 and the page, fetched from S3 with a SigV4 signature', async () => {
    edge.s3!.clearLog();
    const r = await raw(edge.url, '/index.html', { headers: auth });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Acme preview</title>');
    expectSecurityHeaders(r.headers);
    expect(s3Gets().map((e) => [e.url, e.status])).toEqual([['/index.html', 200]]);
    expect(s3Gets()[0]!.headers.authorization?.[0]).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
  });

  test('the viewer\'s Authorization header never reaches S3', async () => {
    edge.s3!.clearLog();
    for (const p of ['/', '/docs/', '/js/site.js', '/img/logo.png', '/missing.html']) await raw(edge.url, p, { headers: auth });
    expect(edge.s3!.log.length).toBeGreaterThanOrEqual(5);
    for (const entry of edge.s3!.log) {
      const seen = Object.entries(entry.headers).flatMap(([, values]) => values).join('\n');
      expect(seen).not.toContain(DEMO_AUTH.slice('Basic '.length));
      expect(entry.headers.authorization).toEqual([expect.stringMatching(/^AWS4-HMAC-SHA256 /)]);
    }
  });

  test.each([
    ['/', 'Acme preview'],
    ['/docs/', '<title>Docs'],
  ])('directory index: %s serves its index.html', async (target, text) => {
    const r = await raw(edge.url, target, { headers: auth });
    expect(r.status).toBe(200);
    expect(r.body).toContain(text);
  });

  test.each(['/../../etc/passwd', '/docs/../../index.html', '/%2e%2e/%2e%2e/etc/passwd', '/docs/%2e%2e%2f%2e%2e%2findex.html', '/..%5c..%5cindex.html', '/docs//../index.html'])(
    'traversal attempt %s is blocked before S3',
    async (target) => {
      edge.s3!.clearLog();
      const r = await raw(edge.url, target, { headers: auth });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(edge.s3!.log.filter((e) => /\.\.|%2e%2e|%5c/i.test(e.url))).toEqual([]);
    },
  );

  test('a second request for an asset is a cache hit and does not reach S3', async () => {
    edge.s3!.clearLog();
    const first = await raw(edge.url, '/css/site.css', { headers: auth });
    const second = await raw(edge.url, '/css/site.css', { headers: auth });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.headers['x-cache']).toBe('Miss from cloudfront');
    expect(second.headers['x-cache']).toBe('Hit from cloudfront');
    expect(second.body).toBe(first.body);
    expect(s3Gets()).toHaveLength(1);
  });

  test('HEAD answers with the object\'s length and no body, on a miss and on a hit', async () => {
    const get = await raw(edge.url, '/img/logo.png', { headers: auth });
    for (const target of ['/index.html', '/img/logo.png']) {
      const head = await raw(edge.url, target, { headers: auth, method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    }
    expect(get.headers['content-length']).toBe('258');
  });

  test('a 4xx from S3 still carries the security headers', async () => {
    const r = await raw(edge.url, '/no-such-page.html', { headers: auth });
    expect([403, 404]).toContain(r.status);
    expectSecurityHeaders(r.headers);
  });

  test('a deliberately broken bundle gives 502 and the log names the handler and the validator rule', async () => {
    const dist = copyDist(built.distDir);
    const bundle = path.join(dist, 'dev', 'origin-response', 'index.js');
    // Wrap the real handler: add a header Lambda@Edge forbids.
    writeFileSync(
      bundle,
      `${readFileSync(bundle, 'utf8')}\n;(() => { const real = module.exports.handler; module.exports = { handler: async (e, c) => { const r = await real(e, c); r.headers['x-accel-redirect'] = [{ key: 'X-Accel-Redirect', value: '/internal' }]; return r; } }; })();\n`,
    );
    const brokenLogs: string[] = [];
    const broken = await startExample({ ...built, distDir: dist }, { log: (l) => brokenLogs.push(l) });
    try {
      const r = await raw(broken.url, '/index.html', { headers: auth });
      expect(r.status).toBe(502);
      expect(r.headers['x-cache']).toBe('LambdaValidationError from cloudfront');
      expect(r.body).toContain('[disallowed-header]');
      expect(brokenLogs).toEqual([expect.stringMatching(/^origin-response: invalid result → 502 LambdaValidationError: \[disallowed-header\] .*x-accel-redirect/)]);
    } finally {
      await broken.close();
    }
  });

  test('no handler failed during the run', () => {
    expect(logs).toEqual([]);
  });
});

describe('local edge with an OAI environment', () => {
  test('the real guard accepts the OAI origin object the emulator sends, and the signed request goes through', async () => {
    const cfg = validConfig();
    cfg.environments.dev = { ...cfg.environments.dev!, originAccess: 'oai' };
    const config = loadConfig(writeJsonConfig(cfg));
    const distDir = tempDir('edgelock-e2e-oai-');
    await buildEdge(config, { outDir: distDir, env: 'dev' });
    const oai = await startExample({ config, distDir });
    try {
      oai.s3!.clearLog();
      const r = await raw(oai.url, '/docs/', { headers: auth });
      expect(r.status).toBe(200);
      expect(r.body).toContain('<title>Docs');
      expect(oai.s3!.log.filter((e) => e.method === 'GET').map((e) => e.url)).toEqual(['/docs/index.html']);
    } finally {
      await oai.close();
    }
  });
});

describe('local edge for an environment without auth', () => {
  test('prod has no viewer-request function: the site answers without credentials, with the security headers', async () => {
    const config = loadConfig(EXAMPLE_CONFIG);
    const distDir = tempDir('edgelock-e2e-prod-');
    await buildEdge(config, { outDir: distDir, env: 'prod' });
    const prod = await startLocalEdge({ config, env: 'prod', distDir, port: 0, siteDir: EXAMPLE_SITE });
    try {
      prod.s3!.clearLog();
      expect(prod.handlers).toEqual(['origin-request', 'origin-response']);
      const r = await raw(prod.url, '/');
      expect(r.status).toBe(200);
      expectSecurityHeaders(r.headers);
      expect(prod.s3!.log.filter((e) => e.method === 'GET' && e.host === 'acme-web-prod-site-333333333333.s3.eu-west-1.amazonaws.com').map((e) => e.url)).toEqual(['/index.html']);
    } finally {
      await prod.close();
    }
  });
});

/**
 * CloudFront's documented behaviour, checked against the running emulator over real HTTP with the
 * built handlers and the embedded S3 (the rows of docs/dev.md's conformance table).
 */
describe('conformance with the distribution the stacks deploy', () => {
  let conf: RunningLocalEdge;
  const confLogs: string[] = [];
  beforeAll(async () => {
    conf = await startExample(built, { log: (l) => confLogs.push(l) });
  });
  afterAll(() => conf?.close());
  const gets = () => conf.s3!.log.filter((e) => e.method === 'GET');
  const SITE_JS = readFileSync(path.join(EXAMPLE_SITE, 'js', 'site.js'), 'utf8');

  test('Range on a cold object: 206 cut from the whole object, which is what the cache keeps; a plain GET then gets the whole object', async () => {
    conf.s3!.clearLog();
    const part = await raw(conf.url, '/js/site.js', { headers: { ...auth, range: 'bytes=0-9' } });
    expect([part.status, part.body, part.headers['content-range'], part.headers['x-cache']]).toEqual([206, SITE_JS.slice(0, 10), `bytes 0-9/${SITE_JS.length}`, 'Miss from cloudfront']);
    const whole = await raw(conf.url, '/js/site.js', { headers: auth });
    expect([whole.status, whole.body, whole.headers['x-cache']]).toEqual([200, SITE_JS, 'Hit from cloudfront']);
    expect(gets()).toHaveLength(1);
    expect(gets()[0]!.headers.range).toBeUndefined();
  });

  test('Range on a hit is honoured: 206 with Content-Range; an unsatisfiable one is 416, never cached', async () => {
    await raw(conf.url, '/js/site.js', { headers: auth });
    const tail = await raw(conf.url, '/js/site.js', { headers: { ...auth, range: 'bytes=-5' } });
    expect([tail.status, tail.body, tail.headers['content-range'], tail.headers['x-cache']]).toEqual([206, SITE_JS.slice(-5), `bytes ${SITE_JS.length - 5}-${SITE_JS.length - 1}/${SITE_JS.length}`, 'Hit from cloudfront']);
    const bad = await raw(conf.url, '/js/site.js', { headers: { ...auth, range: `bytes=${SITE_JS.length}-` } });
    expect([bad.status, bad.headers['content-range']]).toEqual([416, `bytes */${SITE_JS.length}`]);
    const after = await raw(conf.url, '/js/site.js', { headers: auth });
    expect([after.status, after.body.length]).toEqual([200, SITE_JS.length]);
  });

  test('the query string is neither in the cache key nor forwarded to the origin', async () => {
    conf.s3!.clearLog();
    const a = await raw(conf.url, '/img/logo.png?v=1', { headers: auth });
    const b = await raw(conf.url, '/img/logo.png?v=2&utm=x', { headers: auth });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.headers['x-cache']).toBe('Hit from cloudfront');
    expect(gets().map((e) => e.url)).toEqual(['/img/logo.png']);
  });

  test('viewer headers and cookies do not reach the origin; X-Forwarded-For is appended to', async () => {
    conf.s3!.clearLog();
    const r = await raw(conf.url, '/docs/', { headers: { ...auth, cookie: 'session=s3cret', 'x-custom': 'viewer-value', 'x-forwarded-for': '203.0.113.9', 'accept-language': 'fr' } });
    expect(r.status).toBe(200);
    const [entry] = gets();
    expect(entry!.headers.cookie).toBeUndefined();
    expect(entry!.headers['x-custom']).toBeUndefined();
    expect(entry!.headers['accept-language']).toBeUndefined();
    expect(entry!.headers['x-forwarded-for']).toEqual(['203.0.113.9, 127.0.0.1']);
    expect(entry!.headers['user-agent']).toEqual(['Amazon CloudFront']);
  });

  test('custom error response: a missing page (S3\'s 403) serves /404.html with status 404, and the error is cached', async () => {
    conf.s3!.clearLog();
    const page404 = readFileSync(path.join(EXAMPLE_SITE, '404.html'), 'utf8');
    const first = await raw(conf.url, '/no-such-page.html', { headers: auth });
    expect([first.status, first.body, first.headers['x-cache']]).toEqual([404, page404, 'Error from cloudfront']);
    expectSecurityHeaders(first.headers);
    expect(first.body).not.toContain('AccessDenied');
    const second = await raw(conf.url, '/no-such-page.html', { headers: auth });
    expect([second.status, second.body]).toEqual([404, page404]);
    expect(gets().map((e) => [e.url, e.status])).toEqual([['/no-such-page.html', 403], ['/404.html', 200]]);
  });

  test('a method the behaviour does not allow is refused 403 before viewer-request runs', async () => {
    conf.s3!.clearLog();
    for (const method of ['DELETE', 'POST', 'PUT', 'OPTIONS']) {
      const r = await raw(conf.url, '/index.html', { method });
      expect({ method, status: r.status, challenge: r.headers['www-authenticate'] }).toEqual({ method, status: 403, challenge: undefined });
      expect(r.body).toContain('not configured to allow the HTTP request method');
    }
    expect(conf.s3!.log).toEqual([]);
  });

  test('conditional requests are answered 304 from the cached object: If-None-Match, and If-Modified-Since', async () => {
    const first = await raw(conf.url, '/css/site.css', { headers: auth });
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    const byTag = await raw(conf.url, '/css/site.css', { headers: { ...auth, 'if-none-match': etag } });
    expect([byTag.status, byTag.body]).toEqual([304, '']);
    const byDate = await raw(conf.url, '/css/site.css', { headers: { ...auth, 'if-modified-since': lastModified } });
    expect([byDate.status, byDate.body]).toEqual([304, '']);
    const older = await raw(conf.url, '/css/site.css', { headers: { ...auth, 'if-modified-since': new Date(Date.parse(lastModified) - 60_000).toUTCString() } });
    expect(older.status).toBe(200);
  });

  test('the viewer gets CloudFront\'s generic 503 text, never the function\'s exception, which goes to the log', async () => {
    const dist = copyDist(built.distDir);
    const bundle = path.join(dist, 'dev', 'origin-request', 'index.js');
    writeFileSync(bundle, `${readFileSync(bundle, 'utf8')}\n;module.exports = { handler: async () => { throw new Error('db password is hunter2 at /srv/secret.js:12'); } };\n`);
    const brokenLogs: string[] = [];
    const broken = await startExample({ ...built, distDir: dist }, { log: (l) => brokenLogs.push(l) });
    try {
      const r = await raw(broken.url, '/index.html', { headers: auth });
      expect([r.status, r.headers['x-cache']]).toEqual([503, 'LambdaExecutionError from cloudfront']);
      expect(r.body).toContain('The request could not be satisfied');
      expect(r.body).not.toMatch(/hunter2|secret\.js/);
      expect(brokenLogs.join('\n')).toContain('hunter2');
    } finally {
      await broken.close();
    }
  });

  /** A request whose answer is kept as bytes (compressed bodies), with an optional body. */
  function bytes(target: string, options: { headers?: Record<string, string>; method?: string; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    const url = new URL(conf.url);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: url.port, path: target, method: options.method ?? 'GET', headers: { host: url.host, ...options.headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  test('compression: br preferred over gzip for a compressible object of 1,000 bytes or more, with a weak ETag', async () => {
    const css = readFileSync(path.join(EXAMPLE_SITE, 'css', 'site.css'));
    expect(css.length).toBeGreaterThanOrEqual(1_000);
    const plain = await bytes('/css/site.css', { headers: auth });
    const br = await bytes('/css/site.css', { headers: { ...auth, 'accept-encoding': 'gzip, deflate, br' } });
    const gz = await bytes('/css/site.css', { headers: { ...auth, 'accept-encoding': 'gzip' } });
    expect([plain.headers['content-encoding'], br.headers['content-encoding'], gz.headers['content-encoding']]).toEqual([undefined, 'br', 'gzip']);
    expect(brotliDecompressSync(br.body).equals(css)).toBe(true);
    expect(gunzipSync(gz.body).equals(css)).toBe(true);
    expect(plain.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(br.headers.etag).toBe(`W/${plain.headers.etag}`);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    // Under 1,000 bytes, or not a compressible type: sent as stored.
    const small = await bytes('/docs/', { headers: { ...auth, 'accept-encoding': 'br' } });
    const png = await bytes('/img/logo.png', { headers: { ...auth, 'accept-encoding': 'br' } });
    expect([small.headers['content-encoding'], png.headers['content-encoding']]).toEqual([undefined, undefined]);
  });

  test('limits: a URL over 8,192 bytes is 414, request headers over 20,480 bytes are 494, both before viewer-request', async () => {
    conf.s3!.clearLog();
    const longUrl = await raw(conf.url, `/${'a'.repeat(8_200)}`, { headers: auth });
    expect([longUrl.status, longUrl.headers['www-authenticate']]).toEqual([414, undefined]);
    const fits = await raw(conf.url, '/index.html', { headers: { ...auth, 'x-pad': 'p'.repeat(19_000) } });
    expect(fits.status).toBe(200);
    const big = await raw(conf.url, '/index.html', { headers: { ...auth, 'x-pad': 'p'.repeat(20_500) } });
    expect([big.status, big.headers['www-authenticate']]).toEqual([494, undefined]);
  });

  test('a GET with a body is refused 403', async () => {
    conf.s3!.clearLog();
    const r = await bytes('/index.html', { headers: { ...auth, 'content-type': 'text/plain', 'content-length': '7' }, body: 'payload' });
    expect([r.status, r.headers['x-cache']]).toEqual([403, 'Error from cloudfront']);
    expect(conf.s3!.log).toEqual([]);
  });

  test('a HEAD miss is cached for later HEADs, and never serves a GET an empty body', async () => {
    conf.s3!.clearLog();
    conf.edge.cache.clear();
    const first = await raw(conf.url, '/404.html?head', { headers: auth, method: 'HEAD' });
    const second = await raw(conf.url, '/404.html', { headers: auth, method: 'HEAD' });
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['Miss from cloudfront', 'Hit from cloudfront']);
    expect(second.headers['content-length']).toBe(String(readFileSync(path.join(EXAMPLE_SITE, '404.html')).length));
    const get = await raw(conf.url, '/404.html', { headers: auth });
    expect([get.status, get.body]).toEqual([200, readFileSync(path.join(EXAMPLE_SITE, '404.html'), 'utf8')]);
    expect(conf.s3!.log.map((e) => e.method)).toEqual(['HEAD', 'GET']);
  });

  test('no handler failed during the conformance run', () => {
    expect(confLogs).toEqual([]);
  });
});
