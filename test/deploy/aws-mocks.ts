/**
 * AWS control-plane responses for the deploy tests, shaped as AWS returns them (S3, CloudFront,
 * STS), for the parts s3rver cannot play: ownership controls, ACLs, invalidations, roles.
 */
import { S3ServiceException } from '@aws-sdk/client-s3';
import type { LocalFile } from '../../src/origin/deploy/local-files';

export const BUCKET_OWNER_ID = 'b'.repeat(64); // account B, owner of the bucket
export const DEPLOYER_ID = 'a'.repeat(64); // account A, the tools account
export const OAI_ID = 'c0ffee'.padEnd(64, '0');

export function s3Error(name: string, status: number, message: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, requestId: 'REQ123', attempts: 1, totalRetryDelay: 0 }, message });
}

export const ownershipControls = (mode: string) => ({
  $metadata: { httpStatusCode: 200 },
  OwnershipControls: { Rules: [{ ObjectOwnership: mode }] },
});

export const bucketAcl = (ownerId = BUCKET_OWNER_ID) => ({
  $metadata: { httpStatusCode: 200 },
  Owner: { ID: ownerId },
  Grants: [{ Grantee: { Type: 'CanonicalUser', ID: ownerId }, Permission: 'FULL_CONTROL' }],
});

export const objectAcl = (ownerId: string, extra: { ID?: string; URI?: string; Permission: string }[] = []) => ({
  $metadata: { httpStatusCode: 200 },
  Owner: { ID: ownerId },
  Grants: [
    { Grantee: { Type: 'CanonicalUser', ID: ownerId }, Permission: 'FULL_CONTROL' },
    ...extra.map((g) => ({ Grantee: g.URI ? { Type: 'Group', URI: g.URI } : { Type: 'CanonicalUser', ID: g.ID }, Permission: g.Permission })),
  ],
});

export const listing = (objects: { key: string; etag: string; size: number }[]) => ({
  $metadata: { httpStatusCode: 200 },
  IsTruncated: false,
  Name: 'acme-site-dev',
  MaxKeys: 1000,
  KeyCount: objects.length,
  Contents: objects.map((o) => ({ Key: o.key, ETag: `"${o.etag}"`, Size: o.size, LastModified: new Date('2026-01-01T00:00:00Z'), StorageClass: 'STANDARD' })),
});

export const asRemote = (f: LocalFile) => ({ key: f.key, etag: f.etag, size: f.size });

export const callerIdentity = (account: string) => ({
  $metadata: { httpStatusCode: 200 },
  UserId: 'AROAEXAMPLE:edgelock',
  Account: account,
  Arn: `arn:aws:sts::${account}:assumed-role/edgelock-pipeline/edgelock`,
});

export const assumedRole = (roleArn: string) => ({
  $metadata: { httpStatusCode: 200 },
  Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3600_000) },
  AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:edgelock-deploy', Arn: roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') },
});

export const invalidation = (id: string, status: 'InProgress' | 'Completed', paths: string[] = []) => ({
  $metadata: { httpStatusCode: 201 },
  Location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/E2QWRUHAPOMQZL/invalidation/${id}`,
  Invalidation: { Id: id, Status: status, CreateTime: new Date(), InvalidationBatch: { CallerReference: 'ref', Paths: { Quantity: paths.length, Items: paths } } },
});
