/**
 * The S3 data plane of a deploy: list the bucket, read its ownership, put and delete objects,
 * read object ACLs. Each call goes through {@link withRetry}.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { EdgelockError } from '../../errors';
import { MULTIPART_PART_BYTES, type LocalFile } from './local-files';
import { assertNoPublicGrant, type AclParams, type OwnershipReading } from './ownership';
import type { RemoteObject } from './changes';
import { runPool } from '../pool';
import { errorName as sdkErrorName, httpStatus, NOT_FOUND, unreachedReason } from '../s3/errors';
import { MODE_WITHOUT_CONTROLS, ownershipModeOf } from '../s3/ownership';
import { withRetry } from './retry';

export interface S3Io {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly attempts: number;
  /** Aborts the reads that take it (listBucket, getText): reads started before they are known to be needed. */
  readonly signal?: AbortSignal;
}

/** The SDK's per-request options: none unless the reads may be aborted (none keeps each command's middleware cached). */
const abortable = (io: S3Io): { abortSignal: AbortSignal } | undefined => (io.signal ? { abortSignal: io.signal } : undefined);

const unquote = (etag: string | undefined): string | undefined => (etag ? etag.replace(/"/g, '') : undefined);
const errorName = (err: unknown): string => sdkErrorName(err) ?? '';
const status = httpStatus;

/** Wraps an SDK failure in a message that names the bucket and the operation. */
export function s3Error(io: S3Io, what: string, err: unknown): EdgelockError {
  if (err instanceof EdgelockError) return err;
  const name = errorName(err);
  const msg = (err as Error).message ?? String(err);
  // No answer from AWS (or credentials it cannot take) is not a failure of the deploy's work: exit 2, as the doctor does.
  const unreached = unreachedReason(err);
  if (unreached) {
    const fix = unreached === 'credentials' ? 'give valid credentials (e.g. `aws sso login`, AWS_PROFILE, --role-arn)' : 'check the network, proxy and any AWS_ENDPOINT_URL or --endpoint';
    return new EdgelockError(`${what} in bucket ${io.bucket} got no answer from AWS (${msg}): ${fix}, then run it again (a rerun converges)`, { code: 'AWS_UNREACHABLE', exitCode: 2, cause: err });
  }
  let hint = '';
  if (name === NOT_FOUND.bucket) hint = ' (check environments.<env>.bucket, the region and --endpoint)';
  else if (name === 'AccessDenied' || status(err) === 403) hint = ' (check the deploy role\'s permissions on this bucket)';
  return new EdgelockError(`${what} in bucket ${io.bucket} failed: ${name ? `${name}: ` : ''}${msg}${hint}`, { code: 'AWS_ERROR', cause: err });
}

/** Lists the keys under `prefix` ("" for the whole bucket); with a delimiter, only those directly under it. */
export async function listBucket(io: S3Io, prefix = '', delimiter?: string): Promise<RemoteObject[]> {
  const out: RemoteObject[] = [];
  let token: string | undefined;
  do {
    const page = await withRetry(
      () => io.s3.send(new ListObjectsV2Command({ Bucket: io.bucket, ContinuationToken: token, ...(prefix ? { Prefix: prefix } : {}), ...(delimiter ? { Delimiter: delimiter } : {}) }), abortable(io)),
      { attempts: io.attempts, ...(io.signal ? { signal: io.signal } : {}) },
    ).catch((err) => {
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

/** The object's ETag and size, or undefined when there is no such key (404). */
export async function headObject(io: S3Io, key: string): Promise<RemoteObject | undefined> {
  try {
    const out = await withRetry(() => io.s3.send(new HeadObjectCommand({ Bucket: io.bucket, Key: key })), { attempts: io.attempts });
    return { key, etag: (out.ETag ?? '').replace(/"/g, ''), size: out.ContentLength ?? 0 };
  } catch (err) {
    // HEAD errors carry no body: the SDK names a 404 NotFound. A 403 is not taken for "absent".
    if (errorName(err) === NOT_FOUND.head || errorName(err) === NOT_FOUND.key || status(err) === 404) return undefined;
    throw s3Error(io, `reading ${key}`, err);
  }
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

/** Reads an object's body as UTF-8 text (a deploy record). */
export async function getText(io: S3Io, key: string): Promise<string> {
  const out = await withRetry(() => io.s3.send(new GetObjectCommand({ Bucket: io.bucket, Key: key }), abortable(io)), { attempts: io.attempts, ...(io.signal ? { signal: io.signal } : {}) }).catch((err) => {
    throw s3Error(io, `reading ${key}`, err);
  });
  return (await out.Body?.transformToString('utf-8')) ?? '';
}

/** Writes a deploy record: one PutObject (visible whole or not at all), never cached, never public. */
export async function putRecordObject(io: S3Io, key: string, body: string, acl: AclParams): Promise<void> {
  // The owner's full control where the bucket needs it, but never a read grant to the OAI: the distribution has no business reading records.
  const { GrantRead: _oaiRead, ...ownerOnly } = acl as AclParams & { GrantRead?: string };
  const params = { Bucket: io.bucket, Key: key, ContentType: 'application/json', CacheControl: 'no-store', ...ownerOnly };
  assertNoPublicGrant(params, key);
  const bytes = Buffer.from(body, 'utf-8');
  await withRetry(() => io.s3.send(new PutObjectCommand({ ...params, Body: bytes, ContentMD5: createHash('md5').update(bytes).digest('base64') })), { attempts: io.attempts }).catch((err) => {
    throw s3Error(io, `writing the deploy record ${key}`, err);
  });
}

/** Parts of one multipart upload sent at once, at most (fewer when --concurrency is lower). */
export const MAX_PARTS_IN_FLIGHT = 4;

/**
 * Uploads one file: a single PUT up to the part size, a multipart upload above it, with at most
 * `partsInFlight` parts at once. Returns the ETag S3 stored (without quotes).
 */
export async function putFile(io: S3Io, file: LocalFile, headers: PutHeaders, onRequest?: (key: string) => void, partsInFlight = MAX_PARTS_IN_FLIGHT): Promise<string> {
  const params = {
    Bucket: io.bucket,
    Key: file.key,
    ContentType: headers.contentType,
    CacheControl: headers.cacheControl,
    ...headers.acl,
  };
  assertNoPublicGrant(params, file.key);
  return withRetry(
    async () => {
      // Small files are read synchronously (see hashFile); large ones without blocking.
      const body = file.multipart ? await readFile(file.path) : readFileSync(file.path);
      if (body.length !== file.size) throw new EdgelockError(`${file.path} changed while deploying (${file.size} → ${body.length} bytes); rerun once the site build has finished`, { code: 'DEPLOY_REFUSED' });
      onRequest?.(file.key);
      if (!file.multipart) {
        const out = await io.s3.send(new PutObjectCommand({ ...params, Body: body, ContentMD5: Buffer.from(file.md5, 'hex').toString('base64') }));
        return unquote(out.ETag) ?? file.etag;
      }
      const { Upload } = await import('@aws-sdk/lib-storage'); // loaded only when a file needs it
      const out = await new Upload({ client: io.s3, params: { ...params, Body: body }, partSize: MULTIPART_PART_BYTES, queueSize: Math.max(1, partsInFlight) }).done();
      return unquote(out.ETag) ?? file.etag;
    },
    { attempts: io.attempts },
  ).catch((err) => {
    throw s3Error(io, `uploading ${file.key}`, err);
  });
}

/**
 * Gives an unchanged object new headers without re-uploading it: CopyObject onto itself with
 * MetadataDirective REPLACE (S3 stores the same bytes). Returns the ETag S3 stored.
 */
export async function copyHeadersInPlace(io: S3Io, file: LocalFile, headers: PutHeaders): Promise<string> {
  const params = {
    Bucket: io.bucket,
    Key: file.key,
    CopySource: `${io.bucket}/${file.key.split('/').map(encodeURIComponent).join('/')}`,
    MetadataDirective: 'REPLACE' as const,
    ContentType: headers.contentType,
    CacheControl: headers.cacheControl,
    ...headers.acl,
  };
  assertNoPublicGrant(params, file.key);
  const out = await withRetry(() => io.s3.send(new CopyObjectCommand(params)), { attempts: io.attempts }).catch((err) => {
    throw s3Error(io, `updating the headers of ${file.key}`, err);
  });
  return unquote(out.CopyObjectResult?.ETag) ?? file.etag;
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
