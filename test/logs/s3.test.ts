/**
 * s3://bucket/prefix against a real S3 endpoint on loopback (s3rver), through the library and
 * through the CLI as users run it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { analyzeLogs } from '../../src/origin/logs';
import { runCliAsync } from '../helpers/cli';
import { startS3rver, type S3rverHandle } from '../helpers/s3rver';

const FIX = path.join(__dirname, 'fixtures');
const BUCKET = 'acme-logs';
let server: S3rverHandle;
let client: S3Client;

beforeAll(async () => {
  server = await startS3rver([BUCKET]);
  client = server.client();
  const put = (Key: string, Body: Buffer) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
  await put('s3/2024-02-06-00-00-00-A1B2C3D4E5F6', readFileSync(path.join(FIX, 'current-s3.log')));
  await put('s3/2019-06-30-16-50-35-0F1E2D3C4B5A', readFileSync(path.join(FIX, 'seed-s3.log')));
  await put('cf/E2QWRUHAPOMQZL.2019-06-30-17.abcd1234.gz', gzipSync(readFileSync(path.join(FIX, 'seed-cloudfront.log'))));
});

afterAll(async () => {
  await server?.stop();
});

test('s3://bucket/prefix reads every object under the prefix, gzip included', async () => {
  const all = (await analyzeLogs([`s3://${BUCKET}/`], { s3: () => client })).summary.toJSON();
  expect(all.files).toBe(3);
  expect(all.records).toEqual({ s3: 7, cloudfront: 2 });
  const cf = (await analyzeLogs([`s3://${BUCKET}/cf/`], { s3: () => client })).summary.toJSON();
  expect(cf.records).toEqual({ s3: 0, cloudfront: 2 });
});

test('a bucket that does not exist is an error naming the bucket and what to check', async () => {
  await expect(analyzeLogs(['s3://no-such-logs/x'], { s3: () => client })).rejects.toThrow(/cannot list s3:\/\/no-such-logs\/x: NoSuchBucket.*check the bucket name/);
});

test('the CLI reads s3:// with the SDK\'s standard settings (endpoint and credentials from the environment)', async () => {
  // Asynchronous: s3rver answers from this process.
  const r = await runCliAsync(['logs', `s3://${BUCKET}/s3/`, '--json'], { env: {
    PATH: process.env.PATH,
    HOME: server.directory,
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  } });
  expect(r.stderr).not.toMatch(/edgelock:/);
  const j = JSON.parse(r.stdout);
  expect(j.records).toEqual({ s3: 7, cloudfront: 0 });
  expect(r.status).toBe(0);
});
