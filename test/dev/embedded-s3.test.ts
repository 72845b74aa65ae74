/**
 * The embedded S3 is private: only requests signed with its key pass. s3rver alone serves
 * anonymous requests and never checks SigV4 signatures; these tests prove the gate does both.
 */
import http from 'node:http';
import { GetBucketOwnershipControlsCommand, GetObjectCommand, PutObjectAclCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getObjectTarget, startEmbeddedS3, type EmbeddedS3 } from '../../src/dev/embedded-s3';
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
