/**
 * What the handler factories do with the config they are given, from source: the parts no
 * recorded-event table reaches.
 */
import { getHeader } from '../../src/edge/headers';
import { createHandler as originResponse } from '../../src/edge/origin-response';
import { createHandler as viewerRequest } from '../../src/edge/viewer-request';
import { bakedConfig, invoke, recordedEvent, resolveTestConfig, testConfigInput, testUsers } from './bundles';

type Result = { status?: string; headers: Record<string, { key?: string; value: string }[]> };

const APP_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

describe('handler factories', () => {
  it('viewer-request refuses to start without an auth config', () => {
    const config = resolveTestConfig(testConfigInput(), '/tmp');
    expect(() => viewerRequest(bakedConfig(config, 'prod', 'origin-request'))).toThrow(
      'edgelock: the viewer-request function of acme-web/prod was built without an auth config; refusing to run',
    );
    expect(() => viewerRequest(bakedConfig(config, 'dev', 'origin-request'))).toThrow(/acme-web\/dev was built without an auth config/);
  });

  it('the config they receive is deeply frozen, as in the bundle', () => {
    const baked = bakedConfig(resolveTestConfig(testConfigInput(), '/tmp'), 'dev', 'viewer-request');
    expect(Object.isFrozen(baked)).toBe(true);
    expect(Object.isFrozen(baked.auth!.users[0])).toBe(true);
    expect(Object.isFrozen(baked.headers.cspOverrides)).toBe(true);
    expect(bakedConfig(resolveTestConfig(testConfigInput(), '/tmp'), 'dev', 'origin-response').auth).toBeNull();
  });

  describe('origin-response with a per-path CSP judges the path decoded, or as sent when it cannot be decoded', () => {
    const config = resolveTestConfig(testConfigInput({ headers: { cspOverrides: [{ path: '/app/*', policy: APP_CSP }] } }), '/tmp');
    const handler = originResponse(bakedConfig(config, 'dev', 'origin-response')) as (e: unknown) => Promise<unknown>;
    it.each<[string, boolean]>([
      ['/app/main.js', true],
      ['/app', true],
      ['/%61pp/main.js', true],
      ['//app/./main.js', true],
      ['/app/%zz', true],
      ['/apple.js', false],
      ['/%61pp/%zz', false],
      ['/x/../app/main.js', false],
      ['/app/../x', true],
    ])('%s gets the /app/* policy: %s', async (uri, app) => {
      const event = recordedEvent('origin-response-200');
      event.Records[0].cf.request.uri = uri;
      const r = await invoke<Result>(handler, event);
      const csp = getHeader(r.headers, 'content-security-policy');
      if (app) expect(csp).toBe(APP_CSP);
      else expect(csp).toContain("frame-ancestors 'none'");
    });
  });

  describe('viewer-request judges a URI it cannot normalise as protected, even where nothing is protected', () => {
    const config = resolveTestConfig(testConfigInput({ auth: { realm: 'R', users: testUsers(), protect: ['/admin/*'] } }), '/tmp');
    const handler = viewerRequest(bakedConfig(config, 'dev', 'viewer-request')) as (e: unknown) => Promise<unknown>;
    const event = (uri: string) => {
      const e = recordedEvent('viewer-request');
      e.Records[0].cf.request.uri = uri;
      return e;
    };
    it.each(['/public/%zz', '/a/../b', '/a%2fb', '/a\\b', '/a\uD800', `/${'a'.repeat(2048)}`])('%s → 401', async (uri) => {
      const r = await invoke<Result>(handler, event(uri));
      expect(r.status).toBe('401');
      expect(getHeader(r.headers, 'www-authenticate')).toBe('Basic realm="R", charset="UTF-8"');
    });
    it.each(['/public/a', '/a b', '/%7Euser/'])('%s is open', async (uri) => {
      expect((await invoke<Result>(handler, event(uri))).status).toBeUndefined();
    });
  });
});
