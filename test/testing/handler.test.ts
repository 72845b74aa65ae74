/**
 * loadHandler: the built example's functions, run as Lambda@Edge runs them, results validated;
 * clear errors for a missing build, environment or handler; no process.env inside a bundle.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { events, isEdgelockError, LambdaEdgeValidationError, loadHandler, recorded, type CfGeneratedResponse, type CfRequest } from '../../src/testing';
import { basic, buildExample, DEMO, type ExampleBuild } from './example-build';

let example: ExampleBuild;
beforeAll(async () => {
  example = await buildExample();
});
afterAll(() => example?.cleanup());

describe('the built example', () => {
  test('viewer-request answers 401 with a Basic challenge when there are no credentials', async () => {
    const viewerRequest = await loadHandler(example.distDir, 'dev', 'viewer-request');
    const result = (await viewerRequest(recorded.viewerRequest())) as CfGeneratedResponse;
    expect(result.status).toBe('401');
    expect(result.headers['www-authenticate']?.[0]?.value).toBe('Basic realm="Acme preview", charset="UTF-8"');
  });

  test('viewer-request passes the demo user on (the recorded event carries demo:edgelock-demo)', async () => {
    const viewerRequest = await loadHandler(example.distDir, 'dev', 'viewer-request');
    const result = (await viewerRequest(recorded.viewerRequestWithAuthorization())) as CfRequest;
    expect(result).not.toHaveProperty('status');
    expect(result.uri).toBe('/docs/');
    const built = (await viewerRequest(events.viewerRequest({ uri: '/about.html', headers: { Authorization: basic(DEMO.user, DEMO.password) } }))) as CfRequest;
    expect(built.uri).toBe('/about.html');
    const wrong = (await viewerRequest(events.viewerRequest({ headers: { Authorization: basic(DEMO.user, 'nope') } }))) as CfGeneratedResponse;
    expect(wrong.status).toBe('401');
  });

  test('origin-request accepts the bucket and rewrites a directory; origin-response adds the security headers', async () => {
    const { bucketDomain, region } = example.config.environments.dev!;
    const originRequest = await loadHandler(example.distDir, 'dev', 'origin-request');
    const req = (await originRequest(events.originRequest({ uri: '/docs/', domain: bucketDomain, region }))) as CfRequest;
    expect(req.uri).toBe('/docs/index.html');
    const originResponse = await loadHandler(example.distDir, 'dev', 'origin-response');
    const res = (await originResponse(events.originResponse({ uri: '/index.html', domain: bucketDomain, region }))) as CfGeneratedResponse;
    expect(res.status).toBe('200');
    expect(res.headers['strict-transport-security']?.[0]?.value).toMatch(/^max-age=\d+/);
    expect(res.headers['x-content-type-options']?.[0]?.value).toBe('nosniff');
  });

  test('an event of another trigger is refused with a pointer to the right builder', async () => {
    const originRequest = await loadHandler(example.distDir, 'dev', 'origin-request');
    await expect(originRequest(recorded.viewerRequest())).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/origin-request function but the event is a viewer-request event/) });
  });
});

describe('what is missing is named, with the fix', () => {
  test.each([
    ['no build', () => path.join(os.tmpdir(), 'edgelock-no-such-dist'), 'dev', 'viewer-request', /manifest\.json: build the edge bundles first with "npx edgelock build/],
    ['an unknown environment', () => example.distDir, 'staging', 'viewer-request', /no bundles for environment "staging" \(it has "dev", "prod"\)/],
    ['viewer-request where auth is off', () => example.distDir, 'prod', 'viewer-request', /environment "prod" has auth: false, so no viewer-request function is built/],
  ] as const)('%s', async (_name, dir, env, handler, message) => {
    const err = await loadHandler(dir(), env, handler).catch((e: unknown) => e);
    expect(isEdgelockError(err, 'BUILD_MISSING')).toBe(true);
    expect((err as Error).message).toMatch(message);
  });
});

/** A dist folder with one hand-written origin-response bundle. */
function handMadeDist(js: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-handmade-'));
  mkdirSync(path.join(dir, 'dev', 'origin-response'), { recursive: true });
  writeFileSync(path.join(dir, 'dev', 'origin-response', 'index.js'), js);
  const entry = { eventType: 'origin-response', bundle: 'dev/origin-response/index.js', bundleBytes: 0, bundleSha256: '', zip: 'dev/origin-response.zip', zipBytes: 0, sha256: '', sourceCodeHash: '' };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ edgelock: '0.0.0', project: 'hand-made', environments: { dev: { 'origin-response': entry } }, functions: {} }));
  return dir;
}

describe('a bundle that breaks a rule', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('a result CloudFront would reject is a LambdaEdgeValidationError naming the rule and the 502', async () => {
    // Changes the read-only Transfer-Encoding header and returns a numeric status.
    const dir = handMadeDist(`exports.handler = async (e) => { const r = e.Records[0].cf.response; r.status = 200; r.headers['transfer-encoding'] = [{ key: 'Transfer-Encoding', value: 'chunked' }]; return r; };`);
    dirs.push(dir);
    const handler = await loadHandler(dir, 'dev', 'origin-response');
    const err = await handler(events.originResponse()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LambdaEdgeValidationError);
    expect((err as LambdaEdgeValidationError).status).toBe(502);
    expect((err as Error).message).toMatch(/CloudFront would reject this origin-response result \(502\)/);
    expect((err as LambdaEdgeValidationError).problems.map((p) => p.rule).sort()).toEqual(['read-only-header', 'status']);
  });

  test('a throw is EDGE_FUNCTION_FAILED, CloudFront\'s 503', async () => {
    const dir = handMadeDist(`exports.handler = async () => { throw new Error('boom'); };`);
    dirs.push(dir);
    const handler = await loadHandler(dir, 'dev', 'origin-response');
    await expect(handler(events.originResponse())).rejects.toMatchObject({ code: 'EDGE_FUNCTION_FAILED', message: expect.stringMatching(/threw: boom .*503/) });
  });

  test('the bundle sees an empty process.env, neither the test process\'s variables nor a way round it', async () => {
    process.env.EDGELOCK_TEST_SECRET = 'must-not-leak';
    try {
      const dir = handMadeDist(
        `exports.handler = async (e) => { const r = e.Records[0].cf.response;
           const seen = JSON.stringify({ env: process.env, global: typeof globalThis.process === 'object' ? globalThis.process.env : null, keys: Object.keys(process.env).length });
           r.headers['x-seen'] = [{ key: 'X-Seen', value: seen }]; return r; };`,
      );
      dirs.push(dir);
      const handler = await loadHandler(dir, 'dev', 'origin-response');
      const result = (await handler(events.originResponse())) as CfGeneratedResponse;
      const seen = JSON.parse(result.headers['x-seen']![0]!.value);
      expect(seen).toEqual({ env: {}, global: {}, keys: 0 });
      expect(result.headers['x-seen']![0]!.value).not.toContain('must-not-leak');
    } finally {
      delete process.env.EDGELOCK_TEST_SECRET;
    }
  });

  test('a bundle that requires a package is refused as Lambda would (only built-ins)', async () => {
    const dir = handMadeDist(`const z = require('zod'); exports.handler = async (e) => e.Records[0].cf.response;`);
    dirs.push(dir);
    await expect(loadHandler(dir, 'dev', 'origin-response')).rejects.toMatchObject({ code: 'BUILD_FAILED', message: expect.stringMatching(/Cannot find module 'zod'/) });
  });
});
