/**
 * The shapes of a whole-bucket sweep: what is known about each object (from a listing and
 * per-object reads, or from an S3 Inventory row), what the sweep concludes about it, and the report.
 */
import type { Grant } from '@aws-sdk/client-s3';
import type { SweepCause } from './causes';

/** A fact AWS gave, or why it is not known (the refused action, a missing inventory field). */
export type Fact<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string; readonly fix: string };

/** How an object is encrypted: `algorithm` as S3 names it (AES256, aws:kms, aws:kms:dsse, SSE-C). */
export interface ObjectEncryption {
  readonly algorithm?: string;
  readonly keyId?: string;
}

/** What the sweep knows about one object, whatever the source. */
export interface SweptObject {
  readonly key: string;
  /** S3's storage class (STANDARD when the source says none). */
  readonly storageClass: Fact<string>;
  /** For INTELLIGENT_TIERING: the access tier, when an archive tier (ARCHIVE_ACCESS, DEEP_ARCHIVE_ACCESS); null: not archived. */
  readonly archiveTier: Fact<string | null>;
  /** A restored copy of an archived object is readable (HeadObject's Restore: ongoing-request="false"). */
  readonly restored?: boolean;
  /** The owner's canonical user ID. */
  readonly owner: Fact<string>;
  /** The object's ACL grants; null: not read because no ACL can matter (ACLs disabled, or an OAC). */
  readonly grants: Fact<readonly Grant[] | null>;
  readonly encryption: Fact<ObjectEncryption>;
}

/** One thing the sweep found about one object. */
export type Finding =
  | { readonly kind: 'problem'; readonly cause: SweepCause; readonly group: string; readonly detail: string; readonly fix: string }
  | { readonly kind: 'unknown'; readonly aspect: string; readonly group: string; readonly detail: string; readonly fix: string };

/** A cause (or an undecided aspect) with how many objects it applies to and a few of their keys. */
export interface SweepGroup {
  readonly kind: 'problem' | 'unknown';
  /** The cause's stable code (problems), or the aspect that could not be decided (unknowns). */
  readonly code: string;
  /** What the objects share: the cause with its particulars (a KMS key, a refused action). */
  readonly detail: string;
  readonly fix: string;
  readonly count: number;
  readonly examples: readonly string[];
}

export interface SweepReport {
  readonly environment: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly distributionId: string;
  /** `listing` (ListObjectsV2 and per-object reads) or `inventory` (an S3 Inventory report). */
  readonly source: 'listing' | 'inventory';
  /** The inventory's manifest and when S3 wrote it (source `inventory`). */
  readonly inventory?: { readonly manifest: string; readonly createdAt: string; readonly format: string };
  readonly objects: number;
  /** Objects with at least one problem. */
  readonly objectsWithProblems: number;
  /** Objects with no problem but something undecided. */
  readonly objectsUndecided: number;
  /** Problems first (most objects first), then what could not be decided. */
  readonly groups: readonly SweepGroup[];
  /** Facts about the bucket the verdicts rest on, and anything that limits them. */
  readonly notes: readonly string[];
  /** The Athena statements over the inventory, for buckets too big for one machine (source `inventory`). */
  readonly athena?: { readonly createTable: string; readonly select: string };
}
