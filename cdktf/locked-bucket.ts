/**
 * LockedBucket: an S3 bucket nobody reaches by accident. All four Block Public Access settings,
 * ACLs disabled (BucketOwnerEnforced), default encryption,
 * versioning, and a bucket policy from `src/origin/policy` (always with the TLS-only deny).
 */
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { bucketArn, type PolicyDocument } from '../src/origin/policy';
import { PropsCheck } from './props';

export type BucketEncryption = { readonly kind: 'sse-s3' } | { readonly kind: 'sse-kms'; readonly keyArn: string };

export interface LockedBucketProps {
  /** The S3 bucket name (3-63 lowercase letters, digits, dots and hyphens). */
  readonly bucketName: string;
  /** Default encryption; SSE-KMS with a bucket key when a key ARN is given. @default { kind: 'sse-s3' } */
  readonly encryption?: BucketEncryption;
  /** Object versioning. @default true */
  readonly versioning?: boolean;
  /**
   * 'BucketOwnerEnforced' disables ACLs. 'BucketOwnerPreferred' only for buckets an older setup still writes through ACLs
   * (the stacks use none: CloudFront logs arrive through standard logging v2).
   * @default 'BucketOwnerEnforced'
   */
  readonly objectOwnership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred';
  /** Write S3 server access logs to this bucket and prefix. @default no access logs */
  readonly accessLogs?: { readonly bucket: string; readonly prefix: string };
  /** Expire objects (and old versions) after this many days. @default never */
  readonly expireAfterDays?: number;
  /**
   * S3 Object Lock with a default retention in GOVERNANCE mode (versioning is then always on):
   * objects cannot be overwritten or deleted for `days` except by a principal allowed
   * s3:BypassGovernanceRetention. Only at bucket creation. @default no Object Lock
   */
  readonly objectLock?: { readonly mode: 'GOVERNANCE'; readonly days: number };
}

export class LockedBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  /** A literal ARN (the name is known at synth time), so policies stay readable. */
  readonly arn: string;
  private readonly publicAccessBlock: S3BucketPublicAccessBlock;
  private readonly ownership: S3BucketOwnershipControls;

  constructor(scope: Construct, id: string, props: LockedBucketProps) {
    super(scope, id);
    checkLockedBucketProps(props, `LockedBucket ${this.node.path}`);
    this.bucketName = props.bucketName;
    this.arn = bucketArn(props.bucketName);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, objectLockEnabled: props.objectLock ? true : undefined });
    const bucket = this.bucket.id;

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownership = new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: props.objectOwnership ?? 'BucketOwnerEnforced' },
    });
    const encryption = props.encryption ?? { kind: 'sse-s3' };
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        encryption.kind === 'sse-kms'
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: encryption.keyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    if (props.objectLock || (props.versioning ?? true)) {
      new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    }
    if (props.objectLock) {
      new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        bucket,
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
      });
    }
    if (props.accessLogs) {
      new S3BucketLoggingA(this, 'access-logs', { bucket, targetBucket: props.accessLogs.bucket, targetPrefix: props.accessLogs.prefix });
    }
    if (props.expireAfterDays) {
      new S3BucketLifecycleConfiguration(this, 'lifecycle', {
        bucket,
        rule: [
          {
            id: 'expire',
            status: 'Enabled',
            filter: [{ prefix: '' }],
            expiration: [{ days: props.expireAfterDays }],
            noncurrentVersionExpiration: [{ noncurrentDays: props.expireAfterDays }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          },
        ],
      });
    }
  }

  /** Attaches the bucket policy, after Block Public Access and ownership are in place. */
  attachPolicy(document: PolicyDocument): S3BucketPolicy {
    return new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: JSON.stringify(document),
      dependsOn: [this.publicAccessBlock, this.ownership],
    });
  }
}

function checkLockedBucketProps(props: LockedBucketProps, source: string): void {
  const check = new PropsCheck(source).bucketName(props.bucketName, 'bucketName');
  const encryption = props.encryption as { kind?: unknown; keyArn?: unknown } | undefined;
  if (encryption !== undefined) {
    check.oneOf(encryption.kind, 'encryption.kind', ['sse-s3', 'sse-kms']).that(encryption.kind !== undefined, 'encryption.kind', 'expected "sse-s3" or "sse-kms"');
    if (encryption.kind === 'sse-kms') check.arn(encryption.keyArn, 'encryption.keyArn', 'kms', /^key\//);
  }
  check.that(props.versioning === undefined || typeof props.versioning === 'boolean', 'versioning', 'expected true or false');
  check.oneOf(props.objectOwnership, 'objectOwnership', ['BucketOwnerEnforced', 'BucketOwnerPreferred']);
  if (props.accessLogs !== undefined) {
    check.bucketName(props.accessLogs.bucket, 'accessLogs.bucket');
    check.that(typeof props.accessLogs.prefix === 'string', 'accessLogs.prefix', 'expected a key prefix such as "s3/" (may be empty)');
  }
  if (props.objectLock !== undefined) {
    check.that(props.objectLock.mode === 'GOVERNANCE', 'objectLock.mode', 'expected "GOVERNANCE"').positiveInteger(props.objectLock.days, 'objectLock.days', 36500)
      .that(props.objectLock.days !== undefined, 'objectLock.days', 'expected the default retention in days');
    check.that(props.versioning !== false, 'versioning', 'Object Lock needs versioning: leave versioning on');
  }
  check.positiveInteger(props.expireAfterDays, 'expireAfterDays', 36500).done();
}
