/**
 * S3 Object Ownership: the three modes, and the rule for a bucket that has no ownership controls.
 * Shared by the deployer, the doctor and `fix ownership`.
 */

/** The Object Ownership modes S3 knows, newest and safest first. */
export const OWNERSHIP_MODES = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;

export type OwnershipMode = (typeof OWNERSHIP_MODES)[number];

/**
 * The mode of a bucket without ownership controls (GetBucketOwnershipControls answers
 * OwnershipControlsNotFoundError): buckets made before April 2023 behave as ObjectWriter, ACLs on,
 * each object owned by the account that wrote it.
 */
export const MODE_WITHOUT_CONTROLS: OwnershipMode = 'ObjectWriter';

export function isOwnershipMode(value: unknown): value is OwnershipMode {
  return typeof value === 'string' && (OWNERSHIP_MODES as readonly string[]).includes(value);
}

/** What GetBucketOwnershipControls returns, reduced to what the mode depends on. */
export interface OwnershipControlsAnswer {
  readonly OwnershipControls?: { readonly Rules?: readonly { readonly ObjectOwnership?: string }[] };
}

/**
 * The mode an answer gives: `null` stands for OwnershipControlsNotFoundError (see
 * {@link MODE_WITHOUT_CONTROLS}); `undefined` means the answer held no rule at all, which AWS never
 * sends (an endpoint that ignored the query, e.g. s3rver, does).
 */
export function ownershipModeOf(answer: OwnershipControlsAnswer | null): OwnershipMode | undefined {
  if (answer === null) return MODE_WITHOUT_CONTROLS;
  return answer.OwnershipControls?.Rules?.[0]?.ObjectOwnership as OwnershipMode | undefined;
}

/** The AWS CLI command that switches a bucket to BucketOwnerEnforced (ACLs off, the bucket owner owns every object). */
export function enforceOwnershipCommand(bucket: string): string {
  return `aws s3api put-bucket-ownership-controls --bucket ${bucket} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'`;
}
