/**
 * The request CloudFront really makes: the S3 key from the viewer's path through the behaviour's
 * functions and the origin's OriginPath. edgelock's own origin-request guard is replayed from
 * source; any other function leaves the key unknown past it, and nothing it would decide is a problem.
 */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { keyAtOrigin } from '../../src/origin/doctor/request-path';
import { ACCOUNT, DIST, ENV, OAC_ID, OWNER_ID, distribution, edgeFor, healthyWorld, mockWorld, runWorld, type World } from './world';
import { resolvedConfig, validConfig } from '../helpers/config';
import { toEdgeConfig } from '../../src/build/edge-config';

function withOriginPath(originPath: string, change: (d: DistributionConfig) => void = () => {}): DistributionConfig {
  const d = distribution({ oacId: OAC_ID });
  d.Origins!.Items![0]!.OriginPath = originPath;
  change(d);
  return d;
}
/** Without edgelock's origin-request guard, which refuses any origin path (see the test below). */
const withoutGuard = (d: DistributionConfig): void => {
  const lambdas = d.DefaultCacheBehavior!.LambdaFunctionAssociations!;
  lambdas.Items = lambdas.Items!.filter((a) => a.EventType !== 'origin-request');
  lambdas.Quantity = lambdas.Items.length;
};
const run = (w: Partial<World>, key?: string, edge = edgeFor(ENV)) => runWorld({ env: ENV, distributionId: DIST, clients: mockWorld({ ...healthyWorld(), ...w }), edge, ...(key ? { key } : {}) });

test('OriginPath /site: the object at site/index.html is found', async () => {
  const report = await run({ distribution: withOriginPath('/site', withoutGuard), objects: { 'site/index.html': { ownerId: OWNER_ID } } });
  expect(report.key).toBe('site/index.html');
  expect(report.cause).toBeUndefined();
  const key = report.results.find((r) => r.id === 'key')!;
  expect(key).toMatchObject({ status: 'ok', summary: 'site/index.html exists.' });
  expect(key.evidence).toContainEqual({ call: 'request path: OriginPath of origin site', seen: '/site' });
});

test('OriginPath /v2 with the object only at the root: reported missing', async () => {
  const report = await run({ distribution: withOriginPath('/v2', withoutGuard) });
  expect(report.key).toBe('v2/index.html');
  expect(report.cause).toMatchObject({ id: 'key', reason: 'object-missing-403', summary: expect.stringMatching(/^v2\/index\.html does not exist/) });
});

test('OriginPath with edgelock\'s origin-request guard attached: the replayed guard answers 502, so S3 is never asked', async () => {
  const report = await run({ distribution: withOriginPath('/site'), objects: { 'site/index.html': { ownerId: OWNER_ID } } });
  const evidence = report.results.find((r) => r.id === 'key')!.evidence;
  expect(evidence).toContainEqual({ call: expect.stringMatching(/^request path: origin-request .*\(replayed locally/), seen: 'answers 502 itself: S3 is not asked' });
  expect(evidence.some((e) => /"reason":"origin-path"/.test(e.seen))).toBe(true);
});

test('the origin-request guard is replayed: with pretty URLs, /docs asks S3 for docs/index.html', async () => {
  const edge = toEdgeConfig(resolvedConfig(validConfig({ origin: { prettyUrls: true } } as never)), ENV);
  const report = await run({ objects: { 'docs/index.html': { ownerId: OWNER_ID } } }, 'docs', edge);
  expect(report.key).toBe('docs/index.html');
  expect(report.results.find((r) => r.id === 'key')!.evidence).toContainEqual({ call: expect.stringMatching(/^request path: origin-request arn:aws:lambda:us-east-1:333333333333:function:acme-web-prod-origin-request:2 \(replayed locally/), seen: 'uri /docs → /docs/index.html' });
  expect(report.cause).toBeUndefined();
});

test.each([
  ['a CloudFront Function on viewer-request', (d: DistributionConfig) => {
    d.DefaultCacheBehavior!.FunctionAssociations = { Quantity: 1, Items: [{ FunctionARN: `arn:aws:cloudfront::${ACCOUNT}:function/rewrite-v2`, EventType: 'viewer-request' }] };
  }, /unknown past the CloudFront Function arn:aws:cloudfront::333333333333:function\/rewrite-v2 \(viewer-request\)/],
  ['someone else\'s Lambda@Edge on origin-request', (d: DistributionConfig) => {
    d.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 1, Items: [{ LambdaFunctionARN: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:legacy-rewriter:9`, EventType: 'origin-request', IncludeBody: false }] };
  }, /unknown past the Lambda@Edge function arn:aws:lambda:us-east-1:333333333333:function:legacy-rewriter:9 \(origin-request\), which is not edgelock's/],
])('%s: the key is unknown past it, and what it would decide is unknown, not a problem', async (_name, change, says) => {
  // With the object missing at the unrewritten key, a known key would make object-missing-403.
  const report = await run({ distribution: withOriginPath('', change), objects: {} });
  const key = report.results.find((r) => r.id === 'key')!;
  expect(key.evidence.some((e) => says.test(e.seen))).toBe(true);
  expect(key).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^if the .* leaves the path as it is \(the doctor cannot replay it\): index\.html does not exist/) });
  expect(report.cause).toBeUndefined();
});

test.each([
  ['/index.html', '', 'index.html'],
  ['/a%20b.html', '/site/', 'site/a b.html'],
  ['/x/', '/v2', 'v2/x/'],
  ['/bad%zz', '', 'bad%zz'],
])('keyAtOrigin(%s, %s) = %s', (uri, originPath, key) => {
  expect(keyAtOrigin(uri, originPath)).toBe(key);
});
