/**
 * AWS control-plane responses for the deploy tests, shaped as AWS returns them (S3, CloudFront,
 * STS), for the parts s3rver cannot play: ownership controls, ACLs, invalidations, roles.
 */
import type { CreateInvalidationCommandOutput } from '@aws-sdk/client-cloudfront';
import {
  type GetBucketAclCommandOutput,
  type GetBucketOwnershipControlsCommandOutput,
  type GetObjectAclCommandOutput,
  type ListObjectsV2CommandOutput,
  type ObjectOwnership,
} from '@aws-sdk/client-s3';
import type { AssumeRoleCommandOutput, GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3HeadError } from '../helpers/aws-errors';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { LocalFile } from '../../src/origin/deploy/local-files';
import { withHeaders } from '../../src/origin/deploy/plan';
import { serializeRecord, type DeployRecord } from '../../src/origin/deploy/record';

export const BUCKET_OWNER_ID = 'b'.repeat(64); // account B, owner of the bucket
export const DEPLOYER_ID = 'a'.repeat(64); // account A, the tools account
export const OAI_ID = 'c0ffee'.padEnd(64, '0');

export const ownershipControls = (mode: ObjectOwnership): GetBucketOwnershipControlsCommandOutput => ({
  $metadata: { httpStatusCode: 200 },
  OwnershipControls: { Rules: [{ ObjectOwnership: mode }] },
});

export const bucketAcl = (ownerId = BUCKET_OWNER_ID): GetBucketAclCommandOutput => ({
  $metadata: { httpStatusCode: 200 },
  Owner: { ID: ownerId },
  Grants: [{ Grantee: { Type: 'CanonicalUser' as const, ID: ownerId }, Permission: 'FULL_CONTROL' as const }],
});

export const objectAcl = (ownerId: string, extra: { ID?: string; URI?: string; Permission: 'READ' | 'FULL_CONTROL' }[] = []): GetObjectAclCommandOutput => ({
  $metadata: { httpStatusCode: 200 },
  Owner: { ID: ownerId },
  Grants: [
    { Grantee: { Type: 'CanonicalUser' as const, ID: ownerId }, Permission: 'FULL_CONTROL' as const },
    ...extra.map((g) => ({ Grantee: g.URI ? { Type: 'Group' as const, URI: g.URI } : { Type: 'CanonicalUser' as const, ID: g.ID }, Permission: g.Permission })),
  ],
});

export const listing = (objects: { key: string; etag: string; size: number }[]): ListObjectsV2CommandOutput => ({
  $metadata: { httpStatusCode: 200 },
  IsTruncated: false,
  Name: 'acme-site-dev',
  MaxKeys: 1000,
  KeyCount: objects.length,
  Contents: objects.map((o) => ({ Key: o.key, ETag: `"${o.etag}"`, Size: o.size, LastModified: new Date('2026-01-01T00:00:00Z'), StorageClass: 'STANDARD' as const })),
});

export const asRemote = (f: LocalFile) => ({ key: f.key, etag: f.etag, size: f.size });

export const callerIdentity = (account: string): GetCallerIdentityCommandOutput => ({
  $metadata: { httpStatusCode: 200 },
  UserId: 'AROAEXAMPLE:edgelock',
  Account: account,
  Arn: `arn:aws:sts::${account}:assumed-role/edgelock-pipeline/edgelock`,
});

export const assumedRole = (roleArn: string): AssumeRoleCommandOutput => ({
  $metadata: { httpStatusCode: 200 },
  Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3600_000) },
  AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:edgelock-deploy', Arn: roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') },
});

export const invalidation = (id: string, status: 'InProgress' | 'Completed', paths: string[] = []): CreateInvalidationCommandOutput => ({
  $metadata: { httpStatusCode: 201 },
  Location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/E2QWRUHAPOMQZL/invalidation/${id}`,
  Invalidation: { Id: id, Status: status, CreateTime: new Date(), InvalidationBatch: { CallerReference: 'ref', Paths: { Quantity: paths.length, Items: paths } } },
});

export const RECORD_KEY = '.edgelock/deploys/20261130T100000000Z-0a0b0c.json';

/**
 * The last deploy record, as edgelock wrote it, saying edgelock wrote these objects with the
 * default headers: listed under .edgelock/deploys/ and readable with GetObject.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mockRecord(s3Mock: AwsStub<any, any, any>, objects: readonly { key: string; etag: string; size: number; md5?: string }[], extra: Pick<Partial<DeployRecord>, 'invalidation'> = {}): void {
  const headers = new Map(withHeaders(objects.map((o) => ({ key: o.key, path: o.key, size: o.size, md5: o.md5 ?? '0'.repeat(32), etag: o.etag, multipart: false })), undefined, '').map((f) => [f.key, f]));
  const body = serializeRecord({
    format: 'edgelock.deploy-record/1', id: '20261130T100000000Z-0a0b0c', time: '2026-11-30T10:00:00.000Z', environment: 'dev', bucket: 'acme-site-dev', prefix: '', adopted: false,
    objects: objects.map((o) => ({ key: o.key, md5: o.md5 ?? '0'.repeat(32), etag: o.etag, size: o.size, contentType: headers.get(o.key)!.contentType, cacheControl: headers.get(o.key)!.cacheControl })),
    retained: [],
    ...extra,
  });
  s3Mock.on(ListObjectsV2Command, { Prefix: '.edgelock/deploys/' }).resolves(listing([{ key: RECORD_KEY, etag: 'r', size: body.length }]));
  s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).resolves({ $metadata: { httpStatusCode: 200 }, Body: { transformToString: async () => body } } as never);
  // A re-deploy reads the recorded keys the site no longer has with HEAD: each answers as S3 does, any other key 404s.
  mockHeads(s3Mock, objects);
}

/** HeadObject answers shaped like S3's for these objects, and a bodiless 404 for any other key. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mockHeads(s3Mock: AwsStub<any, any, any>, objects: readonly { key: string; etag: string; size: number }[]): void {
  s3Mock.on(HeadObjectCommand).rejects(s3HeadError(404));
  for (const o of objects) {
    s3Mock.on(HeadObjectCommand, { Key: o.key }).resolves({
      $metadata: { httpStatusCode: 200 },
      ETag: `"${o.etag}"`,
      ContentLength: o.size,
      LastModified: new Date('2026-01-01T00:00:00Z'),
      AcceptRanges: 'bytes',
      ServerSideEncryption: 'AES256',
    });
  }
}
