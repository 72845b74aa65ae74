/**
 * Any endpoint: the doctor's real clients against a loopback server that answers in AWS's wire
 * formats, chosen by AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> and --endpoint; and the errors
 * the test worlds build, checked against what the SDK builds from the same bytes on the wire.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { HeadObjectCommand, GetBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import { doctorCommand } from '../../src/cli/commands/doctor';
import { createClients, resolveEndpoints, runDoctor } from '../../src/origin/doctor';
import { needsPathStyle } from '../../src/origin/doctor/endpoints';
import { isEdgelockError } from '../../src/errors';
import { isServiceError } from '../../src/origin/s3/errors';
import { accessDeniedMessage, connectionRefused, s3Error, s3HeadError } from '../helpers/aws-errors';
import { validConfig, writeJsonConfig } from '../helpers/config';
import { startWireAws, type WireAws } from './wire-aws';
import { BUCKET, DIST, ENV } from './world';

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined };
const saved: Record<string, string | undefined> = {};
function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (!(k in saved)) saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    delete saved[k];
  }
});

let aws: WireAws;
let other: WireAws;
beforeAll(async () => {
  [aws, other] = await Promise.all([startWireAws(), startWireAws()]);
});
afterAll(async () => {
  await Promise.all([aws.close(), other.close()]);
});
beforeEach(() => {
  aws.requests.length = 0;
  other.requests.length = 0;
  setEnv(CREDENTIALS);
});

describe('resolving endpoints', () => {
  test('the per-service variable wins over AWS_ENDPOINT_URL; --endpoint wins for S3; the ignore switch turns the variables off', () => {
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_S3_CONTROL: 'http://localhost:4567' };
    expect(resolveEndpoints(env)).toEqual({ s3: 'http://127.0.0.1:4566', s3control: 'http://localhost:4567', cloudfront: 'http://127.0.0.1:4566', organizations: 'http://127.0.0.1:4566', kms: 'http://127.0.0.1:4566', sts: 'http://127.0.0.1:4566', lambda: 'http://127.0.0.1:4566' });
    expect(resolveEndpoints(env, { s3: 'http://10.0.0.5:9000' }).s3).toBe('http://10.0.0.5:9000');
    expect(resolveEndpoints({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toEqual({});
    expect(resolveEndpoints({})).toEqual({});
  });

  test('a bad URL is a usage error naming where it came from', () => {
    expect(() => resolveEndpoints({ AWS_ENDPOINT_URL_KMS: 'localhost:4566' })).toThrow(/AWS_ENDPOINT_URL_KMS "localhost:4566" must be an http:\/\/ or https:\/\/ URL/);
    expect(() => resolveEndpoints({}, { s3: 'not a url' })).toThrow(/--endpoint "not a url" is not a URL/);
  });

  test.each([
    ['http://127.0.0.1:4566', true],
    ['http://localhost:4566', true],
    ['http://s3.localhost:4566', true],
    ['http://[::1]:4566', true],
    ['https://s3.eu-west-1.amazonaws.com', false],
    ['https://minio.example.com', false],
  ])('path-style for %s: %s', (url, yes) => {
    expect(needsPathStyle(url)).toBe(yes);
  });
});

describe('the doctor against a loopback AWS', () => {
  test('AWS_ENDPOINT_URL: every call goes there, S3 path-style, S3 Control without the account in the host', async () => {
    const report = await runDoctor({ env: ENV, distributionId: DIST, clients: createClients(ENV.region, resolveEndpoints({ AWS_ENDPOINT_URL: aws.url })) });
    expect(report.results.map((r) => [r.id, r.status])).toEqual(expect.arrayContaining([['distribution', 'ok'], ['bucket-policy', 'ok'], ['block-public-access', 'ok'], ['object-ownership', 'ok'], ['encryption', 'ok'], ['key', 'ok'], ['organizations', 'ok']]));
    expect(report.cause).toBeUndefined();
    const host = new URL(aws.url).host;
    expect(aws.requests.every((r) => r.host === host)).toBe(true);
    expect(aws.requests.filter((r) => r.url.startsWith(`/${BUCKET}`)).length).toBeGreaterThanOrEqual(9);
    const control = aws.requests.find((r) => r.url.startsWith('/v20180820/configuration/publicAccessBlock'))!;
    expect(control.headers['x-amz-account-id']).toBe(ENV.accountId);
    // Signed for S3 in the environment's region.
    expect(control.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request/);
  });

  test('AWS_ENDPOINT_URL_S3 sends S3 alone elsewhere; the CLI\'s --endpoint does the same', async () => {
    await runDoctor({ env: ENV, distributionId: DIST, clients: createClients(ENV.region, resolveEndpoints({ AWS_ENDPOINT_URL: aws.url, AWS_ENDPOINT_URL_S3: other.url })) });
    expect(other.requests.length).toBeGreaterThan(0);
    expect(other.requests.every((r) => r.url.startsWith(`/${BUCKET}`))).toBe(true);
    expect(aws.requests.some((r) => r.url.startsWith(`/${BUCKET}`))).toBe(false);

    other.requests.length = 0;
    setEnv({ AWS_ENDPOINT_URL: aws.url, AWS_ENDPOINT_URL_S3: undefined });
    const config = writeJsonConfig(validConfig({}, { prod: { accountId: ENV.accountId, region: ENV.region, auth: false, distributionId: DIST } }, { only: true }));
    let out = '';
    const code = await doctorCommand({ config, env: 'prod', endpoint: other.url }, undefined, (s) => (out += s));
    expect(out).toMatch(/No problem found/);
    expect(code).toBe(0);
    expect(other.requests.every((r) => r.url.startsWith(`/${BUCKET}`))).toBe(true);
  });

  test('an endpoint nobody listens on: AWS_UNREACHABLE, exit 2, and the refused connection shaped as the worlds build it', async () => {
    const closed = await startWireAws();
    await closed.close();
    const clients = createClients(ENV.region, resolveEndpoints({ AWS_ENDPOINT_URL: closed.url }));
    const err = await runDoctor({ env: ENV, distributionId: DIST, clients }).catch((e: unknown) => e);
    expect(isEdgelockError(err, 'AWS_UNREACHABLE')).toBe(true);
    expect((err as { exitCode: number }).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/^cannot reach AWS: sts:GetCallerIdentity\(\) got no answer \(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+\)/);
    // The shape, as the SDK throws it in a plain Node process (jest's sandbox is another realm,
    // where the SDK wraps errors that are not its Error).
    const port = Number(new URL(closed.url).port);
    const script = `const { S3Client, GetBucketAclCommand } = require('@aws-sdk/client-s3');
      new S3Client({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:${port}', forcePathStyle: true, credentials: { accessKeyId: 'A', secretAccessKey: 'B' } })
        .send(new GetBucketAclCommand({ Bucket: 'b' }))
        .catch((e) => process.stdout.write(JSON.stringify({ keys: Object.keys(e).sort(), code: e.code, syscall: e.syscall, message: e.message, metadata: Object.keys(e.$metadata).sort() })));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
    const wire = JSON.parse(r.stdout) as Record<string, unknown>;
    const built = connectionRefused('127.0.0.1', port) as Error & Record<string, unknown>;
    expect(wire).toEqual({ keys: Object.keys(built).sort(), code: built.code, syscall: built.syscall, message: built.message, metadata: Object.keys(built.$metadata as object).sort() });
    expect(isServiceError(built)).toBe(false);
  });
});

test('an expired token, answered by STS on the wire: AWS_UNREACHABLE naming the credentials, as the worlds build it', async () => {
  const wire = await startWireAws();
  try {
    const message = 'The security token included in the request is expired';
    wire.fail(/^POST \//, { status: 403, code: 'ExpiredToken', message, body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>${message}</Message></Error><RequestId>WIREREQ1</RequestId></ErrorResponse>` });
    const err = await runDoctor({ env: ENV, distributionId: DIST, clients: createClients(ENV.region, resolveEndpoints({ AWS_ENDPOINT_URL: wire.url })) }).catch((e: unknown) => e);
    expect(isEdgelockError(err, 'AWS_UNREACHABLE')).toBe(true);
    expect((err as Error).message).toBe(`AWS did not accept the credentials (ExpiredToken: ${message}), so nothing was checked: give valid credentials for account ${ENV.accountId} (e.g. \`aws sso login\`, AWS_PROFILE) and run the doctor again`);
    const cause = (err as { cause: { name: string; $metadata: { httpStatusCode: number } } }).cause;
    expect({ name: cause.name, status: cause.$metadata.httpStatusCode }).toEqual({ name: 'ExpiredToken', status: 403 });
  } finally {
    await wire.close();
  }
});

describe('the worlds\' S3 errors are the SDK\'s own, from the wire', () => {
  const s3 = () => new S3Client({ region: 'eu-west-1', endpoint: aws.url, forcePathStyle: true, maxAttempts: 1 });
  const shape = (e: unknown) => {
    const x = e as Error & { $fault: string; $metadata: { httpStatusCode?: number }; Code?: string };
    return { ctor: x.constructor.name, name: x.name, message: x.message, fault: x.$fault, status: x.$metadata.httpStatusCode, Code: x.Code };
  };

  test('a HEAD 403 (no body) and a HEAD 404', async () => {
    aws.fail(/^HEAD \/[^?]+\/forbidden\.html/, { status: 403, code: 'AccessDenied', message: 'Access Denied' });
    aws.fail(/^HEAD \/[^?]+\/missing\.html/, { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' });
    const forbidden = await s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'forbidden.html' })).catch((e: unknown) => e);
    const missing = await s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing.html' })).catch((e: unknown) => e);
    expect(shape(forbidden)).toEqual(shape(s3HeadError(403)));
    expect(shape(forbidden)).toMatchObject({ name: 'Unknown', message: 'UnknownError', status: 403 });
    expect(shape(missing)).toEqual(shape(s3HeadError(404)));
    expect(shape(missing)).toMatchObject({ name: 'NotFound', status: 404 });
  });

  test('a detailed AccessDenied on GetBucketAcl', async () => {
    const message = accessDeniedMessage({ action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${BUCKET}`, policy: 'identity-based policy' });
    const wire = await startWireAws();
    try {
      wire.fail(/^GET \/[^?]+\?acl/, { status: 403, code: 'AccessDenied', message });
      const e = await new S3Client({ region: 'eu-west-1', endpoint: wire.url, forcePathStyle: true, maxAttempts: 1 }).send(new GetBucketAclCommand({ Bucket: BUCKET })).catch((x: unknown) => x);
      expect(shape(e)).toEqual(shape(s3Error('AccessDenied', 403, message)));
    } finally {
      await wire.close();
    }
  });
});

describe('the replay and access point answers, from the wire: the test worlds give what the SDK parses', () => {
  const FN = 'arn:aws:lambda:us-east-1:333333333333:function:legacy-rewriter:9';
  const OUTPUT = JSON.stringify({ request: { method: 'GET', uri: '/v2/index.html', querystring: {}, headers: { host: { value: 'd111111abcdef8.cloudfront.net' } }, cookies: {} } });
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const SUMMARY = `<FunctionSummary><Name>rewrite-v2</Name><Status>DEPLOYED</Status><FunctionConfig><Comment></Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig><FunctionMetadata><FunctionARN>arn:aws:cloudfront::333333333333:function/rewrite-v2</FunctionARN><Stage>LIVE</Stage><LastModifiedTime>2025-03-01T00:00:00Z</LastModifiedTime></FunctionMetadata></FunctionSummary>`;
  let server: import('node:http').Server;
  let url = '';
  beforeAll(async () => {
    const http = await import('node:http');
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const u = req.url ?? '';
        const x = (body: string, headers: Record<string, string> = {}) => {
          res.writeHead(200, { 'content-type': 'text/xml', 'x-amz-request-id': 'WIREREQ1', ...headers });
          res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
        };
        if (u.startsWith('/2020-05-31/function/rewrite-v2/describe')) return x(SUMMARY.replace('<FunctionSummary>', '<FunctionSummary xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'), { etag: 'EREWRITEV2LIVE' });
        if (u.startsWith('/2020-05-31/function/rewrite-v2/test')) {
          return x(`<TestResult xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">${SUMMARY}<ComputeUtilization>12</ComputeUtilization><FunctionExecutionLogs></FunctionExecutionLogs><FunctionErrorMessage></FunctionErrorMessage><FunctionOutput>${esc(OUTPUT)}</FunctionOutput></TestResult>`);
        }
        if (u.startsWith('/2015-03-31/functions/')) {
          // A handler that threw: HTTP 200, the error named in X-Amz-Function-Error, the error as the payload.
          res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'WIREREQ1', 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '9' });
          return res.end(JSON.stringify({ errorType: 'RangeError', errorMessage: 'no route for /index.html', trace: ['RangeError: no route for /index.html', '    at Runtime.handler (file:///var/task/index.mjs:3:9)'] }));
        }
        if (u.startsWith('/v20180820/accesspoint')) {
          return x(`<ListAccessPointsResult xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><AccessPointList><AccessPoint><Name>site-ap</Name><NetworkOrigin>Internet</NetworkOrigin><Bucket>${BUCKET}</Bucket><AccessPointArn>arn:aws:s3:eu-west-1:333333333333:accesspoint/site-ap</AccessPointArn><Alias>site-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias</Alias><BucketAccountId>333333333333</BucketAccountId></AccessPoint></AccessPointList></ListAccessPointsResult>`);
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('TestFunction, DescribeFunction, Invoke with FunctionError and ListAccessPoints parse to the shapes the world answers', async () => {
    const { DescribeFunctionCommand, TestFunctionCommand } = await import('@aws-sdk/client-cloudfront');
    const { InvokeCommand } = await import('@aws-sdk/client-lambda');
    const { ListAccessPointsCommand } = await import('@aws-sdk/client-s3-control');
    const { mockWorld, healthyWorld } = await import('./world');
    const { cloudFrontFunctionEvent, readInvoke, readTestResult } = await import('../../src/origin/doctor/replay');
    const wire = createClients(ENV.region, resolveEndpoints({ AWS_ENDPOINT_URL: url }));
    const world = mockWorld({
      ...healthyWorld(),
      cloudFrontFunctions: { 'rewrite-v2': (e) => ({ request: { method: e.request.method, uri: `/v2${e.request.uri}`, querystring: {}, headers: { host: { value: 'd111111abcdef8.cloudfront.net' } }, cookies: {} } }) },
      lambdas: { [FN]: () => { throw new RangeError('no route for /index.html'); } },
      accessPoints: [{ name: 'site-ap', alias: 'site-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias', bucket: BUCKET, policy: null }],
    });
    const event = new TextEncoder().encode(JSON.stringify(cloudFrontFunctionEvent('/index.html', { distributionId: DIST, host: 'd111111abcdef8.cloudfront.net' })));
    const calls = [
      (c: typeof wire) => c.cloudfront.send(new DescribeFunctionCommand({ Name: 'rewrite-v2', Stage: 'LIVE' })),
      (c: typeof wire) => c.cloudfront.send(new TestFunctionCommand({ Name: 'rewrite-v2', IfMatch: 'EREWRITEV2LIVE', Stage: 'LIVE', EventObject: event })),
      (c: typeof wire) => c.lambda.send(new InvokeCommand({ FunctionName: FN, Payload: new TextEncoder().encode('{}') })),
      (c: typeof wire) => c.s3control.send(new ListAccessPointsCommand({ AccountId: '333333333333', MaxResults: 1000 })),
    ];
    /** The answer's fields and their types, without the SDK's $metadata. */
    const shape = (v: unknown): unknown =>
      v instanceof Uint8Array ? `bytes:${v.constructor.name}` : v instanceof Date ? 'date' : Array.isArray(v) ? v.map(shape) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== '$metadata').sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, shape(x)])) : typeof v;
    for (const call of calls) {
      const [fromWire, fromWorld] = [await call(wire), await call(world)];
      expect(shape(fromWorld)).toEqual(shape(fromWire));
      expect(Object.keys(shape(fromWire) as object).length).toBeGreaterThan(0);
    }
    const [tw, tm] = [await calls[1]!(wire), await calls[1]!(world)] as { TestResult: object }[];
    expect(readTestResult(tm!.TestResult)).toEqual(readTestResult(tw!.TestResult));
    const [iw, im] = [await calls[2]!(wire), await calls[2]!(world)];
    expect(readInvoke(im as never)).toEqual(readInvoke(iw as never));
    expect(readInvoke(iw as never)).toMatchObject({ kind: 'failed', why: 'the function failed (FunctionError Unhandled): RangeError: no route for /index.html' });
  });
});

describe('listings that page: every page the SDK paginator gives, up to a cap', () => {
  const pageOf = (names: string[], next?: string) => ({ AccessPointList: names.map((n) => ({ Name: n, NetworkOrigin: 'Internet' as const, Bucket: BUCKET })), ...(next ? { NextToken: next } : {}) });

  /** The doctor's reads over an S3 Control client of their own, mocked at the instance. */
  const pagedReads = async () => {
    const { S3ControlClient } = await import('@aws-sdk/client-s3-control');
    const { mockClient } = await import('aws-sdk-client-mock');
    const { AwsReads } = await import('../../src/origin/doctor/read');
    const s3control = new S3ControlClient({ region: 'eu-west-1' });
    return { mock: mockClient(s3control), reads: new AwsReads({ clients: { s3control } as never, accountId: '333333333333', bucket: BUCKET, distributionId: DIST }) };
  };

  test('ListAccessPoints: the pages are followed by NextToken, 1,000 at a time', async () => {
    const { ListAccessPointsCommand } = await import('@aws-sdk/client-s3-control');
    const { mock, reads } = await pagedReads();
    // Each request as it was sent (the paginator reuses one input object from page to page).
    const sent: object[] = [];
    mock.on(ListAccessPointsCommand).callsFake((input: { NextToken?: string }) => {
      sent.push({ ...input });
      return input.NextToken === 't1' ? pageOf(['b']) : pageOf(['a'], 't1');
    });
    const r = await reads.accessPoints();
    expect(r.ok && r.value.map((a) => a.Name)).toEqual(['a', 'b']);
    expect(sent).toEqual([
      { AccountId: '333333333333', MaxResults: 1000 },
      { AccountId: '333333333333', MaxResults: 1000, NextToken: 't1' },
    ]);
  });

  test('a listing that never ends stops at the cap', async () => {
    const { ListAccessPointsForObjectLambdaCommand } = await import('@aws-sdk/client-s3-control');
    const { mock, reads } = await pagedReads();
    let n = 0;
    mock.on(ListAccessPointsForObjectLambdaCommand).callsFake(() => ({ ObjectLambdaAccessPointList: [{ Name: `olap-${++n}` }], NextToken: `t${n}` }));
    const r = await reads.objectLambdaAccessPoints(3);
    expect(r.ok && r.value.map((a) => a.Name)).toEqual(['olap-1', 'olap-2', 'olap-3']);
    expect(mock.commandCalls(ListAccessPointsForObjectLambdaCommand)).toHaveLength(3);
  });
});
