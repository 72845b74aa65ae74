/**
 * The S3 calls only a rollback makes: the bucket's versioning status, the versions of a key
 * (ListObjectVersions, paged), and a copy of one version back over its key.
 */
import { CopyObjectCommand, GetBucketVersioningCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { errorName, httpStatus } from '../s3/errors';
import { assertNoPublicGrant, type AclParams } from './ownership';
import type { RecordedObject } from './record';
import { withRetry } from './retry';
import { s3Error, type S3Io } from './s3-io';

/** What GetBucketVersioning said: Enabled, Suspended, never enabled (Off), unreadable, or not implemented by the endpoint. */
export type VersioningStatus = 'Enabled' | 'Suspended' | 'Off' | 'denied' | 'unsupported';

export async function readVersioning(io: S3Io): Promise<VersioningStatus> {
  try {
    const out = await withRetry(() => io.s3.send(new GetBucketVersioningCommand({ Bucket: io.bucket })), { attempts: io.attempts });
    // A bucket whose versioning was never enabled answers without a Status.
    return out.Status === 'Enabled' ? 'Enabled' : out.Status === 'Suspended' ? 'Suspended' : 'Off';
  } catch (err) {
    if (errorName(err) === 'AccessDenied' || httpStatus(err) === 403) return 'denied';
    if (errorName(err) === 'NotImplemented' || httpStatus(err) === 501) return 'unsupported';
    throw s3Error(io, 'reading the versioning status', err);
  }
}

/** One stored version of a key (delete markers left out). */
export interface ObjectVersion {
  readonly versionId: string;
  /** Without quotes. */
  readonly etag: string;
  readonly size: number;
  readonly isLatest: boolean;
  readonly lastModified?: Date;
}

/**
 * Every version of exactly `key`, newest first, paged with KeyMarker/VersionIdMarker. S3 lists
 * versions by key, then newest first, so the listing under `Prefix: key` stops at the first other key.
 */
export async function listKeyVersions(io: S3Io, key: string): Promise<ObjectVersion[]> {
  const out: ObjectVersion[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await withRetry(
      () =>
        io.s3.send(
          new ListObjectVersionsCommand({ Bucket: io.bucket, Prefix: key, ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}), ...(versionIdMarker !== undefined ? { VersionIdMarker: versionIdMarker } : {}) }),
        ),
      { attempts: io.attempts },
    ).catch((err) => {
      throw s3Error(io, `listing the versions of ${key}`, err);
    });
    let past = false;
    for (const v of page.Versions ?? []) {
      if (v.Key !== key) {
        if ((v.Key ?? '') > key) past = true;
        continue;
      }
      // "null" is the version of an object written while versioning was off: a real, copyable version.
      if (!v.VersionId) continue;
      out.push({ versionId: v.VersionId, etag: (v.ETag ?? '').replace(/"/g, ''), size: v.Size ?? 0, isLatest: v.IsLatest === true, ...(v.LastModified ? { lastModified: v.LastModified } : {}) });
    }
    // Delete markers of other keys also tell the listing has moved past this key.
    if ((page.DeleteMarkers ?? []).some((m) => (m.Key ?? '') > key)) past = true;
    if (past || !page.IsTruncated) return out;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
    if (keyMarker === undefined) return out;
  }
}

/** The newest version of `key` that holds what the record says edgelock wrote (same ETag and size), if any. */
export function matchingVersion(versions: readonly ObjectVersion[], o: RecordedObject): ObjectVersion | undefined {
  return versions.find((v) => v.etag === o.etag && v.size === o.size);
}

/**
 * Copies one version back over its key with the recorded headers (MetadataDirective REPLACE: the
 * copy carries the record's Content-Type, Cache-Control and Content-Encoding, not the current
 * version's). Returns the ETag S3 stored for the copy, without quotes.
 */
export async function copyVersion(io: S3Io, o: RecordedObject, versionId: string, acl: AclParams): Promise<string> {
  const params = {
    Bucket: io.bucket,
    Key: o.key,
    CopySource: `${io.bucket}/${o.key.split('/').map(encodeURIComponent).join('/')}?versionId=${encodeURIComponent(versionId)}`,
    MetadataDirective: 'REPLACE' as const,
    ContentType: o.contentType,
    CacheControl: o.cacheControl,
    ...(o.contentEncoding ? { ContentEncoding: o.contentEncoding } : {}),
    ...acl,
  };
  assertNoPublicGrant(params, o.key);
  const out = await withRetry(() => io.s3.send(new CopyObjectCommand(params)), { attempts: io.attempts }).catch((err) => {
    throw s3Error(io, `restoring ${o.key} from version ${versionId}`, err);
  });
  return (out.CopyObjectResult?.ETag ?? '').replace(/"/g, '') || o.etag;
}
