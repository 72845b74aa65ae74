/** A bucket for `fix ownership` tests, answered by aws-sdk-client-mock as S3 would. */
import {
  CopyObjectCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  type Grant,
} from '@aws-sdk/client-s3';
import { CreateJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { s3Error } from '../helpers/aws-errors';
import { OWNER_ID } from './world';

export interface FixObject {
  ownerId: string;
  grants?: Grant[];
}

export interface FixBucket {
  mode: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | null;
  bucketGrants?: Grant[];
  policy?: object;
  objects: Record<string, FixObject>;
}

const s3err = s3Error;
export const ownerGrant = (id = OWNER_ID): Grant => ({ Grantee: { Type: 'CanonicalUser', ID: id }, Permission: 'FULL_CONTROL' });

export function mockFixBucket(b: FixBucket) {
  const s3 = new S3Client({ region: 'eu-west-1' });
  const s3control = new S3ControlClient({ region: 'eu-west-1' });
  const m = mockClient(s3);
  const mc = mockClient(s3control);
  let mode = b.mode;
  m.on(GetBucketOwnershipControlsCommand).callsFake(() => {
    if (!mode) throw s3err('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found');
    return { OwnershipControls: { Rules: [{ ObjectOwnership: mode }] } };
  });
  m.on(PutBucketOwnershipControlsCommand).callsFake((i: { OwnershipControls: { Rules: { ObjectOwnership: FixBucket['mode'] }[] } }) => {
    mode = i.OwnershipControls.Rules[0]!.ObjectOwnership;
    return {};
  });
  m.on(GetBucketAclCommand).resolves({ Owner: { ID: OWNER_ID }, Grants: [ownerGrant(), ...(b.bucketGrants ?? [])] });
  m.on(GetBucketPolicyCommand).callsFake(() => {
    if (!b.policy) throw s3err('NoSuchBucketPolicy', 404, 'The bucket policy does not exist');
    return { Policy: JSON.stringify(b.policy) };
  });
  m.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } });
  m.on(ListObjectsV2Command).callsFake((i: { ContinuationToken?: string }) => {
    // Pages of 1000, as S3 returns them.
    const keys = Object.keys(b.objects).sort();
    const start = i.ContinuationToken ? Number(i.ContinuationToken) : 0;
    const page = keys.slice(start, start + 1000);
    const more = start + 1000 < keys.length;
    return { KeyCount: page.length, IsTruncated: more, ...(more ? { NextContinuationToken: String(start + 1000) } : {}), Contents: page.map((k) => ({ Key: k, Size: 100, Owner: { ID: b.objects[k]!.ownerId } })) };
  });
  m.on(GetObjectAclCommand).callsFake((i: { Key: string }) => {
    const o = b.objects[i.Key]!;
    const grants = o.grants ?? [ownerGrant(o.ownerId)];
    if (o.ownerId !== OWNER_ID && !grants.some((g) => g.Grantee?.ID === OWNER_ID)) throw s3err('AccessDenied', 403, 'Access Denied');
    return { Owner: { ID: o.ownerId }, Grants: grants };
  });
  m.on(HeadObjectCommand).resolves({ ContentType: 'text/html', CacheControl: 'no-cache', Metadata: { build: '42' }, ContentLength: 100 });
  m.on(CopyObjectCommand).resolves({ CopyObjectResult: { ETag: '"abc"' } });
  m.on(PutBucketPolicyCommand).resolves({});
  m.on(PutBucketAclCommand).resolves({});
  m.on(PutObjectCommand).resolves({ ETag: '"0123456789abcdef0123456789abcdef"' });
  mc.on(CreateJobCommand).resolves({ JobId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' });
  return { s3, s3control, m, mc };
}
