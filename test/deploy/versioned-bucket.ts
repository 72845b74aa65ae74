/**
 * A versioned bucket for the rollback tests: s3rver stores every object for real (and serves it
 * over HTTP, so the probe fetches real bytes), and aws-sdk-client-mock, on the one S3 client the
 * deploy and the rollback are given, adds what s3rver lacks: versions. Each write through that
 * client goes to s3rver and is noted as a version; ListObjectVersions, GetBucketVersioning and a
 * CopyObject from `?versionId=` are answered from those notes, shaped exactly as S3 answers them
 * (quoted ETags, newest first per key, delete markers, KeyMarker/VersionIdMarker paging). The copy
 * of a version writes that version's bytes to s3rver with the copy's headers, as S3 would store it.
 */
import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  type CopyObjectCommandInput,
  type ListObjectVersionsCommandInput,
  type ListObjectVersionsCommandOutput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { s3Error } from '../helpers/aws-errors';

export const OWNER = { DisplayName: 'acme-dev', ID: 'b'.repeat(64) };

interface Version {
  readonly key: string;
  readonly versionId: string;
  readonly lastModified: Date;
  readonly deleteMarker: boolean;
  readonly etag?: string;
  readonly body?: Buffer;
}

export interface VersionedBucket {
  /** The client to give deploySite/rollbackSite (`clients: { s3 }`). */
  readonly s3: S3Client;
  /** Bucket versioning as GetBucketVersioning reports it (undefined: never enabled). */
  status: 'Enabled' | 'Suspended' | undefined;
  /** MaxKeys of each ListObjectVersions page (small, so paging is exercised). */
  pageSize: number;
  /** Every CopyObject input, in order. */
  readonly copies: CopyObjectCommandInput[];
  /** Every ListObjectVersions input, in order. */
  readonly versionListings: ListObjectVersionsCommandInput[];
  /** Writes an object as another process would (a new version). */
  put(key: string, body: string): Promise<void>;
  /** Removes one version for good, as a lifecycle rule on noncurrent versions would. */
  expireVersions(key: string, keep: (etag: string | undefined) => boolean): void;
  /** The version IDs of `key`, newest first. */
  versionsOf(key: string): { versionId: string; etag?: string; deleteMarker: boolean }[];
  stop(): void;
}

const toBuffer = (body: PutObjectCommandInput['Body']): Buffer => {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new Error('the versioned test bucket takes Buffer, Uint8Array or string bodies');
};

/** @param real an unmocked client to s3rver (or to a fault proxy in front of it) */
export function versionedBucket(bucket: string, real: S3Client): VersionedBucket {
  const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const mock = mockClient(s3);
  const history: Version[] = [];
  let counter = 0;
  let clock = Date.UTC(2026, 10, 1);
  const newVersionId = (): string => createHash('sha256').update(String(++counter)).digest('base64').replace(/[+/=]/g, '').slice(0, 32);
  const note = (key: string, v: Omit<Version, 'key' | 'versionId' | 'lastModified'>): string => {
    const versionId = newVersionId();
    history.push({ key, versionId, lastModified: new Date((clock += 1000)), ...v });
    return versionId;
  };
  const forward = <I extends object, C extends new (input: I) => never>(Command: C) =>
    mock.on(Command as never).callsFake((input: I) => real.send(new Command(input) as never));
  for (const C of [ListObjectsV2Command, GetObjectCommand, HeadObjectCommand, GetBucketOwnershipControlsCommand, GetBucketAclCommand]) forward(C as never);

  const world: VersionedBucket = {
    s3,
    status: 'Enabled',
    pageSize: 2,
    copies: [],
    versionListings: [],
    async put(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body) }));
    },
    expireVersions(key, keep) {
      for (let i = history.length - 1; i >= 0; i--) if (history[i]!.key === key && !keep(history[i]!.etag)) history.splice(i, 1);
    },
    versionsOf(key) {
      return history.filter((v) => v.key === key).reverse().map((v) => ({ versionId: v.versionId, ...(v.etag ? { etag: v.etag } : {}), deleteMarker: v.deleteMarker }));
    },
    stop() {
      mock.restore();
    },
  };

  mock.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
    const out = await real.send(new PutObjectCommand(input));
    const versionId = note(input.Key!, { deleteMarker: false, etag: (out.ETag ?? '').replace(/"/g, ''), body: toBuffer(input.Body) });
    return { ...out, ...(world.status === 'Enabled' ? { VersionId: versionId } : {}) };
  });

  mock.on(DeleteObjectsCommand).callsFake(async (input: { Bucket: string; Delete: { Objects: { Key: string }[] } }) => {
    const out = await real.send(new DeleteObjectsCommand(input as never));
    for (const o of input.Delete.Objects) note(o.Key, { deleteMarker: true });
    return out;
  });

  mock.on(CopyObjectCommand).callsFake(async (input: CopyObjectCommandInput) => {
    world.copies.push(input);
    const [source, query] = input.CopySource!.split('?');
    const sourceKey = decodeURIComponent(source!.slice(bucket.length + 1));
    const wanted = query ? new URLSearchParams(query).get('versionId') : undefined;
    const live = history.filter((v) => v.key === sourceKey);
    const from = wanted ? live.find((v) => v.versionId === wanted) : live[live.length - 1];
    if (!from || from.deleteMarker) {
      throw s3Error(wanted ? 'NoSuchVersion' : 'NoSuchKey', 404, wanted ? 'The specified version does not exist.' : 'The specified key does not exist.');
    }
    // S3 stores the source's bytes under the key with the headers the copy names (MetadataDirective REPLACE).
    const out = await real.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: input.Key!,
        Body: from.body!,
        ...(input.ContentType ? { ContentType: input.ContentType } : {}),
        ...(input.CacheControl ? { CacheControl: input.CacheControl } : {}),
        ...(input.ContentEncoding ? { ContentEncoding: input.ContentEncoding } : {}),
      }),
    );
    const versionId = note(input.Key!, { deleteMarker: false, etag: (out.ETag ?? '').replace(/"/g, ''), body: from.body! });
    return {
      $metadata: { httpStatusCode: 200 },
      CopyObjectResult: { ETag: out.ETag, LastModified: new Date(clock) },
      ...(world.status === 'Enabled' ? { VersionId: versionId } : {}),
      CopySourceVersionId: from.versionId,
    };
  });

  mock.on(GetBucketVersioningCommand).callsFake(async () => ({ $metadata: { httpStatusCode: 200 }, ...(world.status ? { Status: world.status } : {}) }));

  mock.on(ListObjectVersionsCommand).callsFake(async (input: ListObjectVersionsCommandInput): Promise<ListObjectVersionsCommandOutput> => {
    world.versionListings.push(input);
    const prefix = input.Prefix ?? '';
    const max = Math.min(input.MaxKeys ?? world.pageSize, world.pageSize);
    // S3's order: by key, then newest first.
    const all = history
      .filter((v) => v.key.startsWith(prefix))
      .map((v, i) => ({ v, i }))
      .sort((a, b) => (a.v.key < b.v.key ? -1 : a.v.key > b.v.key ? 1 : b.i - a.i))
      .map(({ v }) => v);
    const latest = new Map<string, string>();
    for (const v of history) latest.set(v.key, v.versionId);
    let start = 0;
    if (input.KeyMarker !== undefined) {
      if (input.VersionIdMarker) start = all.findIndex((v) => v.key === input.KeyMarker && v.versionId === input.VersionIdMarker) + 1;
      else start = all.findIndex((v) => v.key > input.KeyMarker!);
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + max);
    const truncated = start + max < all.length;
    const last = page[page.length - 1];
    return {
      $metadata: { httpStatusCode: 200 },
      Name: bucket,
      Prefix: prefix,
      KeyMarker: input.KeyMarker ?? '',
      VersionIdMarker: input.VersionIdMarker ?? '',
      MaxKeys: max,
      IsTruncated: truncated,
      ...(truncated && last ? { NextKeyMarker: last.key, NextVersionIdMarker: last.versionId } : {}),
      Versions: page
        .filter((v) => !v.deleteMarker)
        .map((v) => ({ ETag: `"${v.etag}"`, Size: v.body!.length, StorageClass: 'STANDARD' as const, Key: v.key, VersionId: v.versionId, IsLatest: latest.get(v.key) === v.versionId, LastModified: v.lastModified, Owner: OWNER })),
      DeleteMarkers: page.filter((v) => v.deleteMarker).map((v) => ({ Owner: OWNER, Key: v.key, VersionId: v.versionId, IsLatest: latest.get(v.key) === v.versionId, LastModified: v.lastModified })),
    } as ListObjectVersionsCommandOutput;
  });

  return world;
}
