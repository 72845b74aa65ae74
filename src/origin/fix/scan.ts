/**
 * Reads what `fix ownership` needs: the bucket's ownership mode, its owner and ACL, its policy,
 * every object's owner (ListObjectsV2 with FetchOwner) and, up to a limit, every object's ACL.
 */
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetObjectAclCommand,
  ListObjectsV2Command,
  type Grant,
  type S3Client,
} from '@aws-sdk/client-s3';
import { EdgelockError } from '../../errors';
import { parsePolicy, type PolicyDocument } from '../policy';
import { runPool } from '../pool';
import { errorName, NOT_FOUND, orNull } from '../s3/errors';
import { MODE_WITHOUT_CONTROLS, ownershipModeOf, type OwnershipMode } from '../s3/ownership';
import type { ObjectGrants } from './grants';

export interface OwnershipScan {
  readonly bucket: string;
  readonly mode: OwnershipMode;
  readonly ownerId: string;
  readonly bucketGrants: readonly Grant[];
  readonly policy: PolicyDocument | null;
  readonly objectCount: number;
  /** Keys owned by another account. */
  readonly foreign: readonly string[];
  /** Object ACLs read (non-owner grants only matter). */
  readonly objectGrants: readonly ObjectGrants[];
  /** Keys whose ACL the bucket owner was refused (foreign-owned without READ_ACP for it). */
  readonly aclUnreadable: readonly string[];
  /** Objects whose ACL was not read because the bucket is above the scan limit. */
  readonly aclNotScanned: number;
  /** The bucket's default SSE-KMS key, if any. */
  readonly kmsKeyId?: string;
}

const errName = (e: unknown): string => errorName(e) ?? 'Error';

export async function scanOwnership(s3: S3Client, bucket: string, options: { aclScanLimit: number; onProgress?: (done: number, total: number) => void }): Promise<OwnershipScan> {
  try {
    const controls = await orNull(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })), NOT_FOUND.ownershipControls);
    const mode: OwnershipMode = ownershipModeOf(controls) ?? MODE_WITHOUT_CONTROLS;
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    const ownerId = acl.Owner?.ID;
    if (!ownerId) throw new EdgelockError(`GetBucketAcl on ${bucket} returned no owner`, { code: 'AWS_ERROR' });
    const pol = await orNull(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), NOT_FOUND.bucketPolicy);
    const enc = await orNull(s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })), NOT_FOUND.encryption);
    const def = enc?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;

    const keys: string[] = [];
    const foreign: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) {
        keys.push(o.Key!);
        if (mode !== 'BucketOwnerEnforced' && o.Owner?.ID && o.Owner.ID !== ownerId) foreign.push(o.Key!);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);

    const objectGrants: ObjectGrants[] = [];
    const aclUnreadable: string[] = [];
    const toScan = mode === 'BucketOwnerEnforced' ? [] : keys.slice(0, options.aclScanLimit);
    let done = 0;
    await runPool(toScan, 16, async (key) => {
      try {
        const a = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }));
        const others = (a.Grants ?? []).filter((g) => g.Grantee?.ID !== ownerId);
        if (others.length) objectGrants.push({ key, grants: others, ...(a.Owner?.ID ? { ownerId: a.Owner.ID } : {}) });
      } catch (e) {
        if (errName(e) !== 'AccessDenied') throw e;
        aclUnreadable.push(key);
      }
      options.onProgress?.(++done, toScan.length);
    });
    objectGrants.sort((a, b) => (a.key < b.key ? -1 : 1));
    aclUnreadable.sort();
    return {
      bucket,
      mode,
      ownerId,
      bucketGrants: acl.Grants ?? [],
      policy: pol?.Policy ? parsePolicy(pol.Policy, `the bucket policy of ${bucket}`) : null,
      objectCount: keys.length,
      foreign,
      objectGrants,
      aclUnreadable,
      aclNotScanned: mode === 'BucketOwnerEnforced' ? 0 : Math.max(0, keys.length - toScan.length),
      ...(def?.SSEAlgorithm === 'aws:kms' && def.KMSMasterKeyID ? { kmsKeyId: def.KMSMasterKeyID } : {}),
    };
  } catch (err) {
    if (err instanceof EdgelockError) throw err;
    throw new EdgelockError(`cannot read the ownership of bucket ${bucket}: ${errName(err)}: ${(err as Error).message} (run with the bucket owner's credentials: s3:GetBucketOwnershipControls, GetBucketAcl, GetBucketPolicy, ListBucket, GetObjectAcl)`, { code: 'AWS_ERROR', cause: err });
  }
}
