/**
 * The rollback plan, decided without I/O in two steps:
 *
 * 1. {@link chooseTarget}: which deploy record to restore (`--to ID`, or the deploy before the
 *    current one) and which record is current (the newest, which must be trusted).
 * 2. {@link planRollback}: which of the target's objects the bucket no longer holds as recorded
 *    (each restored from the version whose ETag and size match the record), which keys to delete
 *    (only keys the current record says edgelock wrote, still carrying that ETag, that the target
 *    did not have: the prune's rule), and every refusal, before anything is written.
 */
import { isReservedPath } from '../../edge/reserved-keys';
import { EdgelockError } from '../../errors';
import type { RemoteObject } from './changes';
import { isHtml } from './changes';
import { MULTIPART_PART_BYTES } from './local-files';
import { decidePrune, deleteLimit, type KeptKey, type PruneRules } from './prune';
import { writtenByEdgelock, type DeployRecord, type RecordedObject } from './record';
import { matchingVersion, type ObjectVersion, type VersioningStatus } from './rollback-io';

/** A record as read from the bucket: its key and, when it is one edgelock wrote, the record. */
export type StoredRecord = { readonly key: string; readonly id: string } & ({ readonly record: DeployRecord } | { readonly problem: string });
export type TrustedRecord = { readonly key: string; readonly id: string; readonly record: DeployRecord };

export interface RollbackChoice {
  readonly current: TrustedRecord;
  readonly target: TrustedRecord;
  /** Why this target, in words ("the deploy before the current one, …"). */
  readonly why: string;
}

const trusted = (r: StoredRecord): r is TrustedRecord => 'record' in r;

/** The largest object a single CopyObject can copy (5 GiB). */
export const MAX_COPY_BYTES = 5 * 1024 ** 3;

/**
 * Picks the target. `records` are newest first. The current deploy is the newest record; without
 * `to`, the target is the trusted record just before it in time (like `heroku rollback`: rolling
 * back twice undoes the first rollback; pass `to` to go further back).
 */
export function chooseTarget(records: readonly StoredRecord[], where: string, to?: string): RollbackChoice {
  const newest = records[0];
  if (!newest) {
    throw new EdgelockError(`there is nothing to roll back to: ${where} holds no deploy records (edgelock writes one with each deploy that changes the bucket)`, { code: 'ROLLBACK_TARGET_UNKNOWN' });
  }
  if (!trusted(newest)) {
    throw new EdgelockError(
      `refusing to roll back: the newest deploy record ${newest.key} is not trusted (${newest.problem}), so edgelock cannot tell which keys it wrote and may delete. Nothing was written. ` +
        'Deploy the site again (that writes a fresh record), then roll back with --to ID.',
      { code: 'DEPLOY_RECORD_INVALID' },
    );
  }
  if (to !== undefined) {
    const named = records.find((r) => r.id === to);
    if (!named) {
      const known = records.slice(0, 5).map((r) => r.id).join(', ');
      throw new EdgelockError(`there is no deploy ${to} in ${where}; \`edgelock deploys\` lists them (newest: ${known})`, { code: 'ROLLBACK_TARGET_UNKNOWN' });
    }
    if (!trusted(named)) throw new EdgelockError(`cannot roll back to ${to}: its record ${named.key} is not trusted (${named.problem})`, { code: 'ROLLBACK_TARGET_UNKNOWN' });
    const why = named.id === newest.id ? `--to ${to}, the current deploy (restores what changed since it was written)` : `--to ${to}`;
    return { current: newest, target: named, why };
  }
  const before = records.slice(1).find(trusted);
  if (!before) {
    throw new EdgelockError(`there is nothing to roll back to: ${newest.id} is the only trusted deploy record in ${where}`, { code: 'ROLLBACK_TARGET_UNKNOWN' });
  }
  const skipped = records.slice(1, records.indexOf(before)).length;
  return {
    current: newest,
    target: before,
    why: `the deploy before the current one (${newest.id}${newest.record.rollbackOf ? `, itself a rollback to ${newest.record.rollbackOf}` : ''})${skipped ? `, past ${skipped} untrusted record(s)` : ''}`,
  };
}

function sameHeaders(a: RecordedObject, b: RecordedObject): boolean {
  return a.contentType === b.contentType && a.cacheControl === b.cacheControl && (a.contentEncoding ?? '') === (b.contentEncoding ?? '');
}

/**
 * The target's objects the bucket does not hold as recorded: missing, another ETag or size, or
 * the same bytes with headers the current record does not vouch for. Their versions are read next.
 */
export function keysToRestore(choice: RollbackChoice, remote: readonly RemoteObject[]): { readonly restore: readonly RecordedObject[]; readonly unchanged: readonly RecordedObject[] } {
  const listed = new Map(remote.map((r) => [r.key, r]));
  const written = writtenByEdgelock(choice.current.record);
  const restore: RecordedObject[] = [];
  const unchanged: RecordedObject[] = [];
  for (const o of choice.target.record.objects) {
    const r = listed.get(o.key);
    const w = written.get(o.key);
    const intact = r !== undefined && r.size === o.size && w !== undefined && w.etag === r.etag && w.md5 === o.md5 && sameHeaders(w, o);
    (intact ? unchanged : restore).push(o);
  }
  return { restore, unchanged };
}

export interface RollbackPlanInput {
  readonly choice: RollbackChoice;
  readonly remote: readonly RemoteObject[];
  readonly versioning: VersioningStatus;
  /** The versions of each key to restore, newest first (rollback-io listKeyVersions). */
  readonly versions: ReadonlyMap<string, readonly ObjectVersion[]>;
  readonly bucket: string;
  /** deploy.exclude, deploy.maxDeletes, --allow-deletes and deploy.prefix (never --adopt: a rollback deletes only what edgelock wrote). */
  readonly pruning: Pick<PruneRules, 'exclude' | 'maxDeletes' | 'allowDeletes' | 'prefix'>;
}

/** One object put back: the recorded object and the version it is copied from. */
export interface Restore {
  readonly object: RecordedObject;
  readonly versionId: string;
}

export interface RollbackChanges {
  /** Non-HTML first, then HTML: a restored page goes live only once what it references is back. */
  readonly restore: { readonly assets: readonly Restore[]; readonly html: readonly Restore[] };
  readonly unchanged: readonly RecordedObject[];
  readonly delete: readonly string[];
  readonly kept: readonly KeptKey[];
  /** Keys edgelock wrote that stay (deploy.exclude): the new record carries them. */
  readonly retained: readonly RecordedObject[];
}

/** The versioning refusal, if the bucket cannot be rolled back. */
export function refuseVersioning(status: VersioningStatus, bucket: string): EdgelockError | undefined {
  const enable = `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`;
  if (status === 'Enabled') return undefined;
  const why =
    status === 'denied'
      ? 'its versioning status cannot be read (s3:GetBucketVersioning denied); allow s3:GetBucketVersioning, s3:ListBucketVersions and s3:GetObjectVersion to the deploy role'
      : status === 'unsupported'
        ? 'the endpoint does not implement versioning (it is not AWS S3; s3rver, for one, keeps no versions)'
        : status === 'Suspended'
        ? `its versioning is suspended, so the copies a rollback writes would replace the current objects for good; enable it again (${enable})`
        : `versioning is off, so S3 kept no earlier versions to restore (edgelock's stacks keep it on); enable it (${enable}): deploys from then on can be rolled back`;
  return new EdgelockError(`refusing to roll back ${bucket}: ${why}. Nothing was written.`, { code: 'ROLLBACK_REFUSED_UNVERSIONED' });
}

/** Decides the rollback, or returns the refusal (nothing written yet). */
export function planRollback(input: RollbackPlanInput): RollbackChanges | EdgelockError {
  const { choice, bucket } = input;
  // A record lists only keys under its deploy's prefix, never edgelock's own: anything else is not a record to act on.
  const prefix = input.pruning.prefix;
  const outside = choice.target.record.objects.filter((o) => !o.key.startsWith(prefix) || isReservedPath(o.key)).map((o) => o.key);
  if (choice.target.record.prefix !== prefix || outside.length > 0) {
    return new EdgelockError(
      `refusing to roll back to ${choice.target.id}: its record ${choice.target.key} ${choice.target.record.prefix !== prefix ? `was written for deploy.prefix "${choice.target.record.prefix}", not "${prefix}"` : `lists keys outside deploy.prefix "${prefix}" or under .edgelock/ (${outside.slice(0, 3).join(', ')})`}, so it is not one this environment's deploys wrote. Nothing was written.`,
      { code: 'ROLLBACK_REFUSED' },
    );
  }
  const versioning = refuseVersioning(input.versioning, bucket);
  if (versioning) return versioning;
  const { restore, unchanged } = keysToRestore(choice, input.remote);
  const found: Restore[] = [];
  const missing: string[] = [];
  const tooBig: string[] = [];
  for (const o of restore) {
    const v = matchingVersion(input.versions.get(o.key) ?? [], o);
    if (!v) missing.push(o.key);
    else if (o.size > MAX_COPY_BYTES) tooBig.push(o.key);
    else found.push({ object: o, versionId: v.versionId });
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 20).map((k) => `  ${k}`).join('\n');
    return new EdgelockError(
      `refusing to roll back to ${choice.target.id}: ${missing.length} of its object(s) have no version in ${bucket} with the ETag the record holds, and nothing was written:\n${shown}${missing.length > 20 ? `\n  ... and ${missing.length - 20} more` : ''}\n` +
        'A lifecycle rule (NoncurrentVersionExpiration) or someone deleting versions removed them. Roll back to a later deploy (`edgelock deploys` lists them), or deploy that site from its source.',
      { code: 'ROLLBACK_REFUSED_VERSION_MISSING' },
    );
  }
  if (tooBig.length > 0) {
    return new EdgelockError(`refusing to roll back to ${choice.target.id}: ${tooBig.join(', ')} is larger than 5 GiB, more than one CopyObject can restore. Nothing was written. Deploy that site from its source instead.`, { code: 'ROLLBACK_REFUSED' });
  }
  const targetKeys = new Set(choice.target.record.objects.map((o) => o.key));
  const gone = input.remote.filter((r) => !targetKeys.has(r.key));
  const written = writtenByEdgelock(choice.current.record);
  const pruned = decidePrune(gone, written, true, input.remote.length, { ...input.pruning, prune: true, adopt: false });
  if (pruned.tooMany) {
    const { maxDeletes } = input.pruning;
    const limit = deleteLimit(maxDeletes, written.size);
    return new EdgelockError(
      `this rollback would delete ${pruned.delete.length} key(s) edgelock wrote after ${choice.target.id}, more than deploy.maxDeletes (${String(maxDeletes)}${typeof maxDeletes === 'string' ? ` of ${written.size} = ${limit}` : ''}), e.g. ${pruned.delete.slice(0, 3).join(', ')}. Nothing was written. ` +
        'Check --to names the deploy you mean (`edgelock deploys`); to delete them anyway pass --allow-deletes.',
      { code: 'DEPLOY_REFUSED_TOO_MANY_DELETES' },
    );
  }
  return {
    restore: { assets: found.filter((r) => !isHtml(r.object.key)), html: found.filter((r) => isHtml(r.object.key)) },
    unchanged,
    delete: pruned.delete,
    kept: pruned.kept,
    retained: pruned.retained,
  };
}

/** Whether the probe can check a restored object's bytes against the record's MD5 (a single-part upload's). */
export function probeable(o: RecordedObject): boolean {
  return o.size <= MULTIPART_PART_BYTES;
}
