/**
 * Reads what a deploy decides from: the site folder (what is published, what is skipped), the
 * bucket listing under the deploy prefix, the last deploy record, the bucket's Object Ownership,
 * then, as the ownership requires, the bucket owner's canonical ID and the caller's account.
 */
import { isReservedPath } from '../../edge/reserved-keys';
import { EdgelockError } from '../../errors';
import { callerAccount, type DeployClients } from './clients';
import { scanSite } from './local-files';
import { ownershipReadsNeeded, type DeployFacts, type RecordFact } from './plan';
import { latestRecordKey, parseRecord, recordFolder } from './record';
import { getText, listBucket, readBucketOwner, readOwnership, type S3Io } from './s3-io';
import type { SelectionRules } from './site-filter';

export interface ReadOptions {
  readonly dir: string;
  readonly endpoint?: string;
  /** The deploy role's account: when a role was assumed, the caller's account without asking STS. */
  readonly roleAccountId?: string;
  /** deploy.prefix ("" for the root). */
  readonly prefix?: string;
  readonly rules?: SelectionRules;
}

/** The newest deploy record under the prefix; a record that cannot be trusted is reported, not used. */
export async function readLastRecord(io: S3Io, prefix: string): Promise<RecordFact> {
  const keys = (await listBucket(io, recordFolder(prefix), '/')).map((o) => o.key);
  const key = latestRecordKey(keys, prefix);
  if (!key) return { kind: 'none' };
  try {
    return { kind: 'found', key, record: parseRecord(key, await getText(io, key)) };
  } catch (err) {
    if (err instanceof EdgelockError && err.code === 'DEPLOY_RECORD_INVALID') return { kind: 'invalid', key, problem: err.message };
    throw err;
  }
}

export async function readDeployFacts(io: S3Io, clients: DeployClients, o: ReadOptions): Promise<DeployFacts> {
  const prefix = o.prefix ?? '';
  const [site, listed, record, reading] = await Promise.all([scanSite(o.dir, o.rules, prefix), listBucket(io, prefix), readLastRecord(io, prefix), readOwnership(io)]);
  const needs = ownershipReadsNeeded(reading, o);
  const [bucketOwnerId, callerAccountId] = await Promise.all([
    needs.bucketOwner ? readBucketOwner(io) : Promise.resolve(undefined),
    needs.callerAccount ? (o.roleAccountId ? Promise.resolve(o.roleAccountId) : clients.sts().then(callerAccount)) : Promise.resolve(undefined),
  ]);
  return {
    local: site.files,
    skipped: site.skipped,
    // edgelock's own records are never part of the site.
    remote: listed.filter((r) => !isReservedPath(r.key)),
    record,
    reading,
    ...(bucketOwnerId ? { bucketOwnerId } : {}),
    ...(callerAccountId ? { callerAccountId } : {}),
  };
}
