/**
 * Plans `fix ownership` from a scan: pure, so every mode and size can be tested without AWS.
 *
 * Default target: BucketOwnerEnforced. It disables ACLs and makes the bucket owner own every
 * existing object at once, so nothing needs rewriting; ACL grants that still matter move into the
 * bucket policy first (AWS refuses the switch while the bucket ACL grants others).
 * With `keepAcls`: BucketOwnerPreferred, and foreign-owned objects are copied in place by the bucket
 * owner (a CopyObject loop up to the threshold, an S3 Batch Operations job above it).
 */
import { roleArn, type PolicyDocument, type Statement } from '../policy';
import { movedGrants } from './grants';
import type { OwnershipMode } from '../s3/ownership';
import type { OwnershipScan } from './scan';

/** AWS's limit on a bucket policy's size. */
export const MAX_POLICY_BYTES = 20 * 1024;

export type FixStep =
  | { readonly kind: 'put-bucket-policy'; readonly policy: PolicyDocument; readonly added: readonly Statement[] }
  | { readonly kind: 'reset-bucket-acl'; readonly removed: readonly string[] }
  | { readonly kind: 'put-ownership-controls'; readonly from: OwnershipMode; readonly to: OwnershipMode }
  | { readonly kind: 'copy-in-place'; readonly keys: readonly string[] }
  | { readonly kind: 'batch-copy'; readonly keys: readonly string[]; readonly roleArn: string };

export interface OwnershipPlan {
  readonly bucket: string;
  readonly from: OwnershipMode;
  readonly to: OwnershipMode;
  readonly objectCount: number;
  readonly foreignCount: number;
  readonly steps: readonly FixStep[];
  /** Grants not carried over, and other facts worth reading. */
  readonly notes: readonly string[];
  /** Problems that stop the fix from running. */
  readonly blockers: readonly string[];
}

export interface PlanOptions {
  readonly accountId: string;
  readonly keepAcls?: boolean;
  /** Above this many objects to copy, use S3 Batch Operations. */
  readonly batchThreshold: number;
  readonly batchRoleName: string;
  /** Canonical IDs of the environment's OAIs (their READ grants become one statement). */
  readonly oaiCanonicalIds: readonly string[];
}

export function planOwnershipFix(scan: OwnershipScan, o: PlanOptions): OwnershipPlan {
  const to: OwnershipMode = o.keepAcls ? 'BucketOwnerPreferred' : 'BucketOwnerEnforced';
  const steps: FixStep[] = [];
  const notes: string[] = [];
  const blockers: string[] = [];
  const base = { bucket: scan.bucket, from: scan.mode, to, objectCount: scan.objectCount, foreignCount: scan.foreign.length };
  if (scan.mode === 'BucketOwnerEnforced') {
    notes.push('ACLs are already disabled (BucketOwnerEnforced): the bucket owner owns every object. Nothing to do.');
    if (o.keepAcls) notes.push('--keep-acls is ignored: re-enabling ACLs would be a step back.');
    return { ...base, to: 'BucketOwnerEnforced', steps, notes, blockers };
  }

  // Disabling ACLs ends every grant; with --keep-acls, only the copied (foreign-owned) objects lose
  // theirs (CopyObject does not keep an ACL). Either way the grants that still matter move into the
  // bucket policy, and every grant that does not is named in the notes.
  const copied = new Set(o.keepAcls ? scan.foreign : []);
  const objectGrants = o.keepAcls ? scan.objectGrants.filter((g) => copied.has(g.key)) : scan.objectGrants;
  const move = movedGrants(scan.bucket, scan.ownerId, o.keepAcls ? [] : scan.bucketGrants, objectGrants, o.oaiCanonicalIds);
  notes.push(...move.dropped);
  blockers.push(...move.blockers);
  if (move.statements.length) {
    const sids = new Set(move.statements.map((s) => s.Sid));
    const kept = (scan.policy?.Statement ?? []).filter((s) => !s.Sid || !sids.has(s.Sid));
    const policy: PolicyDocument = { Version: '2012-10-17', ...(scan.policy ?? {}), Statement: [...kept, ...move.statements] };
    const size = Buffer.byteLength(JSON.stringify(policy));
    if (size > MAX_POLICY_BYTES) blockers.push(`the bucket policy would be ${size} bytes, over S3's ${MAX_POLICY_BYTES}-byte limit: grant prefixes instead of single objects`);
    steps.push({ kind: 'put-bucket-policy', policy, added: move.statements });
  }
  if (!o.keepAcls) {
    const others = scan.bucketGrants.filter((g) => g.Grantee?.ID !== scan.ownerId);
    if (others.length) steps.push({ kind: 'reset-bucket-acl', removed: others.map((g) => `${g.Permission} to ${g.Grantee?.ID ?? g.Grantee?.URI ?? g.Grantee?.EmailAddress}`) });
  }
  if (scan.mode !== to) steps.push({ kind: 'put-ownership-controls', from: scan.mode, to });

  if (o.keepAcls && scan.foreign.length) {
    if (scan.foreign.length > o.batchThreshold) {
      steps.push({ kind: 'batch-copy', keys: scan.foreign, roleArn: roleArn(o.accountId, o.batchRoleName) });
    } else {
      steps.push({ kind: 'copy-in-place', keys: scan.foreign });
    }
    const unreadable = scan.aclUnreadable.filter((k) => scan.foreign.includes(k));
    if (unreadable.length) notes.push(`${unreadable.length} foreign-owned object(s) refuse the bucket owner even their ACL (e.g. ${unreadable[0]}): the copy will be refused unless their owner granted READ; BucketOwnerEnforced (without --keep-acls) fixes them without a copy`);
  } else if (scan.foreign.length) {
    notes.push(`${scan.foreign.length} object(s) belong to another account (e.g. ${scan.foreign[0]}): BucketOwnerEnforced makes the bucket owner their owner, no copy needed`);
  }
  if (scan.aclNotScanned) notes.push(`object ACLs were read for the first ${scan.objectCount - scan.aclNotScanned} of ${scan.objectCount} objects (doctor.batchThreshold); grants on the others are not carried over`);
  if (!o.keepAcls) notes.push('after the switch, uploads must carry no ACL or bucket-owner-full-control (others fail with AccessControlListNotSupported)');
  return { ...base, steps, notes, blockers };
}
