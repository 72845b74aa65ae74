/**
 * Reads what a deploy decides from: the site folder (read before this, by local-files.ts: what is
 * published, what is skipped; digests from the local digest cache where a file is unchanged), the last deploy record, the bucket's
 * Object Ownership, then either the bucket listing under the deploy prefix or, when the record can
 * be trusted to describe the bucket, one HEAD per recorded key the site no longer has
 * (listing-need.ts), and, as the ownership requires, the bucket owner's canonical ID and the
 * caller's account.
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
  /** The site folder, already read (scanSite): a bad folder fails before any AWS request. */
  readonly site: ScannedSite;
  readonly endpoint?: string;
  /** The deploy role's account: when a role was assumed, the caller's account without asking STS. */
  readonly roleAccountId?: string;
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

/** The newest deploy record under the prefix; a record that cannot be trusted is reported, not used. */
export async function readLastRecord(io: S3Io, prefix: string): Promise<RecordFact> {
  const keys = (await listBucket(io, recordFolder(prefix), '/')).map((o) => o.key);
  return readRecordAt(io, latestRecordKey(keys, prefix));
}

export async function readDeployFacts(io: S3Io, clients: DeployClients, o: ReadOptions): Promise<DeployFacts> {
  const prefix = o.prefix ?? '';
  const { site } = o;
  const [folder, reading] = await Promise.all([
    listBucket(io, recordFolder(prefix), '/').then((list) => list.map((r) => r.key)),
    readOwnership(io),
  ]);
  const needs = ownershipReadsNeeded(reading, o);
  const owners = Promise.all([
    needs.bucketOwner ? readBucketOwner(io) : Promise.resolve(undefined),
    needs.callerAccount ? (o.roleAccountId ? Promise.resolve(o.roleAccountId) : clients.sts().then(callerAccount)) : Promise.resolve(undefined),
  ]);
  owners.catch(() => undefined); // awaited below; this keeps an early failure from going unhandled meanwhile
  const record = await readRecordAt(io, latestRecordKey(folder, prefix));
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
  const [bucketOwnerId, callerAccountId] = await owners;
  return {
    local: site.files,
    skipped: site.skipped,
    remote,
    record,
    reading,
    basis: need.list ? { kind: 'listing', reason: need.reason } : { kind: 'record', heads: need.heads.length },
    digests: site.digests,
    pendingMarkers: markers.map((m) => m.key),
    ...(bucketOwnerId ? { bucketOwnerId } : {}),
    ...(callerAccountId ? { callerAccountId } : {}),
  };
}
