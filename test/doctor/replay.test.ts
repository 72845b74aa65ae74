/**
 * `--replay`: functions that are not edgelock's are run where they live, on a synthesized event,
 * and the key is followed past them. CloudFront Functions through TestFunction (the ETag from
 * DescribeFunction, stage LIVE), Lambda@Edge through a Lambda Invoke of the associated version.
 * A refused or failed replay leaves the key unknown past that function, naming what was refused.
 */
import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { doctorCommand } from '../../src/cli/commands/doctor';
import type { DoctorReport } from '../../src/origin/doctor';
import { readInvoke, readTestResult } from '../../src/origin/doctor/replay';
import { validConfig, writeJsonConfig } from '../helpers/config';
import { ACCOUNT, DIST, ENV, OAC_ID, OWNER_ID, distribution, healthyWorld, mockWorld, runWorld, type CffEvent, type Read, type World } from './world';

const CFF_ARN = `arn:aws:cloudfront::${ACCOUNT}:function/rewrite-v2`;
const LAMBDA_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:legacy-rewriter:9`;

/** The healthy distribution with a CloudFront Function on viewer-request (and edgelock's own Lambda@Edge functions). */
function withCff(): DistributionConfig {
  const d = distribution({ oacId: OAC_ID });
  d.DefaultCacheBehavior!.FunctionAssociations = { Quantity: 1, Items: [{ FunctionARN: CFF_ARN, EventType: 'viewer-request' }] };
  // A CloudFront Function and a Lambda@Edge function cannot share viewer-request.
  const l = d.DefaultCacheBehavior!.LambdaFunctionAssociations!;
  l.Items = l.Items!.filter((a) => a.EventType !== 'viewer-request');
  l.Quantity = l.Items.length;
  return d;
}

/** The healthy distribution with someone else's Lambda@Edge function on origin-request. */
function withLambda(): DistributionConfig {
  const d = distribution({ oacId: OAC_ID }, []);
  d.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 1, Items: [{ LambdaFunctionARN: LAMBDA_ARN, EventType: 'origin-request', IncludeBody: false }] };
  return d;
}

/** A CloudFront Function that serves everything from /v2 (the code as it would run in CloudFront). */
const rewriteV2 = (event: CffEvent) => ({ request: { ...event.request, uri: `/v2${event.request.uri}` } });
/** A Lambda@Edge origin-request handler that maps /old/* to /new/*. */
const oldToNew = (event: { Records: [{ cf: { request: { uri: string } } }] }) => {
  const request = event.Records[0].cf.request;
  return { ...request, uri: request.uri.replace(/^\/(old\/)?/, '/new/') };
};

const env = { ...ENV, auth: false };
const run = (w: Partial<World>, opts: { replay?: boolean; key?: string } = { replay: true }) =>
  runWorld({ env, distributionId: DIST, clients: mockWorld({ ...healthyWorld(), ...w }), ...(opts.replay ? { replay: true } : {}), ...(opts.key ? { key: opts.key } : {}) });
const keyCheck = (r: DoctorReport) => r.results.find((c) => c.id === 'key')!;

describe('a CloudFront Function, replayed with TestFunction', () => {
  test('its rewrite is followed: the key is v2/index.html, found, and the evidence shows each call and the rewritten request', async () => {
    const report = await run({ distribution: withCff(), cloudFrontFunctions: { 'rewrite-v2': rewriteV2 }, objects: { 'v2/index.html': { ownerId: OWNER_ID } } });
    expect(report.key).toBe('v2/index.html');
    expect(report.cause).toBeUndefined();
    const key = keyCheck(report);
    expect(key).toMatchObject({ status: 'ok', summary: 'v2/index.html exists.' });
    expect(key.evidence).toContainEqual({ call: 'request path: cloudfront:DescribeFunction(Name=rewrite-v2, Stage=LIVE)', seen: 'ETag EREWRITEV2LIVE, Status DEPLOYED, Runtime cloudfront-js-2.0' });
    expect(key.evidence).toContainEqual({ call: 'request path: cloudfront:TestFunction(Name=rewrite-v2, IfMatch=EREWRITEV2LIVE, Stage=LIVE, EventObject=viewer-request GET /index.html)', seen: expect.stringMatching(/^FunctionOutput \{"request":\{"method":"GET","uri":"\/v2\/index\.html"/) });
    expect(key.evidence).toContainEqual({ call: `request path: viewer-request ${CFF_ARN} (replayed with CloudFront's TestFunction, LIVE stage)`, seen: 'uri /index.html → /v2/index.html; headers accept, host, user-agent' });
    expect(key.evidence).toContainEqual({ call: `request path: viewer-request ${CFF_ARN} (replayed with CloudFront's TestFunction, LIVE stage) said`, seen: 'ComputeUtilization 12%' });
  });

  test('a key known through the replay can be a problem: the rewritten key is missing', async () => {
    const report = await run({ distribution: withCff(), cloudFrontFunctions: { 'rewrite-v2': rewriteV2 } });
    expect(report.cause).toMatchObject({ id: 'key', reason: 'object-missing-403', summary: expect.stringMatching(/^v2\/index\.html does not exist/) });
  });

  test('a function that answers itself (a redirect): S3 is not asked, and the key is unknown past it', async () => {
    const redirect = () => ({ response: { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: 'https://example.com/' } } } });
    const report = await run({ distribution: withCff(), cloudFrontFunctions: { 'rewrite-v2': redirect }, objects: {} });
    const key = keyCheck(report);
    expect(key.evidence).toContainEqual({ call: `request path: viewer-request ${CFF_ARN} (replayed with CloudFront's TestFunction, LIVE stage)`, seen: 'answers 301 itself: S3 is not asked' });
    expect(key.status).toBe('unknown');
    expect(report.cause).toBeUndefined();
  });

  test('a function that throws: FunctionErrorMessage is shown, and the key is unknown past it', async () => {
    const throws = () => {
      throw new TypeError('Cannot read properties of undefined (reading \'value\')');
    };
    const report = await run({ distribution: withCff(), cloudFrontFunctions: { 'rewrite-v2': throws }, objects: {} });
    const key = keyCheck(report);
    expect(key.evidence.some((e) => /unknown past the CloudFront Function .*, whose replay failed \(the function failed: TypeError: Cannot read properties/.test(e.seen))).toBe(true);
    expect(key.status).toBe('unknown');
    expect(report.cause).toBeUndefined();
  });

  test('without --replay the key is unknown past it, and the fix offers --replay', async () => {
    const report = await run({ distribution: withCff(), cloudFrontFunctions: { 'rewrite-v2': rewriteV2 }, objects: {} }, {});
    expect(keyCheck(report)).toMatchObject({ status: 'unknown', fix: expect.stringMatching(/^run the doctor with --replay to run that function where it lives/) });
    expect(report.key).toBe('index.html');
  });
});

describe('a Lambda@Edge function, replayed with a Lambda Invoke of its version', () => {
  test('its rewrite is followed, with the origin-request event it was given', async () => {
    let seen: unknown;
    const spy = (e: Parameters<typeof oldToNew>[0]) => {
      seen = e;
      return oldToNew(e);
    };
    const report = await run({ distribution: withLambda(), lambdas: { [LAMBDA_ARN]: spy }, objects: { 'new/a.html': { ownerId: OWNER_ID } } }, { replay: true, key: 'old/a.html' });
    expect(report.key).toBe('new/a.html');
    expect(report.cause).toBeUndefined();
    expect((seen as { Records: [{ cf: unknown }] }).Records[0].cf).toMatchObject({ config: { eventType: 'origin-request', distributionId: DIST }, request: { uri: '/old/a.html', origin: { s3: { domainName: ENV.bucketDomain } } } });
    const key = keyCheck(report);
    expect(key.evidence).toContainEqual({ call: `request path: lambda:Invoke(FunctionName=${LAMBDA_ARN}, Payload=origin-request GET /old/a.html)`, seen: expect.stringMatching(/^StatusCode 200, Payload \{"clientIp":"203\.0\.113\.178"/) });
    expect(key.evidence).toContainEqual({ call: `request path: origin-request ${LAMBDA_ARN} (replayed with a Lambda Invoke of that version)`, seen: expect.stringMatching(/^uri \/old\/a\.html → \/new\/a\.html; headers /) });
  });

  test('a function that throws: FunctionError Unhandled with its errorType and errorMessage, and the key unknown past it', async () => {
    const throws = () => {
      throw new RangeError('no route for /index.html');
    };
    const report = await run({ distribution: withLambda(), lambdas: { [LAMBDA_ARN]: throws }, objects: {} });
    const key = keyCheck(report);
    expect(key.evidence.some((e) => /whose replay failed \(the function failed \(FunctionError Unhandled\): RangeError: no route for \/index\.html\)/.test(e.seen))).toBe(true);
    expect(key.status).toBe('unknown');
    expect(report.cause).toBeUndefined();
  });

  test('a version that does not exist: the key is unknown past it, with Lambda\'s answer', async () => {
    const report = await run({ distribution: withLambda(), objects: {} });
    expect(keyCheck(report).evidence.some((e) => /which could not be replayed \(ResourceNotFoundException \(HTTP 404\)\)/.test(e.seen))).toBe(true);
    expect(report.cause).toBeUndefined();
  });
});

describe('replays refused: the key stays unknown past the function, naming the refused action; never a problem', () => {
  test.each<[Read, () => DistributionConfig, string]>([
    ['cloudfront:DescribeFunction', withCff, 'the CloudFront Function'],
    ['cloudfront:TestFunction', withCff, 'the CloudFront Function'],
    ['lambda:InvokeFunction', withLambda, 'the Lambda@Edge function'],
  ])('%s refused', async (action, dist, what) => {
    // With the object missing at every key, a key that were guessed would make object-missing-403.
    const report = await run({ distribution: dist(), cloudFrontFunctions: { 'rewrite-v2': rewriteV2 }, lambdas: { [LAMBDA_ARN]: oldToNew }, objects: {}, refuse: { [action]: { policy: 'identity-based policy' } } });
    const key = keyCheck(report);
    expect(key.evidence.some((e) => e.seen.includes(`unknown past ${what}`) && e.seen.includes(`could not be replayed (refused ${action}: no identity-based policy allows it)`))).toBe(true);
    expect(key.status).toBe('unknown');
    expect(report.results.filter((r) => r.status === 'problem')).toEqual([]);
  });
});

test('the CLI passes --replay on', async () => {
  const file = writeJsonConfig(validConfig({}, { prod: { accountId: ACCOUNT, region: ENV.region, auth: false, distributionId: DIST } }, { only: true }));
  let text = '';
  await doctorCommand({ config: file, env: 'prod', replay: true, verbose: true }, mockWorld({ ...healthyWorld(), distribution: withCff(), cloudFrontFunctions: { 'rewrite-v2': rewriteV2 }, objects: { 'v2/index.html': { ownerId: OWNER_ID } } }), (s) => (text += s));
  expect(text).toMatch(/request path: viewer-request arn:aws:cloudfront::333333333333:function\/rewrite-v2 \(replayed with CloudFront's TestFunction, LIVE stage\) → uri \/index\.html → \/v2\/index\.html/);
});

describe('reading the answers', () => {
  test('TestFunction: a request, a response, an error, and output that is not an event', () => {
    expect(readTestResult({ FunctionOutput: '{"request":{"method":"GET","uri":"/a","querystring":{"v":{"value":"1"}},"headers":{"host":{"value":"x"}},"cookies":{}}}', ComputeUtilization: '9' })).toEqual({ kind: 'request', uri: '/a', querystring: 'v=1', headers: ['host'], notes: ['ComputeUtilization 9%'] });
    expect(readTestResult({ FunctionOutput: '{"response":{"statusCode":403,"statusDescription":"Forbidden"}}' })).toMatchObject({ kind: 'response', status: '403' });
    expect(readTestResult({ FunctionErrorMessage: 'The CloudFront function exceeded the maximum allowed compute time.', FunctionOutput: '', FunctionExecutionLogs: ['start'] })).toEqual({ kind: 'failed', why: 'the function failed: The CloudFront function exceeded the maximum allowed compute time.', notes: ['log: start'] });
    expect(readTestResult({ FunctionOutput: 'not json' })).toMatchObject({ kind: 'failed', why: expect.stringMatching(/no event object/) });
  });

  test('Invoke: a request, a generated response, a null payload (a 502 at CloudFront), and FunctionError', () => {
    const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    expect(readInvoke({ StatusCode: 200, Payload: bytes({ uri: '/b', querystring: 'x=1', headers: { host: [{ key: 'Host', value: 'h' }] } }) })).toMatchObject({ kind: 'request', uri: '/b', querystring: 'x=1', headers: ['host'] });
    expect(readInvoke({ StatusCode: 200, Payload: bytes({ status: '302', headers: {} }) })).toMatchObject({ kind: 'response', status: '302' });
    expect(readInvoke({ StatusCode: 200, Payload: bytes(null) })).toMatchObject({ kind: 'failed', why: expect.stringMatching(/returned no request or response .*CloudFront answers 502/) });
    expect(readInvoke({ StatusCode: 200, FunctionError: 'Unhandled', Payload: bytes({ errorType: 'Error', errorMessage: 'boom' }) })).toMatchObject({ kind: 'failed', why: 'the function failed (FunctionError Unhandled): Error: boom' });
  });
});
