/**
 * `edgelock doctor --sweep`: every object under the prefix CloudFront reads, checked for what
 * breaks its read (a foreign owner, access only through an ACL, an SSE-KMS key the distribution may
 * not use, an archive storage class, SSE-C), summarised by cause with counts and example keys.
 *
 * Read (bucket facts through the doctor's context; objects by listing, or from an S3 Inventory
 * report above `threshold` objects or with `inventory`) → decide (classify.ts, per object) →
 * tally (summary.ts, bounded) → show (render.ts). The three outcomes of the doctor hold: AWS not
 * reached stops the sweep (exit 2); a refused read makes that aspect of those objects unknown,
 * naming the action; only a fact AWS returned makes a problem.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { evaluatePolicy } from '../../policy';
import { runPool } from '../../pool';
import { AwsUnreachableError } from '../aws';
import { judgeKmsKey } from '../checks/encryption';
import { DoctorContext, type DoctorOptions } from '../context';
import { describeAccess } from '../facts';
import { unreachable } from '../index';
import type { CheckResult } from '../types';
import { athenaQueries } from './athena';
import { classify, type BucketFacts, type Judges } from './classify';
import { checkManifest, configuredInventory, inventoryObjects, locateManifest, type InventoryManifest, type S3Location } from './inventory';
import { sweepListing } from './listing';
import { fact, headObject, unknownFact } from './read';
import { SweepTally } from './summary';
import type { Finding, SweepReport, SweptObject } from './types';
import { EdgelockError } from '../../../errors';

export type { SweepReport, SweepGroup } from './types';
export { renderSweep } from './render';
export { parseS3Uri } from './inventory';

/** @default 100000 objects: above it, a sweep reads the bucket's S3 Inventory (when it has one) instead of listing. */
export const DEFAULT_SWEEP_THRESHOLD = 100_000;
/** @default 16 per-object reads at once. */
export const DEFAULT_SWEEP_CONCURRENCY = 16;

export interface SweepProgress {
  readonly phase: 'listing' | 'inventory';
  readonly objects: number;
  readonly problems: number;
}

export interface SweepOptions extends Omit<DoctorOptions, 'key'> {
  /** The config's deploy.prefix: swept when the distribution's OriginPath cannot be read. */
  readonly deployPrefix: string;
  /** An S3 Inventory report to read instead of listing (a manifest.json, or an inventory configuration's folder). */
  readonly inventory?: S3Location;
  /** Objects listed before switching to the bucket's inventory. */
  readonly threshold?: number;
  readonly concurrency?: number;
  /** Keys per ListObjectsV2 page (tests use small pages). */
  readonly pageSize?: number;
  readonly onProgress?: (p: SweepProgress) => void;
  /** The client for the inventory's destination bucket (often another account's). @default clients.s3 */
  readonly inventoryS3?: S3Client;
}

export async function runSweep(o: SweepOptions): Promise<SweepReport> {
  try {
    return await sweep(o);
  } catch (err) {
    if (err instanceof AwsUnreachableError) throw unreachable(err, o.env.accountId);
    throw err;
  }
}

/** Problems found for an access the config says (the distribution could not be read) are unknown, as in the doctor. */
function onlyOnFacts(findings: Finding[], assumed: string | undefined): Finding[] {
  if (!assumed) return findings;
  return findings.map((f) =>
    f.kind === 'problem' && f.cause !== 'object-foreign-owner' && f.cause !== 'object-archived' && f.cause !== 'object-sse-c'
      ? { kind: 'unknown', aspect: f.cause, group: `if ${assumed}: ${f.group}`, detail: `if the distribution reaches the bucket with the ${assumed} the config says (it could not be read): ${f.detail}`, fix: `let the doctor read the distribution first; then: ${f.fix}` }
      : f,
  );
}

async function sweep(o: SweepOptions): Promise<SweepReport> {
  const ctx = new DoctorContext(o);
  const s3 = o.clients.s3;
  await ctx.aws.callerIdentity();
  const [own, bacl, bp, origin] = await Promise.all([ctx.aws.ownershipControls(), ctx.aws.bucketAcl(), ctx.aws.bucketPolicy(), ctx.origin()]);
  const access = await ctx.access();
  const notes: string[] = [];
  const b: BucketFacts = {
    env: o.env.name,
    mode: fact(own, 'the bucket\'s Object Ownership', (v) => v.mode),
    bucketOwnerId: bacl.ok && bacl.value.Owner?.ID ? { ok: true, value: bacl.value.Owner.ID } : bacl.ok ? { ok: false, why: 'GetBucketAcl gave no owner', fix: 'run the sweep as the bucket owner' } : unknownFact(bacl, 'the bucket owner'),
    access,
  };
  const originPath = origin?.origin?.OriginPath?.replace(/^\/+|\/+$/g, '');
  const prefix = origin ? (originPath ? `${originPath}/` : '') : o.deployPrefix;
  notes.push(origin ? `prefix ${prefix || '(the whole bucket)'}: the OriginPath of the origin serving the root object` : `prefix ${prefix || '(the whole bucket)'}: deploy.prefix from the config (the distribution could not be read)`);
  notes.push(`access: ${describeAccess(access)}${access.kind !== 'none' && access.assumed ? ' (from the config: the distribution could not be read)' : ''}`);
  notes.push(b.mode.ok ? `ObjectOwnership=${b.mode.value}${b.mode.value === 'BucketOwnerEnforced' ? ': ACLs are disabled, the bucket owner owns every object' : ''}` : b.mode.why);
  if (!b.bucketOwnerId.ok && !(b.mode.ok && b.mode.value === 'BucketOwnerEnforced')) notes.push(b.bucketOwnerId.why);
  notes.push(`per-object causes only: \`edgelock doctor --env ${o.env.name}\` checks what holds for the whole bucket (origin, Block Public Access, Requester Pays, RCPs, edge guard)`);
  const assumed = access.kind !== 'none' && access.assumed ? describeAccess(access) : undefined;

  // The distribution's request is the same for every key but its resource: built once.
  const request = await ctx.request('s3:GetObject', ctx.objectArn(''));
  const kms = new Map<string, Promise<CheckResult>>();
  const judges: Judges = {
    kms(keyId) {
      const id = keyId ?? '';
      let p = kms.get(id);
      if (!p) {
        p = judgeKmsKey(ctx, `objects encrypted with ${keyId ?? 'aws/s3'}`, keyId, []);
        kms.set(id, p);
      }
      return p;
    },
    async policy(key) {
      if (!bp.ok) return unknownFact(bp, 'the bucket policy');
      if (!bp.value) return { ok: true, value: 'none' };
      return { ok: true, value: evaluatePolicy(bp.value, { ...request, resource: ctx.objectArn(key) }).outcome };
    },
  };
  const readAcls = access.kind !== 'oac' && !(b.mode.ok && b.mode.value === 'BucketOwnerEnforced');
  const concurrency = o.concurrency ?? DEFAULT_SWEEP_CONCURRENCY;
  let tally = new SweepTally();
  const take = async (obj: SweptObject, phase: SweepProgress['phase']) => {
    tally.add(obj.key, onlyOnFacts(await classify(obj, b, judges), assumed));
    o.onProgress?.({ phase, objects: tally.objects, problems: tally.withProblems });
  };

  let location = o.inventory;
  let source: SweepReport['source'] = 'listing';
  if (!location) {
    const threshold = o.threshold ?? DEFAULT_SWEEP_THRESHOLD;
    let found: S3Location | undefined;
    const outcome = await sweepListing({
      s3,
      bucket: o.env.bucket,
      prefix,
      readAcls,
      concurrency,
      ...(o.pageSize ? { pageSize: o.pageSize } : {}),
      limit: threshold,
      onLimit: async () => {
        found = (await configuredInventory(s3, o.env.bucket, prefix))?.location;
        if (!found) notes.push(`more than ${threshold} objects and no inventory configuration of the bucket could be read: listed them all (an S3 Inventory report with ObjectOwner, ObjectAccessControlList, EncryptionStatus and StorageClass is faster, and Athena can query it)`);
        return !!found;
      },
      onObject: (obj) => take(obj, 'listing'),
    });
    if (outcome.kind === 'refused') throw new EdgelockError(`${outcome.fact.why}, so nothing was swept: ${outcome.fact.fix}`, { code: 'SWEEP_REFUSED', exitCode: 2 });
    if (outcome.kind === 'stopped-at-limit') {
      notes.push(`more than ${threshold} objects (doctor.sweepThreshold): read the bucket's S3 Inventory instead of listing`);
      location = found;
      tally = new SweepTally();
    }
  }
  let manifest: InventoryManifest | undefined;
  if (location) {
    source = 'inventory';
    const inv = o.inventoryS3 ?? s3;
    manifest = await locateManifest(inv, location);
    checkManifest(manifest, o.env.bucket);
    notes.push(`inventory report of ${manifest.createdAt} (${manifest.format}, ${manifest.files.length} file(s)): objects written since are not in it`);
    for await (const batch of inventoryObjects(inv, manifest, { readAcls }, prefix)) {
      await runPool(batch, concurrency, async ({ object, needsKey }) => {
        let obj = object;
        if (needsKey) {
          // The report says SSE-KMS but not which key: HeadObject names it.
          const head = await headObject(s3, o.env.bucket, object.key);
          if (!head.ok && head.status === 404) return;
          obj = { ...object, encryption: fact(head, 'the object\'s KMS key', (h) => ({ ...(h.ServerSideEncryption ? { algorithm: h.ServerSideEncryption } : {}), ...(h.SSEKMSKeyId ? { keyId: h.SSEKMSKeyId } : {}) })) };
        }
        await take(obj, 'inventory');
      });
    }
  }
  const athena = manifest
    ? athenaQueries(manifest, {
        bucket: o.env.bucket,
        prefix,
        ...(b.bucketOwnerId.ok && !(b.mode.ok && b.mode.value === 'BucketOwnerEnforced') ? { foreignUnless: b.bucketOwnerId.value } : {}),
        access,
        aclsEnabled: readAcls,
      })
    : undefined;
  return {
    environment: o.env.name,
    bucket: o.env.bucket,
    prefix,
    distributionId: o.distributionId,
    source,
    ...(manifest ? { inventory: { manifest: `s3://${manifest.location.bucket}/${manifest.location.key}`, createdAt: manifest.createdAt, format: manifest.format } } : {}),
    objects: tally.objects,
    objectsWithProblems: tally.withProblems,
    objectsUndecided: tally.undecided,
    groups: tally.result(),
    notes,
    ...(athena ? { athena } : {}),
  };
}

/** The Athena statements for an inventory report, without sweeping it (ORC reports too). */
export async function athenaForInventory(o: SweepOptions & { readonly inventory: S3Location }): Promise<{ createTable: string; select: string; manifest: string }> {
  try {
    const ctx = new DoctorContext(o);
    await ctx.aws.callerIdentity();
    const [own, bacl, origin] = await Promise.all([ctx.aws.ownershipControls(), ctx.aws.bucketAcl(), ctx.origin()]);
    const access = await ctx.access();
    const m = await locateManifest(o.inventoryS3 ?? o.clients.s3, o.inventory);
    if (m.sourceBucket !== o.env.bucket) checkManifest(m, o.env.bucket);
    const enforced = own.ok && own.value.mode === 'BucketOwnerEnforced';
    const originPath = origin?.origin?.OriginPath?.replace(/^\/+|\/+$/g, '');
    const prefix = origin ? (originPath ? `${originPath}/` : '') : o.deployPrefix;
    const q = athenaQueries(m, { bucket: o.env.bucket, prefix, ...(bacl.ok && bacl.value.Owner?.ID && !enforced ? { foreignUnless: bacl.value.Owner.ID } : {}), access, aclsEnabled: !enforced && access.kind !== 'oac' });
    return { ...q, manifest: `s3://${m.location.bucket}/${m.location.key}` };
  } catch (err) {
    if (err instanceof AwsUnreachableError) throw unreachable(err, o.env.accountId);
    throw err;
  }
}
