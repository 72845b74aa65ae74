import { getHeader, getHeaderValues } from '../../src/edge/headers';
import { HANDLER_SOURCES, invoke, recordedEvent, testConfigInput, type EdgeHandlers, type Handler, captureConsoleLog } from './bundles';

type Result = { status?: string; headers: Record<string, { key?: string; value: string }[]>; uri?: string; querystring?: string; body?: string };

/** What the handlers log (console.log), per test. */
const logs = captureConsoleLog();

/** The recorded OAC-style event (authMethod none, regional endpoint) with a different URI/method. */
function oacEvent(over: { uri?: string; method?: string } = {}) {
  const event = recordedEvent('origin-request-s3-none');
  Object.assign(event.Records[0].cf.request, over);
  return event;
}

function expectFailClosed(r: Result, reason: string): void {
  expect(r.status).toBe('502');
  expect(getHeader(r.headers, 'cache-control')).toBe('no-store');
  expect(getHeader(r.headers, 'strict-transport-security')).toBeDefined();
  expect(getHeader(r.headers, 'content-security-policy')).toBeDefined();
  expect(logs).toHaveLength(1);
  const line = JSON.parse(logs[0]!);
  expect(line).toMatchObject({ level: 'error', project: 'acme-web', reason, requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==' });
  expect(logs[0]).not.toContain('\n');
}

describe.each(HANDLER_SOURCES)('origin-request guard (%s)', (_kind, load) => {
  let bundles: EdgeHandlers;
  let dev: Handler;
  let legacy: Handler;
  let prod: Handler;
  beforeAll(async () => {
    bundles = await load();
    dev = bundles.handler('dev', 'origin-request');
    legacy = bundles.handler('legacy', 'origin-request');
    prod = bundles.handler('prod', 'origin-request');
  });
  afterAll(() => bundles.cleanup());

  describe('origin checks', () => {
    it('accepts the OAC environment\'s bucket on its regional REST endpoint with authMethod none', async () => {
      const r = await invoke<Result>(dev, oacEvent());
      expect(r.status).toBeUndefined();
      expect(logs).toEqual([]);
    });

    it('accepts the OAI environment\'s bucket with authMethod origin-access-identity', async () => {
      const event = recordedEvent('origin-request-s3-oai');
      event.Records[0].cf.request.origin.s3.domainName = 'acme-legacy-site.s3.amazonaws.com';
      const r = await invoke<Result>(legacy, event);
      expect(r.status).toBeUndefined();
    });

    it.each<[string, () => Handler, (e: any) => void, string]>([ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['a custom origin', () => dev, (e) => Object.assign(e, recordedEvent('origin-request-custom')), 'custom-origin'],
      ['the S3 website endpoint', () => dev, (e) => Object.assign(e, recordedEvent('origin-request-s3-website')), 'website-endpoint'],
      ['an S3 origin on a website domain', () => dev, (e) => (e.Records[0].cf.request.origin.s3.domainName = 'acme-web-dev-site-222222222222.s3-website.eu-west-1.amazonaws.com'), 'website-endpoint'],
      ['another bucket', () => dev, (e) => (e.Records[0].cf.request.origin.s3.domainName = 'someone-else.s3.eu-west-1.amazonaws.com'), 'unexpected-domain'],
      ['a lookalike domain', () => dev, (e) => (e.Records[0].cf.request.origin.s3.domainName = 'acme-web-dev-site-222222222222.s3.eu-west-1.amazonaws.com.evil.example'), 'unexpected-domain'],
      ['another environment\'s bucket', () => prod, () => undefined, 'unexpected-domain'],
      ['OAI when the environment uses OAC', () => dev, (e) => (e.Records[0].cf.request.origin.s3.authMethod = 'origin-access-identity'), 'wrong-auth-method'],
      ['authMethod none when the environment uses OAI', () => legacy, (e) => (e.Records[0].cf.request.origin.s3.domainName = 'acme-legacy-site.s3.us-east-1.amazonaws.com'), 'wrong-auth-method'],
      ['no origin at all', () => dev, (e) => delete e.Records[0].cf.request.origin, 'no-origin'],
      ['an origin path (keys outside the bucket root)', () => dev, (e) => (e.Records[0].cf.request.origin.s3.path = '/other-site'), 'origin-path'],
    ])('fails closed on %s', async (_name, h, change, reason) => {
      const event = oacEvent();
      change(event);
      const r = await invoke<Result>(h(), event);
      expectFailClosed(r, reason);
    });

    describe('with deploy.prefix "site/"', () => {
      let underSite: EdgeHandlers;
      beforeAll(async () => {
        underSite = await load(testConfigInput({ deploy: { prefix: 'site/' } }));
      });
      afterAll(() => underSite.cleanup());
      const withPath = (path: string | undefined) => {
        const event = oacEvent({ uri: '/about.html' });
        if (path === undefined) delete event.Records[0].cf.request.origin.s3.path;
        else event.Records[0].cf.request.origin.s3.path = path;
        return event;
      };

      it('forwards a request whose origin path is "/site", the one the stacks give the distribution', async () => {
        const r = await invoke<Result>(underSite.handler('dev', 'origin-request'), withPath('/site'));
        expect(r.status).toBeUndefined();
        expect(r.uri).toBe('/about.html');
        expect(logs).toEqual([]);
      });

      it.each([
        ['no origin path (the whole bucket, other processes\' keys included)', ''],
        ['no path field', undefined],
        ['another prefix', '/uploads'],
        ['a folder under the prefix', '/site/private'],
      ])('fails closed on %s', async (_name, path) => {
        const r = await invoke<Result>(underSite.handler('dev', 'origin-request'), withPath(path));
        expectFailClosed(r, 'origin-path');
        expect(JSON.parse(logs[0]!)).toMatchObject({ got: { path: path ?? '' } });
      });

      it('still refuses edgelock\'s records, which live outside the prefix anyway', async () => {
        const r = await invoke<Result>(underSite.handler('dev', 'origin-request'), { ...withPath('/site'), Records: [{ cf: { ...withPath('/site').Records[0].cf, request: { ...withPath('/site').Records[0].cf.request, uri: '/.edgelock/deploys/site/x.json' } } }] });
        expect(r.status).toBe('404');
      });
    });

    it('logs what it expected and what it got', async () => {
      await invoke(dev, recordedEvent('origin-request-custom'));
      expect(JSON.parse(logs[0]!)).toMatchObject({
        environment: 'dev',
        expected: { bucket: 'acme-web-dev-site-222222222222', originAccess: 'oac', domains: ['acme-web-dev-site-222222222222.s3.eu-west-1.amazonaws.com', 'acme-web-dev-site-222222222222.s3.amazonaws.com'] },
        got: { kind: 'custom', domainName: 'example.org' },
      });
    });
  });

  it('removes viewer credentials, cookies and the query string (S3 honours response-* and versionId on signed requests)', async () => {
    const event = oacEvent();
    expect(event.Records[0].cf.request.querystring).toBe('v=3');
    const r = await invoke<Result>(dev, event);
    expect(r.headers.authorization).toBeUndefined();
    expect(r.headers.cookie).toBeUndefined();
    expect(r.querystring).toBe('');
    expect(getHeader(r.headers, 'via')).toBe('2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)');
  });

  describe('URIs', () => {
    it.each([
      ['/', '/index.html'],
      ['/docs/', '/docs/index.html'],
      ['/docs//guide/', '/docs/guide/index.html'],
      ['//index.html', '/index.html'],
      ['/a/./b.css', '/a/b.css'],
      ['/about', '/about'],
      ['/images/photo%20one.jpg', '/images/photo%20one.jpg'],
      ['/%61bout.html', '/about.html'],
      ['/caf%C3%A9.html', '/caf%C3%A9.html'],
      ['/a+b.html', '/a%2Bb.html'],
    ])('%s → %s', async (uri, expected) => {
      const r = await invoke<Result>(dev, oacEvent({ uri }));
      expect(r.uri).toBe(expected);
    });

    it.each([
      ['a null byte', '/index.html%00.jpg'],
      ['a backslash', '/a\\b'],
      ['an encoded backslash', '/a%5cb'],
      ['an encoded slash', '/a%2Fb'],
      ['a ".." segment', '/a/../b'],
      ['an encoded ".." segment', '/a/%2e%2e/b'],
      ['a trailing ".."', '/a/..'],
      ['invalid percent-encoding', '/a%zz'],
      ['a truncated escape', '/a%c'],
      ['invalid UTF-8', '/%c0%ae%c0%ae/'],
      ['a control character', '/a%0d%0aSet-Cookie:x'],
      ['an overlong URI', `/${'a'.repeat(2048)}`],
      ['a URI overlong only once re-encoded', `/${'€'.repeat(1000)}`],
    ])('refuses %s with 400', async (_name, uri) => {
      const r = await invoke<Result>(dev, oacEvent({ uri }));
      expect(r.status).toBe('400');
      expect(getHeader(r.headers, 'x-content-type-options')).toBe('nosniff');
      expect(getHeader(r.headers, 'cache-control')).toBe('no-store');
    });
    it.each([
      ['/.edgelock/deploys/20261201T220628000Z-a1b2c3.json'],
      ['/.edgelock/'],
      ['/.edgelock'],
      ['/%2Eedgelock/deploys/x.json'],
      ['//.edgelock//deploys/x.json'],
      ['/a/../.edgelock/x'],
    ])('never forwards edgelock\'s deploy records: %s', async (uri) => {
      const r = await invoke<Result>(dev, oacEvent({ uri }));
      expect(r.status).toMatch(/^40[04]$/);
      expect(r.uri).toBeUndefined();
      expect(getHeader(r.headers, 'cache-control')).toBe('no-store');
    });

    it('still forwards other dot-named paths such as /.well-known/ and a look-alike prefix', async () => {
      expect((await invoke<Result>(dev, oacEvent({ uri: '/.well-known/security.txt' }))).uri).toBe('/.well-known/security.txt');
      expect((await invoke<Result>(dev, oacEvent({ uri: '/.edgelocked/a.txt' }))).uri).toBe('/.edgelocked/a.txt');
    });
  });

  describe('methods', () => {
    it.each(['GET', 'HEAD'])('allows %s by default', async (method) => {
      expect((await invoke<Result>(dev, oacEvent({ method }))).status).toBeUndefined();
    });
    it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'get'])('refuses %s with 405 and an Allow header', async (method) => {
      const r = await invoke<Result>(dev, oacEvent({ method }));
      expect(r.status).toBe('405');
      expect(getHeader(r.headers, 'allow')).toBe('GET, HEAD');
    });
  });

  describe('configured: pretty URLs, cookies, more methods', () => {
    let b: EdgeHandlers;
    let h: Handler;
    beforeAll(async () => {
      b = await load(testConfigInput({ origin: { prettyUrls: true, allowCookies: true, allowedMethods: ['GET', 'HEAD', 'OPTIONS'], maxUriLength: 128 } }));
      h = b.handler('dev', 'origin-request');
    });
    afterAll(() => b.cleanup());

    it.each([
      ['/about', '/about/index.html'],
      ['/about/', '/about/index.html'],
      ['/about.html', '/about.html'],
      ['/v1.2/notes', '/v1.2/notes/index.html'],
    ])('%s → %s', async (uri, expected) => {
      expect((await invoke<Result>(h, oacEvent({ uri }))).uri).toBe(expected);
    });

    it('keeps cookies (authorization is still removed), allows OPTIONS and applies its own URI limit', async () => {
      const r = await invoke<Result>(h, oacEvent({ method: 'OPTIONS' }));
      expect(getHeaderValues(r.headers, 'cookie')).toEqual(['session=abc123', 'theme=dark']);
      expect(r.headers.authorization).toBeUndefined();
      expect((await invoke<Result>(h, oacEvent({ uri: `/${'a'.repeat(128)}` }))).status).toBe('400');
    });
  });

  describe('configured: single-page app fallback', () => {
    let b: EdgeHandlers;
    beforeAll(async () => {
      b = await load(testConfigInput({ origin: { spaFallback: '/index.html' } }));
    });
    afterAll(() => b.cleanup());

    it.each([
      ['/dashboard/settings', '/index.html'],
      ['/app.js', '/app.js'],
      ['/docs/', '/docs/index.html'],
    ])('%s → %s', async (uri, expected) => {
      expect((await invoke<Result>(b.handler('dev', 'origin-request'), oacEvent({ uri }))).uri).toBe(expected);
    });
  });
});
