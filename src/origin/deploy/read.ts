/**
 * Reads what a deploy decides from, in three parts (index.ts runs them): the records folder and the
 * last deploy record (readLastDeploy, while local-files.ts reads the site folder); then either the
 * bucket listing under the deploy prefix or, when the record can be trusted to describe the bucket,
 * one HEAD per recorded key the site no longer has (readDeployFacts, listing-need.ts); and, only for
 * a deploy that writes, the bucket's Object Ownership and, as it requires, the bucket owner's
 * canonical ID and the caller's account (readOwnershipFacts).
 */
import { isReservedPath } from '../../edge/reserved-keys';
import { EdgelockError } from '../../errors';
import { runPool } from '../pool';
import type { RemoteObject } from './changes';
import { callerAccount, type DeployClients } from './clients';
import type { ScannedSite } from './local-files';
import { ownershipReadsNeeded, type DeployFacts, type RecordFact } from './plan';
import { listingNeed, remoteFromRecord } from './listing-need';
import { latestRecordKey, parseRecord, pendingMarkers, recordFolder } from './record';
import { getText, headObject, listBucket, readBucketOwner, readOwnership, type S3Io } from './s3-io';

export interface ReadOptions {
  /** The site folder, already read (scanSite). */
  readonly site: ScannedSite;
  /** deploy.prefix ("" for the root). */
  readonly prefix?: string;
  /** What decides between a full listing and the record (listing-need.ts). */
  readonly dryRun?: boolean;
  readonly adopt?: boolean;
  readonly fullListing?: boolean;
  /** HEADs in flight at once. @default 16 */
  readonly concurrency?: number;
  /** @default MAX_HEADS */
  readonly maxHeads?: number;
}

/** The newest deploy record among the records folder's keys; a record that cannot be trusted is reported, not used. */
export async function readRecordAt(io: S3Io, key: string | undefined): Promise<RecordFact> {
  if (!key) return { kind: 'none' };
  try {
    return { kind: 'found', key, record: parseRecord(key, await getText(io, key)) };
  } catch (err) {
    if (err instanceof EdgelockError && err.code === 'DEPLOY_RECORD_INVALID') return { kind: 'invalid', key, problem: err.message };
    throw err;
  }
}

/** The records folder under a prefix, as listed, and the newest record in it. */
export interface LastDeploy {
  /** Every key directly under the records folder: records and pending markers. */
  readonly folder: readonly string[];
  readonly record: RecordFact;
}

/**
 * Lists the records folder and reads the newest record: what a deploy reads first. It needs
 * nothing from the site folder, so a deploy starts it while the folder is still being read.
 */
export async function readLastDeploy(io: S3Io, prefix: string): Promise<LastDeploy> {
  const folder = (await listBucket(io, recordFolder(prefix), '/')).map((o) => o.key);
  return { folder, record: await readRecordAt(io, latestRecordKey(folder, prefix)) };
}

/** The newest deploy record under the prefix; a record that cannot be trusted is reported, not used. */
export async function readLastRecord(io: S3Io, prefix: string): Promise<RecordFact> {
  return (await readLastDeploy(io, prefix)).record;
}

/** What the deploy compares the site against: everything the plan needs but the bucket's ownership. */
export type ComparedFacts = Omit<DeployFacts, 'reading' | 'bucketOwnerId' | 'callerAccountId' | 'preflight'>;

export async function readDeployFacts(io: S3Io, last: LastDeploy, o: ReadOptions): Promise<ComparedFacts> {
  const prefix = o.prefix ?? '';
  const { site } = o;
  const { folder, record } = last;
  const markers = pendingMarkers(folder, prefix);
  const lastId = record.kind === 'found' ? record.record.id : undefined;
  const localKeys = new Set(site.files.map((f) => f.key));
  const need = listingNeed({
    record,
    pendingNewer: markers.filter((m) => lastId === undefined || m.id > lastId).map((m) => m.id),
    bucket: io.bucket,
    prefix,
    localKeys,
    dryRun: o.dryRun ?? false,
    adopt: o.adopt ?? false,
    fullListing: o.fullListing ?? false,
    ...(o.maxHeads !== undefined ? { maxHeads: o.maxHeads } : {}),
  });
  let remote: RemoteObject[];
  if (need.list) {
    // edgelock's own records are never part of the site.
    remote = (await listBucket(io, prefix)).filter((r) => !isReservedPath(r.key));
  } else {
    const headed: (RemoteObject | undefined)[] = [];
    await runPool(need.heads, o.concurrency ?? 16, async (key) => void headed.push(await headObject(io, key)));
    remote = remoteFromRecord(record, localKeys, headed);
  }
  return {
    local: site.files,
    skipped: site.skipped,
    remote,
    record,
    basis: need.list ? { kind: 'listing', reason: need.reason } : { kind: 'record', heads: need.heads.length },
    digests: site.digests,
    pendingMarkers: markers.map((m) => m.key),
  };
}

export type OwnershipFacts = Pick<DeployFacts, 'reading' | 'bucketOwnerId' | 'callerAccountId'>;

/**
 * The bucket's Object Ownership and, as it requires, the bucket owner's canonical ID and the
 * caller's account: what decides the ACL of every write (ownership.ts).
 */
export async function readOwnershipFacts(io: S3Io, clients: DeployClients, o: { readonly endpoint?: string; readonly roleAccountId?: string }): Promise<OwnershipFacts> {
  const reading = await readOwnership(io);
  const needs = ownershipReadsNeeded(reading, o);
  const [bucketOwnerId, callerAccountId] = await Promise.all([
    needs.bucketOwner ? readBucketOwner(io) : Promise.resolve(undefined),
    needs.callerAccount ? (o.roleAccountId ? Promise.resolve(o.roleAccountId) : clients.sts().then(callerAccount)) : Promise.resolve(undefined),
  ]);
  return { reading, ...(bucketOwnerId ? { bucketOwnerId } : {}), ...(callerAccountId ? { callerAccountId } : {}) };
}
