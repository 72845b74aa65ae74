/**
 * Reads what a deploy decides from: the site folder, the bucket listing and its Object Ownership,
 * then, as the ownership requires, the bucket owner's canonical ID and the caller's account.
 */
import { callerAccount, type DeployClients } from './clients';
import { scanSite } from './local-files';
import { ownershipReadsNeeded, type DeployFacts } from './plan';
import { listBucket, readBucketOwner, readOwnership, type S3Io } from './s3-io';

export interface ReadOptions {
  readonly dir: string;
  readonly endpoint?: string;
  /** The deploy role's account: when a role was assumed, the caller's account without asking STS. */
  readonly roleAccountId?: string;
}

export async function readDeployFacts(io: S3Io, clients: DeployClients, o: ReadOptions): Promise<DeployFacts> {
  const [local, remote, reading] = await Promise.all([scanSite(o.dir), listBucket(io), readOwnership(io)]);
  const needs = ownershipReadsNeeded(reading, o);
  const [bucketOwnerId, callerAccountId] = await Promise.all([
    needs.bucketOwner ? readBucketOwner(io) : Promise.resolve(undefined),
    needs.callerAccount ? (o.roleAccountId ? Promise.resolve(o.roleAccountId) : clients.sts().then(callerAccount)) : Promise.resolve(undefined),
  ]);
  return {
    local,
    remote,
    reading,
    ...(bucketOwnerId ? { bucketOwnerId } : {}),
    ...(callerAccountId ? { callerAccountId } : {}),
  };
}
