/**
 * One description, two users: the CloudFront distribution the stacks synthesize and the local
 * edge carry exactly the same behaviours, cache policy, methods, compression, default root object
 * and custom error responses.
 */
import { Testing } from 'cdktf';
import { buildEdge } from '../../src/build';
import { behaviourFor, CACHING_OPTIMIZED_ID, describeConfiguredDistribution, describeDistribution, describeViewerTls, matchesPathPattern, type DistributionDescription } from '../../src/distribution';
import { startLocalEdge, type RunningLocalEdge } from '../../src/dev';
import { LocalEdge } from '../../src/dev/edge';
import { EdgelockError } from '../../src/errors';
import { exampleConfig, synthStacks } from '../cdktf/example';
import { tempDir } from '../helpers/temp';
import { EXAMPLE_SITE, raw } from '../e2e/helpers';

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

type Attributes = Record<string, unknown>;

/** What the description says the Terraform resource must hold, in the provider's snake_case. */
function expectedResource(d: DistributionDescription, built: readonly string[]): Attributes {
  const behaviour = (b: DistributionDescription['defaultBehaviour']): Attributes => ({
    allowed_methods: [...b.allowedMethods],
    cached_methods: [...b.cachedMethods],
    compress: b.compress,
    cache_policy_id: b.cachePolicyId,
    origin_request_policy_id: undefined,
    viewer_protocol_policy: b.viewerProtocolPolicy,
    events: b.handlers.filter((h) => built.includes(h)),
  });
  return {
    origin_path: d.originPath || undefined,
    default_root_object: d.defaultRootObject,
    default_cache_behavior: behaviour(d.defaultBehaviour),
    ordered_cache_behavior: d.orderedBehaviours.map((b) => ({ ...behaviour(b), path_pattern: b.pathPattern })),
    custom_error_response: d.customErrorResponses.map((e) => ({ error_code: e.errorCode, response_code: e.responseCode, response_page_path: e.responsePagePath, error_caching_min_ttl: e.errorCachingMinTtl })),
  };
}

/** The same fields read from the synthesized resource. */
function synthesized(resource: Attributes): Attributes {
  const behaviour = (b: Attributes): Attributes => ({
    allowed_methods: b.allowed_methods,
    cached_methods: b.cached_methods,
    compress: b.compress,
    cache_policy_id: b.cache_policy_id,
    origin_request_policy_id: b.origin_request_policy_id,
    viewer_protocol_policy: b.viewer_protocol_policy,
    events: ((b.lambda_function_association as { event_type: string }[] | undefined) ?? []).map((a) => a.event_type),
    ...(b.path_pattern !== undefined ? { path_pattern: b.path_pattern } : {}),
  });
  return {
    origin_path: (resource.origin as Attributes[])[0]!.origin_path,
    default_root_object: resource.default_root_object,
    default_cache_behavior: behaviour(resource.default_cache_behavior as Attributes),
    ordered_cache_behavior: ((resource.ordered_cache_behavior as Attributes[] | undefined) ?? []).map(behaviour),
    custom_error_response: ((resource.custom_error_response as Attributes[] | undefined) ?? []).map((e) => ({ error_code: e.error_code, response_code: e.response_code, response_page_path: e.response_page_path, error_caching_min_ttl: e.error_caching_min_ttl })),
  };
}

describe('the synthesized distribution carries exactly the settings the local edge runs with', () => {
  const config = exampleConfig((rawConfig) => ({
    ...rawConfig,
    origin: { allowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
    stacks: {
      ...(rawConfig.stacks as object),
      defaultRootObject: 'home.html',
      behaviors: [{ pathPattern: '/live/*', cachePolicyId: CACHING_DISABLED, handlers: ['viewer-request', 'origin-request'] }],
    },
  }));
  let outDir: string;
  let edge: RunningLocalEdge;
  let resource: Attributes;
  beforeAll(async () => {
    outDir = tempDir('edgelock-distribution-');
    await buildEdge(config, { outDir });
    const { stacks } = synthStacks(config, outDir);
    const json = JSON.parse(Testing.synth(stacks.environments.dev!, true)) as { resource: Record<string, Record<string, Attributes>> };
    resource = Object.values(json.resource.aws_cloudfront_distribution!)[0]!;
    edge = await startLocalEdge({ config, env: 'dev', distDir: outDir, port: 0, originDir: EXAMPLE_SITE });
  });
  afterAll(() => edge?.close());

  test('field for field', () => {
    const expected = expectedResource(edge.edge.description, edge.handlers);
    expect(synthesized(resource)).toEqual(expected);
    // The config's settings made it through (not two empty descriptions agreeing).
    expect(expected).toMatchObject({
      default_root_object: 'home.html',
      default_cache_behavior: { allowed_methods: ['GET', 'HEAD', 'OPTIONS'], cache_policy_id: CACHING_OPTIMIZED_ID, compress: true, events: ['viewer-request', 'origin-request', 'origin-response'] },
      ordered_cache_behavior: [{ path_pattern: '/live/*', cache_policy_id: CACHING_DISABLED, events: ['viewer-request', 'origin-request'] }],
      custom_error_response: [
        { error_code: 403, response_code: 404, response_page_path: '/404.html', error_caching_min_ttl: 60 },
        { error_code: 404, response_code: 404, response_page_path: '/404.html', error_caching_min_ttl: 60 },
      ],
    });
  });

  test('the viewer TLS: --https offers the security policy the distribution is synthesized with', async () => {
    const env = config.environments.dev!;
    expect(resource.viewer_certificate).toMatchObject({ acm_certificate_arn: env.certificateArn, minimum_protocol_version: describeViewerTls(env).securityPolicy });
    const secure = await startLocalEdge({ config, env: 'dev', distDir: outDir, port: 0, originDir: EXAMPLE_SITE, https: { certDir: tempDir('edgelock-tls-'), redirectPort: 0 } });
    try {
      expect(secure.viewerTls).toEqual({ certificate: 'acm', securityPolicy: 'TLSv1.2_2021', minimumTlsVersion: 'TLSv1.2' });
    } finally {
      await secure.close();
    }
  });

  test('the running edge behaves by it: OPTIONS is let through to viewer-request, DELETE is refused first', async () => {
    const options = await raw(edge.url, '/index.html', { method: 'OPTIONS' });
    expect(options.status).toBe(401);
    const del = await raw(edge.url, '/index.html', { method: 'DELETE' });
    expect([del.status, del.headers['www-authenticate']]).toEqual([403, undefined]);
  });
});

describe('behaviours and policies', () => {
  test('CloudFront path patterns: * spans slashes, ? is one character, case counts', () => {
    expect(matchesPathPattern('/assets/*', '/assets/a/b.js')).toBe(true);
    expect(matchesPathPattern('assets/*.js', '/assets/x.js')).toBe(true);
    expect(matchesPathPattern('/a?c', '/abc')).toBe(true);
    expect(matchesPathPattern('/a?c', '/abbc')).toBe(false);
    expect(matchesPathPattern('/Assets/*', '/assets/x')).toBe(false);
    expect(matchesPathPattern('/a.b', '/axb')).toBe(false);
  });

  test('the first ordered behaviour that matches wins, else the default', () => {
    const d = describeDistribution({
      behaviors: [
        { pathPattern: '/live/*', cachePolicyId: CACHING_DISABLED, handlers: ['viewer-request'] },
        { pathPattern: '*', cachePolicyId: CACHING_OPTIMIZED_ID, handlers: [] },
      ],
    });
    expect(behaviourFor(d, '/live/x').cachePolicy?.name).toBe('Managed-CachingDisabled');
    expect(behaviourFor(d, '/other').handlers).toEqual([]);
    expect(behaviourFor(describeDistribution({}), '/x').pathPattern).toBe('*');
    expect(Object.isFrozen(d.orderedBehaviours[0])).toBe(true);
  });

  test('the origin path comes from deploy.prefix and reaches the origin as CloudFront would send it', async () => {
    const config = exampleConfig((r) => ({ ...r, deploy: { ...(r.deploy as object), prefix: 'site/' } }));
    const description = describeConfiguredDistribution(config);
    expect(description.originPath).toBe('/site');
    expect(describeConfiguredDistribution(exampleConfig()).originPath).toBe('');
    const seen: unknown[] = [];
    const edge = new LocalEdge({
      handlers: {},
      origin: { description: 'stub', fetch: async (req) => (seen.push(req.origin), { status: 200, statusDescription: 'OK', headers: {}, body: Buffer.from('ok') }) },
      env: { bucketDomain: 'b.s3.eu-west-1.amazonaws.com', region: 'eu-west-1', originAccess: 'oac' },
      description,
    });
    const r = await edge.handle({ clientIp: '127.0.0.1', method: 'GET', target: '/about.html', rawHeaders: ['Host', 'localhost'] });
    expect(r.status).toBe(200);
    expect(seen).toEqual([expect.objectContaining({ s3: expect.objectContaining({ domainName: 'b.s3.eu-west-1.amazonaws.com', path: '/site' }) })]);
  });

  test('a cache policy the local edge cannot emulate is refused at start with a stable code', () => {
    const description = describeDistribution({ behaviors: [{ pathPattern: '/x/*', cachePolicyId: '00000000-1111-2222-3333-444444444444', handlers: [] }] });
    const start = () => new LocalEdge({ handlers: {}, origin: { description: 'none', fetch: () => Promise.reject(new Error('unused')) }, env: { bucketDomain: 'b.s3.eu-west-1.amazonaws.com', region: 'eu-west-1', originAccess: 'oac' }, description });
    expect(start).toThrow(EdgelockError);
    expect(start).toThrow(expect.objectContaining({ code: 'DEV_UNSUPPORTED_CACHE_POLICY', message: expect.stringContaining('/x/*') }));
  });
});

describe('stacks.errorPages in the config', () => {
  test('defaults: status = code, ttlSeconds = 10', () => {
    const config = exampleConfig((r) => ({ ...r, stacks: { errorPages: [{ code: 404, page: '/404.html' }] } }));
    expect(config.stacks.errorPages).toEqual([{ code: 404, page: '/404.html', ttlSeconds: 10 }]);
    expect(describeDistribution({ errorPages: config.stacks.errorPages }).customErrorResponses).toEqual([{ errorCode: 404, responseCode: 404, responsePagePath: '/404.html', errorCachingMinTtl: 10 }]);
  });

  test.each<[string, unknown, RegExp]>([
    ['a code CloudFront cannot replace', [{ code: 401, page: '/401.html' }], /stacks\.errorPages\.0\.code.*400, 403, 404/s],
    ['a page without a leading slash', [{ code: 404, page: '404.html' }], /stacks\.errorPages\.0\.page.*starting with "\/"/s],
    ['the same code twice', [{ code: 404, page: '/a.html' }, { code: 404, page: '/b.html' }], /each status code at most once/],
    ['an unknown key', [{ code: 404, page: '/a.html', ttl: 5 }], /ttl/],
  ])('refuses %s, naming the field', (_name, errorPages, message) => {
    let error: unknown;
    try {
      exampleConfig((r) => ({ ...r, stacks: { errorPages } }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EdgelockError);
    expect((error as EdgelockError).code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toMatch(message);
  });
});
