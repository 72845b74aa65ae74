/**
 * Carries out an ownership plan, step by step, in the only safe order: grants into the policy
 * first, then the bucket ACL, then the ownership switch, then any copies.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CopyObjectCommand,
  GetBucketOwnershipControlsCommand,
  HeadObjectCommand,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateJobCommand, type S3ControlClient } from '@aws-sdk/client-s3-control';
import { EdgelockError, UsageError } from '../../errors';
import { bucketArn } from '../policy';
import { runPool } from '../pool';
import { batchJobDefinition, manifestCsv } from './batch';
import type { OwnershipPlan } from './plan';

export interface ApplyOptions {
  readonly s3: S3Client;
  readonly s3control: S3ControlClient;
  readonly accountId: string;
  /** Bucket for the Batch Operations manifest and report (never the site bucket). */
  readonly manifestBucket?: string;
  /** The bucket's default SSE-KMS key: in-place copies are re-encrypted with it. */
  readonly kmsKeyId?: string;
  /** Folder where the manifest and job definition are also written. */
  readonly outDir?: string;
  readonly onCopy?: (done: number, total: number) => void;
  /** Idempotency token for the Batch Operations job. */
  readonly token?: string;
}

export interface ApplyResult {
  readonly done: readonly string[];
  readonly copied: number;
  readonly jobId?: string;
}

export async function applyOwnershipFix(plan: OwnershipPlan, o: ApplyOptions): Promise<ApplyResult> {
  if (plan.blockers.length) {
    throw new UsageError(`not changing ${plan.bucket}: resolve these first (or look with --dry-run):\n${plan.blockers.map((b) => `  - ${b}`).join('\n')}`);
  }
  const batch = plan.steps.find((s) => s.kind === 'batch-copy');
  if (batch && !o.manifestBucket) {
    throw new UsageError(`${batch.keys.length} objects are above doctor.batchThreshold, so they are copied by S3 Batch Operations: pass --manifest-bucket NAME (a bucket of this account other than ${plan.bucket}) for its manifest and report`);
  }
  if (batch && o.manifestBucket === plan.bucket) throw new UsageError('--manifest-bucket must not be the site bucket: the distribution would serve the manifest');
  const done: string[] = [];
  let copied = 0;
  let jobId: string | undefined;
  const bucket = plan.bucket;
  for (const step of plan.steps) {
    try {
      switch (step.kind) {
        case 'put-bucket-policy':
          await o.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(step.policy) }));
          done.push(`bucket policy: added ${step.added.length} statement(s) carrying the ACL grants`);
          break;
        case 'reset-bucket-acl':
          await o.s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
          done.push(`bucket ACL reset to private (removed ${step.removed.join(', ')})`);
          break;
        case 'put-ownership-controls': {
          await o.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: step.to }] } }));
          const check = await o.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
          const now = check.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
          if (now !== step.to) throw new EdgelockError(`Object Ownership of ${bucket} reads ${now ?? 'nothing'} after setting ${step.to}`, { code: 'FIX_REFUSED' });
          done.push(`Object Ownership: ${step.from} → ${step.to} (verified)`);
          break;
        }
        case 'copy-in-place':
          await runPool(step.keys, 8, async (key) => {
            const h = await o.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
            // REPLACE with the object's own metadata: a copy onto itself must change something.
            await o.s3.send(
              new CopyObjectCommand({
                Bucket: bucket,
                Key: key,
                CopySource: `${bucket}/${encodeURIComponent(key)}`,
                MetadataDirective: 'REPLACE',
                ...(h.ContentType ? { ContentType: h.ContentType } : {}),
                ...(h.CacheControl ? { CacheControl: h.CacheControl } : {}),
                ...(h.ContentEncoding ? { ContentEncoding: h.ContentEncoding } : {}),
                ...(h.ContentDisposition ? { ContentDisposition: h.ContentDisposition } : {}),
                ...(h.ContentLanguage ? { ContentLanguage: h.ContentLanguage } : {}),
                ...(h.Metadata ? { Metadata: h.Metadata } : {}),
                ...(o.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: o.kmsKeyId } : { ServerSideEncryption: 'AES256' }),
              }),
            );
            copied++;
            o.onCopy?.(copied, step.keys.length);
          });
          done.push(`copied ${copied} object(s) in place: the bucket owner now owns them`);
          break;
        case 'batch-copy': {
          const csv = manifestCsv(bucket, step.keys);
          const manifestKey = `edgelock-fix-ownership/${bucket}/manifest-${o.token ?? Date.now()}.csv`;
          const put = await o.s3.send(new PutObjectCommand({ Bucket: o.manifestBucket!, Key: manifestKey, Body: csv, ContentType: 'text/csv' }));
          const job = batchJobDefinition({
            accountId: o.accountId,
            bucket,
            roleArn: step.roleArn,
            manifestArn: `${bucketArn(o.manifestBucket!)}/${manifestKey}`,
            manifestEtag: put.ETag!.replace(/"/g, ''),
            reportBucketArn: bucketArn(o.manifestBucket!),
            ...(o.kmsKeyId ? { kmsKeyId: o.kmsKeyId } : {}),
            token: o.token ?? `edgelock-${Date.now()}`,
          });
          if (o.outDir) writeBatchFiles(o.outDir, csv, job);
          const r = await o.s3control.send(new CreateJobCommand(job));
          jobId = r.JobId;
          done.push(`S3 Batch Operations job ${jobId} created for ${step.keys.length} objects (manifest s3://${o.manifestBucket}/${manifestKey}); it waits for confirmation: aws s3control update-job-status --account-id ${o.accountId} --job-id ${jobId} --requested-job-status Ready`);
          break;
        }
      }
    } catch (err) {
      if (err instanceof EdgelockError) throw err;
      const e = err as Error;
      const sofar = done.length ? ` Already done: ${done.join('; ')}.` : '';
      throw new EdgelockError(`step "${step.kind}" failed on ${bucket}: ${e.name}: ${e.message}.${sofar} Fix the cause and run the command again: completed steps are skipped because the plan is recomputed.`, { code: 'AWS_ERROR', cause: err });
    }
  }
  return { done, copied, ...(jobId ? { jobId } : {}) };
}

/** Writes the manifest and job definition for review. */
export function writeBatchFiles(outDir: string, csv: string, job: unknown): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'manifest.csv'), csv);
  writeFileSync(path.join(outDir, 'job.json'), `${JSON.stringify(job, null, 2)}\n`);
}
