/**
 * Why the sweep says CloudFront cannot read an object: stable codes (what `--json` readers match
 * on), each with what it means and what fixes it. Foreign ownership and the KMS verdicts are the
 * doctor's own reasons (reasons.ts); archived storage, ACL-only access and SSE-C are the sweep's.
 */
import type { Reason } from '../reasons';

export type KmsReason = Extract<Reason, `kms-${string}`>;

export type SweepCause = 'object-foreign-owner' | 'object-acl-only' | 'object-not-granted' | 'object-archived' | 'object-sse-c' | KmsReason;

/** Storage classes whose objects GetObject refuses (403 InvalidObjectState) until restored. */
export const ARCHIVED_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** Intelligent-Tiering's opt-in archive tiers, as HeadObject (ArchiveStatus) and S3 Inventory name them. */
export const ARCHIVE_TIERS: ReadonlySet<string> = new Set(['ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS', 'ARCHIVE', 'DEEP_ARCHIVE']);

export const CAUSE_TEXT: Record<Exclude<SweepCause, KmsReason>, { readonly detail: string; readonly fix: (env: string) => string }> = {
  'object-foreign-owner': {
    detail: 'owned by another account than the bucket owner, with ACLs enabled: bucket-policy grants do not apply to these objects',
    fix: (env) => `run \`edgelock fix ownership --env ${env}\` (BucketOwnerEnforced makes the bucket owner own every object)`,
  },
  'object-acl-only': {
    detail: 'readable by the distribution only through a grant in the object\'s own ACL, not the bucket policy: they break when ACLs are disabled or public ACLs ignored',
    fix: (env) => `grant the distribution s3:GetObject on these keys in the bucket policy (\`edgelock fix ownership --env ${env}\` moves ACL grants there)`,
  },
  'object-not-granted': {
    detail: 'not granted to the distribution: no bucket-policy statement allows its s3:GetObject on these keys (or a Deny matches), and no ACL grant does',
    fix: (env) => `grant the distribution s3:GetObject on the keys it serves in the bucket policy (\`edgelock doctor --env ${env} --key KEY\` shows the statements for one of them)`,
  },
  'object-archived': {
    detail: 'in an archive storage class (GLACIER, DEEP_ARCHIVE, or an Intelligent-Tiering archive tier): GetObject answers 403 InvalidObjectState until the object is restored',
    fix: () => 'restore the objects and copy them to a readable storage class (aws s3api restore-object, then a copy with --storage-class STANDARD), and keep lifecycle rules from archiving what the site serves',
  },
  'object-sse-c': {
    detail: 'encrypted with a customer-provided key (SSE-C): CloudFront cannot send the key, so S3 refuses every read',
    fix: () => 'upload these objects again with SSE-S3 or SSE-KMS',
  },
};
