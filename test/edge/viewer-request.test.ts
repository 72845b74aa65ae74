import { getHeader } from '../../src/edge/headers';
import { basic, buildBundles, HANDLER_SOURCES, invoke, recordedEvent, testConfigInput, testUsers, USERS, type Bundles, type EdgeHandlers, type Handler, captureConsoleLog } from './bundles';

type Result = { status?: string; headers: Record<string, { key?: string; value: string }[]>; uri?: string; body?: string };

function viewerEvent(uri: string, authorization?: string | string[]) {
  const event = recordedEvent('viewer-request');
  const request = event.Records[0].cf.request;
  request.uri = uri;
  const values = authorization === undefined ? [] : Array.isArray(authorization) ? authorization : [authorization];
  if (values.length) request.headers.authorization = values.map((value) => ({ key: 'Authorization', value }));
  return event;
}

/** What the handlers log (console.log), per test. */
const logs = captureConsoleLog();

function expect401(r: Result): void {
  expect(r.status).toBe('401');
}

describe.each(HANDLER_SOURCES)('viewer-request (%s)', (_kind, load) => {
  let bundles: EdgeHandlers;
  let handler: Handler;
  beforeAll(async () => {
    bundles = await load();
    handler = bundles.handler('dev', 'viewer-request');
  });
  afterAll(() => bundles.cleanup());

  async function run(uri: string, authorization?: string | string[]): Promise<Result> {
    return invoke<Result>(handler, viewerEvent(uri, authorization));
  }

  it('answers a request without credentials with a generated 401 carrying the challenge and the security headers', async () => {
    const r = await run('/');
    expect(r.status).toBe('401');
    expect(getHeader(r.headers, 'www-authenticate')).toBe('Basic realm="Acme preview", charset="UTF-8"');
    expect(getHeader(r.headers, 'cache-control')).toBe('no-store');
    expect(getHeader(r.headers, 'content-type')).toBe('text/html; charset=utf-8');
    expect(getHeader(r.headers, 'strict-transport-security')).toMatch(/^max-age=\d+; includeSubDomains/);
    expect(getHeader(r.headers, 'content-security-policy')).toContain("default-src 'self'");
    expect(getHeader(r.headers, 'x-frame-options')).toBe('DENY');
    expect(r.body).toContain('401');
  });

  it('lets the recorded request with valid credentials through, without its authorization header', async () => {
    const event = recordedEvent('viewer-request-authorization');
    event.Records[0].cf.request.headers.authorization[0].value = basic('alice', USERS.alice);
    const r = await invoke<Result>(handler, event);
    expect(r.status).toBeUndefined();
    expect(r.uri).toBe('/docs/');
    expect(r.headers.authorization).toBeUndefined();
    expect(getHeader(r.headers, 'host')).toBe('d111111abcdef8.cloudfront.net');
  });

  it('keeps query string, cookies and repeated headers of an authenticated request untouched', async () => {
    const event = recordedEvent('viewer-request-querystring-cookies');
    const before = structuredClone(event.Records[0].cf.request);
    event.Records[0].cf.request.headers.authorization = [{ key: 'Authorization', value: basic('bob', USERS.bob) }];
    const r = await invoke<Result>(handler, event);
    expect(r).toEqual(before);
  });

  it('accepts a password of exactly 72 bytes (bcrypt reads no further)', async () => {
    expect(Buffer.byteLength(USERS.carol)).toBe(72);
    expect((await run('/', basic('carol', USERS.carol))).status).toBeUndefined();
  });

  it('accepts a lower-case scheme and UTF-8 passwords', async () => {
    expect((await run('/', basic('alice', USERS.alice, 'basic'))).status).toBeUndefined();
    expect((await run('/', basic('bob', USERS.bob, 'BASIC'))).status).toBeUndefined();
  });

  it('refuses a wrong password, an unknown user and a user in the wrong case', async () => {
    expect401(await run('/', basic('alice', 'wrong')));
    expect401(await run('/', basic('mallory', USERS.alice)));
    expect401(await run('/', basic('Alice', USERS.alice)));
    expect401(await run('/', basic('alice', `${USERS.alice} `)));
  });

  it('answers a cached value only while it is the same header value', async () => {
    const good = basic('alice', USERS.alice);
    expect((await run('/', good)).status).toBeUndefined();
    expect((await run('/', good)).status).toBeUndefined();
    expect401(await run('/', good.replace('Basic', 'Basic ')));
    expect401(await run('/', `${good}=`));
  });

  describe('bounded work and the audit trail', () => {
    const lines = (): Record<string, unknown>[] => logs.map((l) => JSON.parse(l));
    const requestId = '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==';

    it('writes one audit line per verification: user, outcome, client IP, path, request ID, never a secret', async () => {
      const wrong = basic('alice', 'not-the-password');
      expect401(await run('/a', wrong));
      expect401(await run('/b', basic('mallory', 'whatever-pw')));
      expect401(await run('/c', 'Bearer abc'));
      expect(lines()).toEqual([
        { level: 'warn', msg: 'edgelock auth', project: 'acme-web', environment: 'dev', outcome: 'wrong-password', user: 'alice', clientIp: '203.0.113.178', path: '/a', requestId },
        { level: 'warn', msg: 'edgelock auth', project: 'acme-web', environment: 'dev', outcome: 'unknown-user', user: 'mallory', clientIp: '203.0.113.178', path: '/b', requestId },
        { level: 'warn', msg: 'edgelock auth', project: 'acme-web', environment: 'dev', outcome: 'malformed', clientIp: '203.0.113.178', path: '/c', requestId },
      ]);
      const all = logs.join('\n');
      for (const secret of ['not-the-password', 'whatever-pw', wrong.slice(6)]) expect(all).not.toContain(secret);
    });

    it('no credentials at all is a 401 without an audit line', async () => {
      expect401(await run('/'));
      expect(logs).toEqual([]);
    });

    it('refuses a non-canonical base64 spelling of valid credentials as malformed', async () => {
      const token = Buffer.from(`alice:${USERS.alice}`).toString('base64');
      expect(token.endsWith('=')).toBe(true);
      const last = token.replace(/=+$/, '').slice(-1);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const twin = alphabet[alphabet.indexOf(last) + 1]!;
      const spelled = `Basic ${token.replace(/.(=+)$/, `${twin}$1`)}`;
      expect(Buffer.from(spelled.slice(6), 'base64').toString()).toBe(`alice:${USERS.alice}`);
      expect401(await run('/', spelled));
      expect(lines()).toEqual([expect.objectContaining({ outcome: 'malformed' })]);
    });

    it('remembers a failed credential: the same wrong header again is refused without a bcrypt check', async () => {
      const wrong = basic('alice', 'repeat-wrong');
      expect401(await run('/', wrong));
      expect401(await run('/', wrong.replace('Basic', 'BASIC')));
      expect(lines().map((l) => [l.outcome, l.repeat])).toEqual([
        ['wrong-password', undefined],
        ['wrong-password', true],
      ]);
    });
  });

  describe('with a ceiling of one bcrypt check a second', () => {
    let b: EdgeHandlers;
    let h: Handler;
    beforeAll(async () => {
      b = await load(testConfigInput({ auth: { realm: 'R', users: testUsers(), maxVerificationsPerSecond: 1 } }));
      h = b.handler('dev', 'viewer-request');
    });
    afterAll(() => b.cleanup());

    it('past the ceiling, new credentials get a 401 with Retry-After (logged) while a verified session keeps working', async () => {
      const good = basic('alice', USERS.alice);
      expect((await invoke<Result>(h, viewerEvent('/', good))).status).toBeUndefined();
      const limited = await invoke<Result>(h, viewerEvent('/', basic('bob', USERS.bob)));
      expect(limited.status).toBe('401');
      expect(getHeader(limited.headers, 'retry-after')).toBe('1');
      expect(getHeader(limited.headers, 'www-authenticate')).toMatch(/^Basic realm="R"/);
      expect((await invoke<Result>(h, viewerEvent('/', good))).status).toBeUndefined();
      // Another spelling of the same credential shares its slot: no bcrypt, so no token needed.
      expect((await invoke<Result>(h, viewerEvent('/', basic('alice', USERS.alice, 'bAsIc')))).status).toBeUndefined();
      const lines = logs.map((l) => JSON.parse(l));
      expect(lines[0]).toEqual({ level: 'info', msg: 'edgelock auth', project: 'acme-web', environment: 'dev', outcome: 'ok', user: 'alice', clientIp: '203.0.113.178', path: '/', requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==' });
      expect(lines.map((l) => [l.outcome, l.user])).toEqual([
        ['ok', 'alice'],
        ['rate-limited', 'bob'],
      ]);
      expect(logs.join('\n')).not.toContain(good.slice(6));
    });
  });

  describe('hostile Authorization values → 401, never a throw, never a pass', () => {
    const good = basic('alice', USERS.alice);
    const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
    it.each<[string, string | string[]]>([
      ['empty', ''],
      ['scheme only', 'Basic'],
      ['scheme and space', 'Basic '],
      ['malformed base64', 'Basic %%%%'],
      ['base64 with a space inside', `Basic ${b64(`alice:${USERS.alice}`).slice(0, 8)} ${b64(`alice:${USERS.alice}`).slice(8)}`],
      ['unpadded base64', `Basic ${b64(`alice:${USERS.alice}x`).replace(/=+$/, '')}`],
      ['no colon', `Basic ${b64(`alice${USERS.alice}`)}`],
      ['empty user', `Basic ${b64(`:${USERS.alice}`)}`],
      ['empty password', `Basic ${b64('alice:')}`],
      ['invalid UTF-8', `Basic ${b64(Buffer.from([0x61, 0x6c, 0x3a, 0xff, 0xfe, 0x80]))}`],
      ['a NUL in the user', `Basic ${b64(`ali\0ce:${USERS.alice}`)}`],
      ['lower-case scheme with a wrong password', basic('alice', 'wrong', 'basic')],
      ['upper-case scheme with an unknown user', basic('eve', USERS.alice, 'BASIC')],
      ['Bearer', `Bearer ${b64(`alice:${USERS.alice}`)}`],
      ['Digest', 'Digest username="alice", realm="Acme preview", nonce="x", uri="/", response="y"'],
      ['two spaces', good.replace(' ', '  ')],
      ['a tab', good.replace(' ', '\t')],
      ['leading space', ` ${good}`],
      ['trailing space', `${good} `],
      ['trailing newline', `${good}\n`],
      ['two valid headers', [good, good]],
      ['a valid and an invalid header', [good, basic('alice', 'x')]],
      ['8 KB of base64', `Basic ${'QUFB'.repeat(2048)}`],
      ['64 KB', `Basic ${'A'.repeat(65536)}`],
      ['a password over 72 bytes whose first 72 bytes are right', basic('carol', `${USERS.carol}y`)],
      ['credentials joined by a comma', `${good}, ${good}`],
    ])('%s', async (_name, value) => {
      expect401(await run('/', value));
    });
  });

  describe('protect and bypass match the normalised path', () => {
    it.each(['/health', '/.well-known/acme-challenge/token', '/.well-known', '//health', '/./health'])('%s is bypassed', async (uri) => {
      expect((await run(uri)).status).toBeUndefined();
    });

    it.each([
      '/',
      '/index.html',
      '/health/',
      '/health.html',
      '/healthz',
      '/Health',
      '/HEALTH',
      '/.well-known-evil',
      '/health/../admin',
      '/.well-known/../admin',
      '/.well-known/%2e%2e/admin',
      '/.well-known/..%2fadmin',
      '/.well-known%2f..%2fadmin',
      '/%68ealth/../secret',
      '/health%00',
      '/health\\..\\admin',
      '/%ZZ',
      '/%c0%ae%c0%ae/admin',
    ])('%s needs credentials', async (uri) => {
      expect401(await run(uri));
    });

    it('an encoded bypass path is the same path once decoded', async () => {
      expect((await run('/%68ealth')).status).toBeUndefined();
    });

    it('removes the authorization header on bypassed paths too', async () => {
      const r = await run('/health', basic('alice', 'wrong'));
      expect(r.status).toBeUndefined();
      expect(r.headers.authorization).toBeUndefined();
    });
  });

  describe('with protect: ["/admin/*"] only', () => {
    let b: EdgeHandlers;
    let h: Handler;
    beforeAll(async () => {
      b = await load(testConfigInput({ auth: { realm: 'Admin', users: testUsers(), protect: ['/admin/*'], bypass: ['/admin/public/*'] } }));
      h = b.handler('dev', 'viewer-request');
    });
    afterAll(() => b.cleanup());

    it.each(['/', '/index.html', '/administrator', '/Admin/x', '/admin/public/logo.png'])('%s is open', async (uri) => {
      expect((await invoke<Result>(h, viewerEvent(uri))).status).toBeUndefined();
    });
    it.each(['/admin', '/admin/', '/admin/x', '/%61dmin/x', '//admin/x', '/./admin/x', '/public/../admin/x', '/admin/public/../secret', '/admin/public/%2e%2e/secret', '/admin%2fx'])(
      '%s needs credentials',
      async (uri) => {
        expect401(await invoke<Result>(h, viewerEvent(uri)));
      },
    );
  });

  describe('judges the object origin-request will fetch, not only the path asked for', () => {
    const cases: [string, Record<string, unknown>, Record<string, unknown>, string[], string[]][] = [
      [
        'a SPA fallback behind bypassed paths',
        { realm: 'R', bypass: ['/health', '/.well-known/*', '/app.js'] },
        { spaFallback: '/index.html' },
        ['/app.js'],
        ['/health', '/.well-known/acme-challenge/token', '/index.html', '/anything'],
      ],
      [
        'an exact protected page with pretty URLs',
        { realm: 'R', protect: ['/docs'] },
        { prettyUrls: true },
        ['/', '/about', '/docs/img.png', '/docsx/'],
        ['/docs', '/docs/', '/docs/index.html', '//docs/', '/%64ocs/index.html'],
      ],
      [
        'a bypassed folder with pretty URLs',
        { realm: 'R', bypass: ['/public/*'] },
        { prettyUrls: true },
        ['/public', '/public/', '/public/index.html', '/public/a'],
        ['/', '/index.html', '/publicx'],
      ],
      [
        'regression: a protected index document behind a bypassed name that the SPA fallback takes',
        { realm: 'R', protect: ['/reports/index.html'], bypass: ['/reports'] },
        { prettyUrls: true, spaFallback: '/index.html' },
        ['/reports', '/', '/anything'],
        ['/reports/', '/reports/index.html', '//reports/', '/reports/./'],
      ],
      [
        'regression: a protected index document behind a bypassed dotted name pretty URLs leave alone',
        { realm: 'R', protect: ['/v2.0/index.html'], bypass: ['/v2.0'] },
        { prettyUrls: true },
        ['/v2.0', '/'],
        ['/v2.0/', '/v2.0/index.html', '/v2%2E0/'],
      ],
      [
        'a bypassed directory opens every path of its index document, and only those',
        { realm: 'R', bypass: ['/status/'] },
        { prettyUrls: true },
        ['/status', '/status/', '/status/index.html'],
        ['/', '/status/other.html', '/status/x'],
      ],
    ];
    describe.each(cases)('%s', (_name, auth, origin, open, closed) => {
      let b: EdgeHandlers;
      let h: Handler;
      beforeAll(async () => {
        b = await load(testConfigInput({ auth: { users: testUsers(), ...auth }, origin }));
        h = b.handler('dev', 'viewer-request');
      });
      afterAll(() => b.cleanup());
      it.each(open)('%s is open', async (uri) => {
        expect((await invoke<Result>(h, viewerEvent(uri))).status).toBeUndefined();
      });
      it.each(closed)('%s needs credentials', async (uri) => {
        expect401(await invoke<Result>(h, viewerEvent(uri)));
      });
    });
  });

  it('answers a lone surrogate in the URI with a 401, not a throw', async () => {
    expect401(await run('/a\uD800b'));
  });

  it('accepts the example htpasswd user (cost 10) when the config points at the file', async () => {
    const b = await load(testConfigInput({ auth: { realm: 'Example', users: './users.htpasswd' } }));
    try {
      const h = b.handler('dev', 'viewer-request');
      const ok = await invoke<Result>(h, recordedEvent('viewer-request-authorization'));
      expect(ok.status).toBeUndefined();
      const bad = recordedEvent('viewer-request-authorization');
      bad.Records[0].cf.request.headers.authorization[0].value = basic('demo', 'edgelock-dem0');
      expect((await invoke<Result>(h, bad)).status).toBe('401');
    } finally {
      b.cleanup();
    }
  });

  it('has no handler for an environment with auth: false', () => {
    expect(() => bundles.handler('prod', 'viewer-request')).toThrow();
    expect(() => bundles.handler('dev', 'viewer-request')).not.toThrow();
  });
});

describe('viewer-request (build)', () => {
  let bundles: Bundles;
  beforeAll(async () => {
    bundles = await buildBundles();
  });
  afterAll(() => bundles.cleanup());

  it('is not built for an environment with auth: false', () => {
    expect(Object.keys(bundles.build.manifest.environments.prod!)).toEqual(['origin-request', 'origin-response']);
    expect(Object.keys(bundles.build.manifest.environments.dev!)).toEqual(['viewer-request', 'origin-request', 'origin-response']);
  });
});
