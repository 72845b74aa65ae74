/**
 * The shape of a doctor check and its report.
 */
import type { Reason } from './reasons';

export type CheckStatus = 'ok' | 'problem' | 'unknown';

/** One call the doctor made and what it saw. */
export interface Evidence {
  /** The API call, e.g. `s3:GetObjectAcl(Bucket=site, Key=index.html)`. */
  readonly call: string;
  /** The value seen, or the error returned. */
  readonly seen: string;
}

export type CheckId =
  | 'distribution'
  | 'bucket-policy'
  | 'block-public-access'
  | 'object-ownership'
  | 'encryption'
  | 'key'
  | 'organizations'
  | 'edge';

export interface CheckResult {
  readonly id: CheckId;
  /** Position in the doctor's walk (1-8), as in docs/doctor.md. */
  readonly order: number;
  readonly title: string;
  readonly status: CheckStatus;
  /** One sentence: what was found. */
  readonly summary: string;
  readonly evidence: readonly Evidence[];
  /** What to do about it (problems and unknowns). */
  readonly fix?: string;
  /** Why it is a problem: a stable code from the table in reasons.ts. Set exactly on problems. */
  readonly reason?: Reason;
  /**
   * How likely this problem is the cause of the 403, 0-100 (horses before zebras), as the reasons
   * table gives it for `reason`. 0 for ok and unknown results.
   */
  readonly likelihood: number;
}

export interface DoctorReport {
  readonly environment: string;
  readonly bucket: string;
  readonly key: string;
  readonly distributionId: string;
  /** Problems first (likeliest cause first), then unknowns, then the checks that passed. */
  readonly results: readonly CheckResult[];
  /** The likeliest cause, when any check found a problem. */
  readonly cause?: CheckResult;
  /** One line: the fix for the likeliest cause, or a statement that nothing was found. */
  readonly verdict: string;
}
