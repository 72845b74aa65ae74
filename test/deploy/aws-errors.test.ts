/**
 * The test helper's S3 errors are the errors the SDK builds from the wire: each case is answered by
 * a loopback HTTP server, caught from a real S3Client, and compared with the helper's error
 * (class, name, message, fault, metadata and every own field).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetBucketAclCommand, GetBucketOwnershipControlsCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { HOST_ID, REQUEST_ID, s3Error, s3HeadError } from '../helpers/aws-errors';
import './fixtures';

interface Answer {
  readonly status: number;
  readonly code?: string;
  readonly message?: string;
}

let server: http.Server;
let s3: S3Client;
let next: Answer;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = next.code
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${next.code}</Code><Message>${next.message}</Message><RequestId>${REQUEST_ID}</RequestId><HostId>${HOST_ID}</HostId></Error>`
      : '';
    res.writeHead(next.status, { 'x-amz-request-id': REQUEST_ID, 'x-amz-id-2': HOST_ID, ...(body ? { 'content-type': 'application/xml' } : {}) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s3 = new S3Client({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
});
afterAll(() => {
  s3.destroy();
  return new Promise<void>((r) => server.close(() => r()));
});

type Call = (client: S3Client) => Promise<unknown>;

async function fromWire(call: Call, answer: Answer): Promise<unknown> {
  next = answer;
  return call(s3).then(
    () => new Error('the call should have failed'),
    (e: unknown) => e,
  );
}

const shape = (e: unknown) => {
  const err = e as Error & Record<string, unknown>;
  return { class: err.constructor.name, fields: Object.fromEntries(Object.keys(err).sort().map((k) => [k, err[k]])), name: err.name, message: err.message };
};

describe('S3 errors from the helper match the SDK\'s', () => {
  test.each<[string, Call, string, number, string]>([
    ['GetObject NoSuchKey (a modeled class)', (c: S3Client) => c.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })), 'NoSuchKey', 404, 'The specified key does not exist.'],
    ['GetBucketOwnershipControls AccessDenied (a modeled class)', (c: S3Client) => c.send(new GetBucketOwnershipControlsCommand({ Bucket: 'b' })), 'AccessDenied', 403, 'Access Denied'],
    ['GetBucketOwnershipControls OwnershipControlsNotFoundError (not modeled)', (c: S3Client) => c.send(new GetBucketOwnershipControlsCommand({ Bucket: 'b' })), 'OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found'],
    ['GetBucketAcl NoSuchBucket', (c: S3Client) => c.send(new GetBucketAclCommand({ Bucket: 'b' })), 'NoSuchBucket', 404, 'The specified bucket does not exist'],
    ['GetBucketAcl SlowDown (a server fault)', (c: S3Client) => c.send(new GetBucketAclCommand({ Bucket: 'b' })), 'SlowDown', 503, 'Please reduce your request rate.'],
  ])('%s', async (_name, command, code, status, message) => {
    const wire = await fromWire(command, { status, code, message });
    expect(shape(s3Error(code, status, message))).toEqual(shape(wire));
  });

  test.each([404, 403, 400, 500])('HeadObject %i: no body, named from the status', async (status) => {
    const wire = await fromWire((c) => c.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' })), { status });
    expect(shape(s3HeadError(status))).toEqual(shape(wire));
    expect((wire as Error).name).toBe(status === 404 ? 'NotFound' : 'Unknown');
    expect((wire as Error).message).toBe('UnknownError');
  });
});
