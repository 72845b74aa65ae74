/**
 * The embedded S3 is private: only requests signed with its key pass. s3rver alone serves
 * anonymous requests and never checks SigV4 signatures; these tests prove the gate does both.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import http from 'node:http';
import path from 'node:path';
import { DeleteObjectCommand, GetBucketOwnershipControlsCommand, GetObjectCommand, PutObjectAclCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getObjectTarget, startEmbeddedS3, type EmbeddedS3 } from '../../src/dev/embedded-s3';
import { plainReadKey } from '../../src/dev/s3-reads';
import { awaitObjectWrites, type S3rverStore } from '../../src/dev/s3rver-writes';
import { tempDir } from '../helpers/temp';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { signS3Request, verifySigV4, EMPTY_SHA256 } from '../../src/dev/sigv4';

const BUCKET = 'acme-web-dev-site-222222222222';

/** SDK v3 against s3rver: path-style, checksums only when required. */
function embeddedS3Client(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }, region: string): S3Client {
  return new S3Client({ endpoint, region, credentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
}
let s3: EmbeddedS3;

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  s3 = await startEmbeddedS3({ buckets: [BUCKET] });
  const client = embeddedS3Client(s3.endpoint, s3.credentials, 'eu-west-1');
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'index.html', Body: '<p>hi</p>', ContentType: 'text/html' }));
  client.destroy();
});
afterAll(() => s3.close());

const HOST = `${BUCKET}.s3.eu-west-1.amazonaws.com`;

/** GET through node:http (fetch cannot set Host), as CloudFront reaches a bucket: virtual-hosted. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(s3.endpoint);
  return new Promise((resolve, reject) => {
    http
      .get({ host: url.hostname, port: url.port, path, headers: { host: HOST, ...headers } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function sign(path: string, credentials = s3.credentials, now?: Date): Promise<Record<string, string>> {
  return signS3Request({ method: 'GET', host: HOST, path, query: {}, headers: {}, payloadSha256: EMPTY_SHA256 }, credentials, 'eu-west-1', now);
}

describe('embedded S3', () => {
  test('the SDK with the embedded key pair reads what it wrote', async () => {
    const client = embeddedS3Client(s3.endpoint, s3.credentials, 'eu-west-1');
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'index.html' }));
    expect(await got.Body!.transformToString()).toBe('<p>hi</p>');
    client.destroy();
  });

  test.each([
    ['path-style', () => fetch(`${s3.endpoint}/${BUCKET}/index.html`).then(async (r) => ({ status: r.status, body: await r.text() }))],
    ['virtual-hosted', () => rawGet('/index.html', {})],
  ])('an anonymous %s GET is refused with 403 AccessDenied', async (_style, get) => {
    const res = await get();
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>AccessDenied</Code>');
  });

  test('a virtual-hosted GET signed like CloudFront signs it is served', async () => {
    const res = await rawGet('/index.html', await sign('/index.html'));
    expect(res).toEqual({ status: 200, body: '<p>hi</p>' });
  });

  test.each<[string, () => Promise<Record<string, string>>, string, number, string]>([
    ['an unknown access key', () => sign('/index.html', { accessKeyId: 'EDGELOCKDEVUNKNOWN', secretAccessKey: 'x' }), '/index.html', 403, 'InvalidAccessKeyId'],
    ['the right key id with a wrong secret', () => sign('/index.html', { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: 'wrong' }), '/index.html', 403, 'SignatureDoesNotMatch'],
    ['a signature made for another key', () => sign('/other.html'), '/index.html', 403, 'SignatureDoesNotMatch'],
    ['a Basic Authorization header', async () => ({ authorization: 'Basic ZGVtbzplZGdlbG9jay1kZW1v' }), '/index.html', 400, 'AuthorizationHeaderMalformed'],
    ['a signature 20 minutes old', () => sign('/index.html', s3.credentials, new Date(Date.now() - 20 * 60_000)), '/index.html', 403, 'RequestTimeTooSkewed'],
  ])('%s is refused', async (_name, headers, path, status, code) => {
    const res = await rawGet(path, await headers());
    expect(res.status).toBe(status);
    expect(res.body).toContain(`<Code>${code}</Code>`);
  });

  test('verifySigV4 also binds the query string', async () => {
    const headers = await sign('/index.html');
    const keys = new Map([[s3.credentials.accessKeyId, s3.credentials.secretAccessKey]]);
    const rawHeaders = Object.entries({ ...headers, host: HOST }).flat();
    expect(await verifySigV4({ method: 'GET', path: '/index.html', query: {}, rawHeaders }, keys)).toEqual({ ok: true, accessKeyId: s3.credentials.accessKeyId });
    expect(await verifySigV4({ method: 'GET', path: '/index.html', query: { x: '1' }, rawHeaders }, keys)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
  });

  test.each<[string, string, number, string]>([
    ['an object', '/index.html', 200, '<p>hi</p>'],
    ['a missing key (403, as S3 answers without s3:ListBucket)', '/nope.html', 403, '<Code>AccessDenied</Code>'],
    ['a bucket listing', '/', 403, '<Code>AccessDenied</Code>'],
    ['an ACL read', '/index.html?acl', 403, '<Code>AccessDenied</Code>'],
    ['a tagging read', '/index.html?tagging', 403, '<Code>AccessDenied</Code>'],
    ['an object with an unknown query parameter, which S3 ignores', '/index.html?v', 200, '<p>hi</p>'],
    ['an object with a response- override parameter', '/index.html?response-cache-control', 200, '<p>hi</p>'],
  ])('the distribution\'s read-only keys: %s', async (_name, target, status, body) => {
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? {} : { [target.slice(q + 1)]: '' };
    const headers = await signS3Request({ method: 'GET', host: HOST, path, query, headers: {}, payloadSha256: EMPTY_SHA256 }, s3.readerCredentials, 'eu-west-1');
    const res = await rawGet(target, headers);
    expect(res.status).toBe(status);
    expect(res.body).toContain(body);
  });

  test.each([
    ['GET', `${BUCKET}.s3.eu-west-1.amazonaws.com`, '/a/b.html', { bucket: BUCKET, key: 'a/b.html' }],
    ['HEAD', '127.0.0.1:4568', `/${BUCKET}/a%20b.html?response-content-type=x`, { bucket: BUCKET, key: 'a b.html' }],
    ['GET', '127.0.0.1:4568', `/${BUCKET}/`, undefined],
    ['GET', '127.0.0.1:4568', `/${BUCKET}?list-type=2`, undefined],
    ['PUT', `${BUCKET}.s3.eu-west-1.amazonaws.com`, '/a.html', undefined],
    ['GET', `${BUCKET}.s3.eu-west-1.amazonaws.com`, '/a.html?tagging', undefined],
  ])('getObjectTarget(%s %s%s)', (method, host, target, expected) => {
    expect(getObjectTarget(method, host, target)).toEqual(expected);
  });

  test('the bucket reports BucketOwnerEnforced and refuses ACLs like a locked bucket (the seed\'s public-read upload fails)', async () => {
    const client = embeddedS3Client(s3.endpoint, s3.credentials, 'eu-west-1');
    try {
      const own = await client.send(new GetBucketOwnershipControlsCommand({ Bucket: BUCKET }));
      expect(own.OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe('BucketOwnerEnforced');
      await expect(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'x.html', Body: 'x', ACL: 'public-read' }))).rejects.toMatchObject({
        name: 'AccessControlListNotSupported',
        $metadata: { httpStatusCode: 400 },
      });
      await expect(client.send(new PutObjectAclCommand({ Bucket: BUCKET, Key: 'index.html', ACL: 'public-read' }))).rejects.toMatchObject({ name: 'AccessControlListNotSupported' });
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ok.html', Body: 'ok', ACL: 'bucket-owner-full-control' }));
      const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'ok.html' }));
      expect(await got.Body!.transformToString()).toBe('ok');
      await expect(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'x.html' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    } finally {
      client.destroy();
    }
  });

  test('the request log records every header S3 received', async () => {
    s3.clearLog();
    await fetch(`${s3.endpoint}/${BUCKET}/index.html`, { headers: { 'X-Probe': 'yes' } });
    expect(s3.log).toHaveLength(1);
    expect(s3.log[0]).toMatchObject({ method: 'GET', url: `/${BUCKET}/index.html`, status: 403, refused: 'AccessDenied' });
    expect(s3.log[0]!.headers['x-probe']).toEqual(['yes']);
  });
});

/** One answer as it came off the wire: status, raw headers in order, body. */
interface WireAnswer {
  readonly status: number;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** A request signed with the distribution's read-only keys, as the local edge's origin client signs it. */
async function readAs(target: S3Target, method: 'GET' | 'HEAD', uri: string, extra: Record<string, string> = {}, credentials = target.s3.readerCredentials): Promise<WireAnswer> {
  const q = uri.indexOf('?');
  const pathName = q < 0 ? uri : uri.slice(0, q);
  const query = q < 0 ? {} : Object.fromEntries(new URLSearchParams(uri.slice(q + 1)));
  const signed = await signS3Request({ method, host: HOST, path: pathName, query, headers: { ...extra }, payloadSha256: EMPTY_SHA256 }, credentials, 'eu-west-1');
  const url = new URL(target.s3.endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: uri, headers: { ...extra, ...signed, host: HOST } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The raw headers without the ones Node writes for every answer (Date, Connection, Keep-Alive). */
function stable(a: WireAnswer): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < a.rawHeaders.length; i += 2) {
    if (!/^(date|connection|keep-alive)$/i.test(a.rawHeaders[i]!)) out.push(`${a.rawHeaders[i]}: ${a.rawHeaders[i + 1]}`);
  }
  return out;
}

interface S3Target {
  readonly s3: EmbeddedS3;
}

/** Whether the last request S3 logged was answered from a remembered read. */
function lastRemembered(target: S3Target): boolean {
  return target.s3.log[target.s3.log.length - 1]?.remembered === true;
}

describe('embedded S3: remembered reads', () => {
  const target: S3Target = { get s3() { return s3; } };
  let client: S3Client;
  beforeAll(async () => {
    client = embeddedS3Client(s3.endpoint, s3.credentials, 'eu-west-1');
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'memo/site.css', Body: 'body { color: red }', ContentType: 'text/css; charset=utf-8', CacheControl: 'public, max-age=3600', ContentEncoding: 'identity', Metadata: { release: '42' } }),
    );
  });
  afterAll(() => client.destroy());

  test.each(['GET', 'HEAD'] as const)('a plain %s of an unchanged object is s3rver\'s earlier answer, replayed header for header and byte for byte', async (method) => {
    const first = await readAs(target, method, '/memo/site.css');
    expect(lastRemembered(target)).toBe(false);
    const second = await readAs(target, method, '/memo/site.css');
    expect(lastRemembered(target)).toBe(true);
    expect(first.status).toBe(200);
    expect(second.status).toBe(first.status);
    expect(stable(second)).toEqual(stable(first));
    expect(stable(first)).toEqual(expect.arrayContaining(['Cache-Control: public, max-age=3600', 'Content-Type: text/css; charset=utf-8', 'x-amz-meta-release: 42', 'Accept-Ranges: bytes', 'Content-Length: 19']));
    expect(second.body.equals(first.body)).toBe(true);
    expect(first.body.toString()).toBe(method === 'GET' ? 'body { color: red }' : '');
  });

  test('a write through the S3 API is seen by the next read; a deleted object is 403 again', async () => {
    await readAs(target, 'GET', '/memo/site.css');
    await readAs(target, 'GET', '/memo/site.css');
    expect(lastRemembered(target)).toBe(true);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'memo/site.css', Body: 'body { color: blue }', ContentType: 'text/css' }));
    const after = await readAs(target, 'GET', '/memo/site.css');
    expect(lastRemembered(target)).toBe(false);
    expect(after.body.toString()).toBe('body { color: blue }');
    expect(stable(after)).toContain('Content-Type: text/css');
    await readAs(target, 'GET', '/memo/site.css');
    expect(lastRemembered(target)).toBe(true);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'memo/site.css' }));
    const gone = await readAs(target, 'GET', '/memo/site.css');
    expect(gone.status).toBe(403);
    expect(gone.body.toString()).toContain('<Code>AccessDenied</Code>');
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'memo/site.css', Body: 'body { color: red }', ContentType: 'text/css; charset=utf-8', CacheControl: 'public, max-age=3600', Metadata: { release: '42' } }));
  });

  test('the gate still refuses anonymous and wrongly signed requests for a remembered object', async () => {
    await readAs(target, 'GET', '/memo/site.css');
    await readAs(target, 'GET', '/memo/site.css');
    expect(lastRemembered(target)).toBe(true);
    const anonymous = await rawGet('/memo/site.css', {});
    expect(anonymous.status).toBe(403);
    expect(anonymous.body).toContain('<Code>AccessDenied</Code>');
    const wrong = await readAs(target, 'GET', '/memo/site.css', {}, { accessKeyId: s3.readerCredentials.accessKeyId, secretAccessKey: 'wrong' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.toString()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(lastRemembered(target)).toBe(false);
  });

  test.each<[string, string, Record<string, string>, number]>([
    ['a Range', '/memo/site.css', { range: 'bytes=0-3' }, 206],
    ['an If-None-Match', '/memo/site.css', { 'if-none-match': '*' }, 304],
    ['a query parameter S3 ignores', '/memo/site.css?v=2', {}, 200],
    ['a CORS Origin', '/memo/site.css', { origin: 'https://example.com' }, 200],
  ])('a read with %s goes to s3rver every time', async (_what, uri, extra, status) => {
    await readAs(target, 'GET', '/memo/site.css');
    for (let i = 0; i < 2; i++) {
      const answer = await readAs(target, 'GET', uri, extra);
      expect(answer.status).toBe(status);
      expect(lastRemembered(target)).toBe(false);
    }
  });

  test('an object changed under the store\'s folder, not through the API, is read afresh', async () => {
    const directory = tempDir('edgelock-s3-memo-');
    const own = await startEmbeddedS3({ buckets: [BUCKET], directory });
    const ownTarget: S3Target = { s3: own };
    const c = embeddedS3Client(own.endpoint, own.credentials, 'eu-west-1');
    try {
      await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'page.html', Body: 'one', ContentType: 'text/html' }));
      await readAs(ownTarget, 'GET', '/page.html');
      expect((await readAs(ownTarget, 'GET', '/page.html')).body.toString()).toBe('one');
      expect(lastRemembered(ownTarget)).toBe(true);
      // s3rver's layout: <dir>/<bucket>/<key>._S3rver_object
      writeFileSync(path.join(directory, BUCKET, 'page.html._S3rver_object'), 'two!');
      const changed = await readAs(ownTarget, 'GET', '/page.html');
      expect(lastRemembered(ownTarget)).toBe(false);
      expect(changed.body.toString()).toBe('two!');
    } finally {
      c.destroy();
      await own.close();
    }
  });

  test('with rememberReads: false every read goes to s3rver', async () => {
    const own = await startEmbeddedS3({ buckets: [BUCKET], rememberReads: false });
    const c = embeddedS3Client(own.endpoint, own.credentials, 'eu-west-1');
    try {
      await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'page.html', Body: 'one' }));
      for (let i = 0; i < 2; i++) {
        expect((await readAs({ s3: own }, 'GET', '/page.html')).status).toBe(200);
        expect(lastRemembered({ s3: own })).toBe(false);
      }
    } finally {
      c.destroy();
      await own.close();
    }
  });

  test.each<[string, string, string, string[], string | undefined]>([
    ['a signed GET from the local edge', 'GET', '/a.css', ['Host', HOST, 'Authorization', 'AWS4-HMAC-SHA256 x', 'X-Amz-Date', 'd', 'Via', '2.0 x', 'User-Agent', 'Amazon CloudFront'], `GET ${HOST} /a.css`],
    ['a HEAD', 'HEAD', '/a.css', ['Host', HOST], `HEAD ${HOST} /a.css`],
    ['a query string', 'GET', '/a.css?v=1', ['Host', HOST], undefined],
    ['a Range', 'GET', '/a.css', ['Host', HOST, 'Range', 'bytes=0-1'], undefined],
    ['an If-Modified-Since', 'GET', '/a.css', ['Host', HOST, 'If-Modified-Since', 'x'], undefined],
    ['an unknown header', 'GET', '/a.css', ['Host', HOST, 'X-Anything', '1'], undefined],
    ['two Host headers', 'GET', '/a.css', ['Host', HOST, 'Host', 'other'], undefined],
    ['a PUT', 'PUT', '/a.css', ['Host', HOST], undefined],
  ])('plainReadKey: %s', (_name, method, target, rawHeaders, expected) => {
    expect(plainReadKey(method, target, rawHeaders)).toBe(expected);
  });
});

/** The AWS SDK's own signer, the reference the local edge's SigV4 must agree with. */
function sdkSigner(credentials: { accessKeyId: string; secretAccessKey: string }, region: string): SignatureV4 {
  type Data = string | ArrayBuffer | ArrayBufferView;
  const bytes = (d: Data): string | Uint8Array => (typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  class Sha256 {
    private readonly h;
    constructor(secret?: Data) {
      this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
    }
    update(d: Data): void {
      this.h.update(bytes(d));
    }
    async digest(): Promise<Uint8Array> {
      return new Uint8Array(this.h.digest());
    }
  }
  return new SignatureV4({ credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: true });
}

describe('SigV4 without a query string agrees with the AWS SDK\'s signer', () => {
  const credentials = { accessKeyId: 'EDGELOCKDEVTEST', secretAccessKey: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ' };
  const date = new Date('2026-12-02T00:29:03.456Z');
  test.each<[string, string, string, Record<string, string>, string]>([
    ['a CloudFront origin request', 'eu-west-1', '/css/site.css', { via: '2.0 abc.cloudfront.net (CloudFront)', 'x-forwarded-for': '203.0.113.9, 127.0.0.1', 'user-agent': 'Amazon CloudFront', 'accept-encoding': 'br,gzip' }, EMPTY_SHA256],
    ['an encoded path and blanks in values', 'us-east-1', '/a%20b/%C3%A9t%C3%A9.html', { 'x-custom': '  two   spaces\tand a tab  ', 'x-amz-meta-a': 'x' }, EMPTY_SHA256],
    ['headers the SDK leaves unsigned', 'ap-southeast-2', '/x', { 'x-amzn-trace-id': 'Root=1', 'proxy-thing': 'p', 'sec-fetch-mode': 'cors', expect: '100-continue', authorization: 'Basic eA==', date: 'Wed' }, EMPTY_SHA256],
    ['a PUT with a payload hash', 'eu-west-1', '/upload.bin', { 'content-type': 'application/octet-stream', 'content-length': '3' }, createHash('sha256').update('abc').digest('hex')],
  ])('%s', async (_name, region, path, headers, payloadSha256) => {
    const method = payloadSha256 === EMPTY_SHA256 ? 'GET' : 'PUT';
    const host = `${BUCKET}.s3.${region}.amazonaws.com`;
    const ours = await signS3Request({ method, host, path, query: {}, headers, payloadSha256 }, credentials, region, date);
    const sdk = await sdkSigner(credentials, region).sign({ method, protocol: 'http:', hostname: host, path, query: {}, headers: { ...headers, host, 'x-amz-content-sha256': payloadSha256 } }, { signingDate: date });
    expect(ours).toEqual({ authorization: sdk.headers.authorization, 'x-amz-date': sdk.headers['x-amz-date'], 'x-amz-content-sha256': payloadSha256 });
    // And the gate accepts it, at the signing time, and refuses it when anything signed changes.
    const keys = new Map([[credentials.accessKeyId, credentials.secretAccessKey]]);
    const rawHeaders = Object.entries({ ...headers, ...ours, host }).flat();
    expect(await verifySigV4({ method, path, query: {}, rawHeaders }, keys, date.getTime())).toEqual({ ok: true, accessKeyId: credentials.accessKeyId });
    const refused = { ok: false, code: 'SignatureDoesNotMatch' };
    expect(await verifySigV4({ method: method === 'GET' ? 'HEAD' : 'POST', path, query: {}, rawHeaders }, keys, date.getTime())).toMatchObject(refused);
    expect(await verifySigV4({ method, path: `${path}x`, query: {}, rawHeaders }, keys, date.getTime())).toMatchObject(refused);
    expect(await verifySigV4({ method, path, query: { acl: '' }, rawHeaders }, keys, date.getTime())).toMatchObject(refused);
    const otherHost = rawHeaders.map((v, i) => (i > 0 && rawHeaders[i - 1] === 'host' ? `other-${v}` : v));
    expect(await verifySigV4({ method, path, query: {}, rawHeaders: otherHost }, keys, date.getTime())).toMatchObject(refused);
    const otherHash = rawHeaders.map((v, i) => (i > 0 && rawHeaders[i - 1] === 'x-amz-content-sha256' ? createHash('sha256').update('x').digest('hex') : v));
    expect(await verifySigV4({ method, path, query: {}, rawHeaders: otherHash }, keys, date.getTime())).toMatchObject(refused);
    expect(await verifySigV4({ method, path, query: {}, rawHeaders }, new Map([[credentials.accessKeyId, 'another secret']]), date.getTime())).toMatchObject(refused);
  });

  test('a signature with its SignedHeaders reordered or without x-amz-date is refused, as the SDK\'s signer refuses it', async () => {
    const host = `${BUCKET}.s3.eu-west-1.amazonaws.com`;
    const keys = new Map([[credentials.accessKeyId, credentials.secretAccessKey]]);
    const ours = await signS3Request({ method: 'GET', host, path: '/a', query: {}, headers: { via: 'v' }, payloadSha256: EMPTY_SHA256 }, credentials, 'eu-west-1', date);
    const reordered = ours.authorization!.replace('SignedHeaders=host;via;x-amz-content-sha256;x-amz-date', 'SignedHeaders=via;host;x-amz-content-sha256;x-amz-date');
    expect(reordered).not.toBe(ours.authorization);
    const withoutDate = ours.authorization!.replace(';x-amz-date,', ',');
    for (const authorization of [reordered, withoutDate]) {
      const rawHeaders = Object.entries({ via: 'v', ...ours, authorization, host }).flat();
      expect(await verifySigV4({ method: 'GET', path: '/a', query: {}, rawHeaders }, keys, date.getTime())).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    }
  });
});

describe('s3rver\'s putObject, answered only once the object file is written', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const FilesystemStore = require('s3rver/lib/stores/filesystem') as new (dir: string) => S3rverStore;
  const content = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
  const chunked = () => Readable.from(Array.from({ length: 30 }, (_, i) => content.subarray(i * 10_000, (i + 1) * 10_000)));
  const metadata = { 'content-type': 'text/css', 'cache-control': 'no-cache', 'x-amz-meta-release': '42', 'x-amz-unrelated': 'dropped' };

  test.each([['a Buffer', () => content], ['a stream of 30 chunks', chunked]] as const)('%s: every byte is in the file when it resolves, with the files s3rver itself writes', async (_name, body) => {
    const theirs = new FilesystemStore(tempDir('edgelock-s3rver-theirs-'));
    const ours = new FilesystemStore(tempDir('edgelock-s3rver-ours-'));
    awaitObjectWrites(ours);
    const fromOurs = await ours.putObject({ bucket: 'b', key: 'css/site.css', metadata, content: body() });
    // Read at once, in the same turn of the event loop as the answer.
    expect(readFileSync(ours.getResourcePath('b', 'css/site.css', 'object')).equals(content)).toBe(true);
    const fromTheirs = await theirs.putObject({ bucket: 'b', key: 'css/site.css', metadata, content: body() });
    expect(fromOurs).toEqual(fromTheirs);
    expect(fromOurs).toEqual({ size: content.length, md5: createHash('md5').update(content).digest('hex') });
    await new Promise((resolve) => setTimeout(resolve, 50)); // theirs may still be writing
    const files = (store: S3rverStore) => {
      const folder = path.dirname(store.getResourcePath('b', 'css/site.css', 'object'));
      return Object.fromEntries(readdirSync(folder).map((f) => [f, readFileSync(path.join(folder, f)).toString('base64')]));
    };
    expect(files(ours)).toEqual(files(theirs));
  });

  test('a body that fails fails the PUT', async () => {
    const ours = new FilesystemStore(tempDir('edgelock-s3rver-ours-'));
    awaitObjectWrites(ours);
    const broken = new Readable({ read() { this.destroy(new Error('client went away')); } });
    await expect(ours.putObject({ bucket: 'b', key: 'x', metadata: {}, content: broken })).rejects.toThrow('client went away');
  });
});
