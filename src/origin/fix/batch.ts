/**
 * An S3 Batch Operations job that copies objects in place (so the bucket owner writes, and owns,
 * every copy), with its CSV manifest: for buckets where a loop of CopyObject calls would be too
 * slow. Pure: the caller writes the files and uploads the manifest.
 */
import type { CreateJobCommandInput } from '@aws-sdk/client-s3-control';
import { bucketArn } from '../policy';

/** One manifest line per object: bucket,key with the key URL-encoded, as Batch Operations expects. */
export function manifestCsv(bucket: string, keys: Iterable<string>): string {
  let out = '';
  for (const k of keys) out += `${bucket},${encodeURIComponent(k).replace(/%2F/g, '/')}\n`;
  return out;
}

export interface BatchJobInput {
  readonly accountId: string;
  readonly bucket: string;
  readonly roleArn: string;
  /** Where the manifest will be uploaded (a bucket other than the site bucket) and its ETag once uploaded. */
  readonly manifestArn: string;
  readonly manifestEtag: string;
  readonly reportBucketArn: string;
  /** The bucket's default encryption: copies are re-encrypted with it (an in-place copy must change an attribute). */
  readonly kmsKeyId?: string;
  readonly token: string;
}

export function batchJobDefinition(i: BatchJobInput): CreateJobCommandInput {
  return {
    AccountId: i.accountId,
    ConfirmationRequired: true,
    Description: `edgelock fix ownership: copy objects of ${i.bucket} in place so the bucket owner owns them`,
    Priority: 10,
    RoleArn: i.roleArn,
    ClientRequestToken: i.token,
    Operation: {
      S3PutObjectCopy: {
        TargetResource: bucketArn(i.bucket),
        MetadataDirective: 'COPY',
        ...(i.kmsKeyId ? { SSEAwsKmsKeyId: i.kmsKeyId, BucketKeyEnabled: true } : { NewObjectMetadata: { SSEAlgorithm: 'AES256' } }),
      },
    },
    Manifest: {
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
      Location: { ObjectArn: i.manifestArn, ETag: i.manifestEtag },
    },
    Report: { Enabled: true, Bucket: i.reportBucketArn, Format: 'Report_CSV_20180820', Prefix: `edgelock-fix-ownership/${i.bucket}`, ReportScope: 'FailedTasksOnly' },
  };
}
