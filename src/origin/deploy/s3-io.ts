/**
 * The S3 data plane of a deploy: list the bucket, read its ownership, put and delete objects,
 * read object ACLs. Each call goes through {@link withRetry}.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { EdgelockError } from '../../errors';
import { MULTIPART_PART_BYTES, type LocalFile } from './local-files';
import { assertNoPublicGrant, type AclParams, type OwnershipReading } from './ownership';
import type { RemoteObject } from './changes';
import { runPool } from '../pool';
import { errorName as sdkErrorName, httpStatus, NOT_FOUND } from '../s3/errors';
import { MODE_WITHOUT_CONTROLS, ownershipModeOf } from '../s3/ownership';
import { withRetry } from './retry';

export interface S3Io {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly attempts: number;
}

const errorName = (err: unknown): string => sdkErrorName(err) ?? '';
const status = httpStatus;

/** Wraps an SDK failure in a message that names the bucket and the operation. */
export function s3Error(io: S3Io, what: string, err: unknown): EdgelockError {
  if (err instanceof EdgelockError) return err;
  const name = errorName(err);
  const msg = (err as Error).message ?? String(err);
  let hint = '';
  if (name === NOT_FOUND.bucket) hint = ' (check environments.<env>.bucket, the region and --endpoint)';
  else if (name === 'AccessDenied' || status(err) === 403) hint = ' (check the deploy role\'s permissions on this bucket)';
  return new EdgelockError(`${what} in bucket ${io.bucket} failed: ${name ? `${name}: ` : ''}${msg}${hint}`, { code: 'AWS_ERROR', cause: err });
}

export async function listBucket(io: S3Io): Promise<RemoteObject[]> {
  const out: RemoteObject[] = [];
  let token: string | undefined;
  do {
    const page = await withRetry(() => io.s3.send(new ListObjectsV2Command({ Bucket: io.bucket, ContinuationToken: token })), { attempts: io.attempts }).catch((err) => {
      throw s3Error(io, 'listing the objects', err);
    });
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      out.push({ key: o.Key, etag: (o.ETag ?? '').replace(/"/g, ''), size: o.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

export async function readOwnership(io: S3Io): Promise<OwnershipReading> {
  try {
    const out = await withRetry(() => io.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: io.bucket })), { attempts: io.attempts });
    const mode = ownershipModeOf(out);
    // AWS always answers 200 with a rule; an answer without one comes from an endpoint that ignored the query (s3rver).
    return mode ? { kind: 'read', mode } : { kind: 'unsupported' };
  } catch (err) {
    const name = errorName(err);
    // A bucket without ownership controls behaves as ObjectWriter (buckets made before April 2023).
    if (name === NOT_FOUND.ownershipControls) return { kind: 'read', mode: MODE_WITHOUT_CONTROLS };
    if (name === 'AccessDenied' || status(err) === 403) return { kind: 'denied' };
    if (name === 'NotImplemented' || status(err) === 501) return { kind: 'unsupported' };
    throw s3Error(io, 'reading Object Ownership', err);
  }
}

/** The bucket owner's canonical ID, or undefined when GetBucketAcl is denied or not implemented. */
export async function readBucketOwner(io: S3Io): Promise<string | undefined> {
  try {
    const out = await withRetry(() => io.s3.send(new GetBucketAclCommand({ Bucket: io.bucket })), { attempts: io.attempts });
    return out.Owner?.ID;
  } catch (err) {
    const name = errorName(err);
    if (name === 'AccessDenied' || name === 'NotImplemented' || status(err) === 403 || status(err) === 501) return undefined;
    throw s3Error(io, 'reading the bucket ACL', err);
  }
}

export interface PutHeaders {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly acl: AclParams;
}

/** Uploads one file: a single PUT up to the part size, a multipart upload above it. */
export async function putFile(io: S3Io, file: LocalFile, headers: PutHeaders, onRequest?: (key: string) => void): Promise<void> {
  const params = {
    Bucket: io.bucket,
    Key: file.key,
    ContentType: headers.contentType,
    CacheControl: headers.cacheControl,
    ...headers.acl,
  };
  assertNoPublicGrant(params, file.key);
  await withRetry(
    async () => {
      // Small files are read synchronously (see hashFile); large ones without blocking.
      const body = file.multipart ? await readFile(file.path) : readFileSync(file.path);
      if (body.length !== file.size) throw new EdgelockError(`${file.path} changed while deploying (${file.size} → ${body.length} bytes); rerun once the site build has finished`, { code: 'DEPLOY_REFUSED' });
      onRequest?.(file.key);
      if (!file.multipart) {
        await io.s3.send(new PutObjectCommand({ ...params, Body: body, ContentMD5: Buffer.from(file.md5, 'hex').toString('base64') }));
      } else {
        const { Upload } = await import('@aws-sdk/lib-storage'); // loaded only when a file needs it
        await new Upload({ client: io.s3, params: { ...params, Body: body }, partSize: MULTIPART_PART_BYTES, queueSize: 4 }).done();
      }
    },
    { attempts: io.attempts },
  ).catch((err) => {
    throw s3Error(io, `uploading ${file.key}`, err);
  });
}

/** Deletes keys in batches of 1,000 (DeleteObjects' limit); any per-key error fails the deploy. */
export async function deleteKeys(io: S3Io, keys: readonly string[], concurrency: number): Promise<void> {
  const batches: string[][] = [];
  for (let i = 0; i < keys.length; i += 1000) batches.push(keys.slice(i, i + 1000));
  await runPool(batches, Math.max(1, Math.min(4, concurrency)), async (batch) => {
    const out = await withRetry(
      () => io.s3.send(new DeleteObjectsCommand({ Bucket: io.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } })),
      { attempts: io.attempts },
    ).catch((err) => {
      throw s3Error(io, 'deleting old objects', err);
    });
    const failed = out.Errors ?? [];
    if (failed.length > 0) {
      throw new EdgelockError(`deleting ${failed.length} old object(s) from ${io.bucket} failed, e.g. ${failed[0]!.Key}: ${failed[0]!.Code} ${failed[0]!.Message ?? ''}`.trim(), { code: 'AWS_ERROR' });
    }
  });
}

export interface ObjectAcl {
  readonly ownerId?: string;
  readonly grants: readonly { readonly granteeId?: string; readonly granteeUri?: string; readonly permission?: string }[];
}

export async function readObjectAcl(io: S3Io, key: string): Promise<ObjectAcl> {
  const out = await withRetry(() => io.s3.send(new GetObjectAclCommand({ Bucket: io.bucket, Key: key })), { attempts: io.attempts });
  return {
    ...(out.Owner?.ID ? { ownerId: out.Owner.ID } : {}),
    grants: (out.Grants ?? []).map((g) => ({
      ...(g.Grantee?.ID ? { granteeId: g.Grantee.ID } : {}),
      ...(g.Grantee?.URI ? { granteeUri: g.Grantee.URI } : {}),
      ...(g.Permission ? { permission: g.Permission } : {}),
    })),
  };
}
