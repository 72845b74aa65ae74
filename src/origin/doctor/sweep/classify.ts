/**
 * What breaks CloudFront's read of one object, from the facts about it and about the bucket. Only a
 * fact AWS gave makes a problem: an owner canonical ID that is not the bucket owner's, a storage
 * class, an ACL grant, the object's encryption and the doctor's own verdict on its KMS key. What
 * could not be read makes that aspect unknown, naming the action to allow. Pure but for the KMS
 * verdicts and policy evaluations, which the caller supplies (and memoizes).
 */
import type { Grant } from '@aws-sdk/client-s3';
import { ALL_USERS, grantsRead } from '../../s3/acl';
import type { OwnershipMode } from '../../s3/ownership';
import type { OriginAccess } from '../facts';
import type { CheckResult } from '../types';
import { ARCHIVE_TIERS, ARCHIVED_CLASSES, CAUSE_TEXT, type KmsReason, type SweepCause } from './causes';
import type { Fact, Finding, SweptObject } from './types';

/** The bucket-level facts every object's verdict rests on. */
export interface BucketFacts {
  readonly env: string;
  readonly mode: Fact<OwnershipMode>;
  readonly bucketOwnerId: Fact<string>;
  readonly access: OriginAccess;
}

export interface Judges {
  /** The doctor's verdict on an SSE-KMS key (undefined: aws/s3), as check 5 gives it. */
  kms(keyId: string | undefined): Promise<CheckResult>;
  /** How the bucket policy answers the distribution's s3:GetObject on `key`. */
  policy(key: string): Promise<Fact<'allow' | 'deny' | 'none' | 'unknown'>>;
}

function problem(cause: Exclude<SweepCause, KmsReason>, env: string, extra = ''): Finding {
  const t = CAUSE_TEXT[cause];
  return { kind: 'problem', cause, group: cause, detail: `${t.detail}${extra}`, fix: t.fix(env) };
}

function unknown(aspect: string, f: { why: string; fix: string }): Finding {
  return { kind: 'unknown', aspect, group: `${aspect}: ${f.why}`, detail: f.why, fix: f.fix };
}

/** Whether `grants` give CloudFront's principal read: the OAI's canonical user, or AllUsers for anonymous requests. */
function grantsCloudFront(grants: readonly Grant[], access: OriginAccess): boolean | undefined {
  if (access.kind === 'oac') return false;
  if (access.kind === 'oai') {
    if (!access.canonicalUserId) return undefined;
    return grants.some((g) => g.Grantee?.ID === access.canonicalUserId && grantsRead(g.Permission));
  }
  return grants.some((g) => g.Grantee?.URI === ALL_USERS && grantsRead(g.Permission));
}

export async function classify(o: SweptObject, b: BucketFacts, judges: Judges): Promise<Finding[]> {
  const owned = await ownership(o, b, judges);
  const out = [...storage(o, b.env), ...owned, ...(await encryption(o, b.env, judges))];
  // The bucket owner may not read a foreign-owned object's ACL or metadata: those unknowns follow
  // from the problem already found, and clear once the bucket owner owns the object.
  const enforced = b.mode.ok && b.mode.value === 'BucketOwnerEnforced';
  if (!enforced && o.owner.ok && b.bucketOwnerId.ok && o.owner.value !== b.bucketOwnerId.value) return out.filter((f) => f.kind === 'problem');
  return out;
}

function storage(o: SweptObject, env: string): Finding[] {
  if (!o.storageClass.ok) return [unknown('storage class', o.storageClass)];
  if (ARCHIVED_CLASSES.has(o.storageClass.value)) {
    if (o.restored) return [];
    return [problem('object-archived', env, o.restored === undefined ? ' (a restored copy, if one exists, is readable until it expires)' : '')];
  }
  if (o.storageClass.value !== 'INTELLIGENT_TIERING') return [];
  if (!o.archiveTier.ok) return [unknown('storage tier', o.archiveTier)];
  if (o.archiveTier.value && ARCHIVE_TIERS.has(o.archiveTier.value) && !o.restored) return [problem('object-archived', env)];
  return [];
}

async function ownership(o: SweptObject, b: BucketFacts, judges: Judges): Promise<Finding[]> {
  if (b.mode.ok && b.mode.value === 'BucketOwnerEnforced') {
    // ACLs are off and the bucket owner owns every object: the bucket policy alone decides.
    const p = await judges.policy(o.key);
    if (!p.ok) return [unknown('bucket policy', p)];
    if (p.value === 'unknown') return [unknown('bucket policy', { why: 'the bucket policy has statements edgelock cannot evaluate for the distribution\'s s3:GetObject', fix: 'run `edgelock doctor --key` on one of these keys to see which statements and why' })];
    return p.value === 'allow' ? [] : [problem('object-not-granted', b.env, p.value === 'deny' ? ' (a Deny matches)' : '')];
  }
  const viaAcl = o.grants.ok && o.grants.value ? grantsCloudFront(o.grants.value, b.access) : undefined;
  let foreign: boolean | undefined;
  if (o.owner.ok && b.bucketOwnerId.ok) foreign = o.owner.value !== b.bucketOwnerId.value;
  if (foreign) {
    // A foreign-owned object the ACL grants the OAI (or the public) is readable, through the ACL alone.
    if (viaAcl) return [problem('object-acl-only', b.env, ' (the object is owned by another account, so no bucket-policy grant can replace it until the bucket owner owns it)')];
    return [problem('object-foreign-owner', b.env, b.mode.ok ? ` (ObjectOwnership=${b.mode.value})` : '')];
  }
  const out: Finding[] = [];
  if (foreign === undefined) out.push(unknown('owner', !o.owner.ok ? o.owner : b.bucketOwnerId.ok ? { why: 'no owner given', fix: 'run the sweep again' } : b.bucketOwnerId));
  // The bucket policy decides for an object the bucket owner owns (or may own: the owner unknown).
  const p = await judges.policy(o.key);
  if (!p.ok) out.push(unknown('bucket policy', p));
  else if (p.value === 'unknown') out.push(unknown('bucket policy', { why: 'the bucket policy has statements edgelock cannot evaluate for the distribution\'s s3:GetObject', fix: 'run `edgelock doctor --key` on one of these keys to see which statements and why' }));
  else if (p.value !== 'allow') {
    // An explicit Deny in the bucket policy refuses whatever the ACL grants.
    if (viaAcl && p.value !== 'deny') out.push(problem('object-acl-only', b.env));
    else if (viaAcl === undefined && b.access.kind !== 'oac' && p.value !== 'deny') {
      out.push(unknown('ACL', !o.grants.ok ? o.grants : { why: 'the OAI\'s canonical user ID could not be read, so whether the object ACLs grant it read is unknown', fix: 'let the doctor call cloudfront:GetCloudFrontOriginAccessIdentity' }));
    }
    // With the owner unknown, bucket-policy grants may not apply at all: only an owned object is known not granted.
    else if (foreign === false) out.push(problem('object-not-granted', b.env, p.value === 'deny' ? ' (a Deny matches)' : ''));
  }
  return out;
}

async function encryption(o: SweptObject, env: string, judges: Judges): Promise<Finding[]> {
  if (!o.encryption.ok) return [unknown('encryption', o.encryption)];
  const { algorithm, keyId } = o.encryption.value;
  if (algorithm === 'SSE-C') return [problem('object-sse-c', env)];
  if (!algorithm || !algorithm.startsWith('aws:kms')) return [];
  const verdict = await judges.kms(keyId);
  const key = keyId ?? 'aws/s3';
  if (verdict.status === 'ok') return [];
  if (verdict.status === 'unknown') return [{ kind: 'unknown', aspect: 'KMS key', group: `KMS key: ${key}`, detail: verdict.summary, fix: verdict.fix ?? '' }];
  return [{ kind: 'problem', cause: verdict.reason as KmsReason, group: `${verdict.reason} ${key}`, detail: verdict.summary, fix: verdict.fix ?? '' }];
}
