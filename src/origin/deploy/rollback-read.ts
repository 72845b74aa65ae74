/**
 * What a rollback decides from: the records it needs (the newest, and the target: `--to ID`, or
 * the trusted one before the newest), the bucket listing under the prefix, the versioning status,
 * the bucket's Object Ownership (for the ACL each copy carries), and the versions of each key to
 * restore. Reads only.
 */
import { isReservedPath } from '../../edge/reserved-keys';
import { EdgelockError } from '../../errors';
import { runPool } from '../pool';
import { callerAccount, type DeployClients } from './clients';
import { ownershipReadsNeeded } from './plan';
import { parseRecord, recordFolder } from './record';
import { listKeyVersions, readVersioning, type ObjectVersion } from './rollback-io';
import { chooseTarget, keysToRestore, type RollbackChoice, type StoredRecord } from './rollback-plan';
import { getText, listBucket, readBucketOwner, readOwnership, type S3Io } from './s3-io';
import type { RemoteObject } from './changes';
import type { OwnershipReading } from './ownership';
import type { VersioningStatus } from './rollback-io';

const RECORD_NAME = /^(\d{8}T\d{9}Z-[0-9a-f]{6})\.json$/;

async function readStored(io: S3Io, key: string, id: string): Promise<StoredRecord> {
  try {
    return { key, id, record: parseRecord(key, await getText(io, key)) };
  } catch (err) {
    if (err instanceof EdgelockError && err.code === 'DEPLOY_RECORD_INVALID') return { key, id, problem: err.message };
    throw err;
  }
}

/**
 * Reads only the records the choice needs: the newest, then `to`, or each older one until a
 * trusted one (a long history costs one listing, not a read of every record).
 */
export async function readChoice(io: S3Io, prefix: string, to?: string): Promise<RollbackChoice> {
  const folder = recordFolder(prefix);
  const where = `s3://${io.bucket}/${folder}`;
  const named = (await listBucket(io, folder, '/'))
    .map((o) => ({ key: o.key, m: RECORD_NAME.exec(o.key.slice(folder.length)) }))
    .filter((x): x is { key: string; m: RegExpExecArray } => x.m !== null)
    .map((x) => ({ key: x.key, id: x.m[1]! }))
    .sort((a, b) => (a.id < b.id ? 1 : -1));
  if (named.length === 0) return chooseTarget([], where, to);
  const read: StoredRecord[] = [await readStored(io, named[0]!.key, named[0]!.id)];
  if (!('record' in read[0]!)) return chooseTarget(read, where, to);
  if (to !== undefined) {
    const entry = named.find((n) => n.id === to);
    if (!entry) {
      throw new EdgelockError(`there is no deploy ${to} in ${where}; \`edgelock deploys\` lists them (newest: ${named.slice(0, 5).map((n) => n.id).join(', ')})`, { code: 'ROLLBACK_TARGET_UNKNOWN' });
    }
    if (entry.id !== named[0]!.id) read.push(await readStored(io, entry.key, entry.id));
    return chooseTarget(read, where, to);
  }
  for (const n of named.slice(1)) {
    const r = await readStored(io, n.key, n.id);
    read.push(r);
    if ('record' in r) break;
  }
  return chooseTarget(read, where);
}

export interface RollbackFacts {
  readonly choice: RollbackChoice;
  /** The bucket's keys under the prefix, edgelock's records left out. */
  readonly remote: readonly RemoteObject[];
  readonly versioning: VersioningStatus;
  /** Versions of each key to restore, newest first (read only when versioning is on). */
  readonly versions: ReadonlyMap<string, readonly ObjectVersion[]>;
  readonly reading: OwnershipReading;
  readonly bucketOwnerId?: string;
  readonly callerAccountId?: string;
}

export interface RollbackReadOptions {
  readonly prefix: string;
  readonly to?: string;
  readonly endpoint?: string;
  readonly roleAccountId?: string;
  readonly concurrency: number;
}

export async function readRollbackFacts(io: S3Io, clients: DeployClients, o: RollbackReadOptions): Promise<RollbackFacts> {
  // The choice first: with nothing to roll back to, that is the answer, whatever the bucket's settings.
  const choice = await readChoice(io, o.prefix, o.to);
  const [listed, versioning, reading] = await Promise.all([listBucket(io, o.prefix), readVersioning(io), readOwnership(io)]);
  const remote = listed.filter((r) => !isReservedPath(r.key));
  const versions = new Map<string, readonly ObjectVersion[]>();
  if (versioning === 'Enabled') {
    const { restore } = keysToRestore(choice, remote);
    await runPool(restore, o.concurrency, async (obj) => {
      versions.set(obj.key, await listKeyVersions(io, obj.key));
    });
  }
  const needs = ownershipReadsNeeded(reading, o);
  const [bucketOwnerId, callerAccountId] = await Promise.all([
    needs.bucketOwner ? readBucketOwner(io) : Promise.resolve(undefined),
    needs.callerAccount ? (o.roleAccountId ? Promise.resolve(o.roleAccountId) : clients.sts().then(callerAccount)) : Promise.resolve(undefined),
  ]);
  return {
    choice,
    remote,
    versioning,
    versions,
    reading,
    ...(bucketOwnerId ? { bucketOwnerId } : {}),
    ...(callerAccountId ? { callerAccountId } : {}),
  };
}
