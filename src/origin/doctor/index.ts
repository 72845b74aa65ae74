/**
 * The access doctor: walks every mechanism that can turn a CloudFront→S3 request into a 403 and
 * names the likeliest cause first.
 */
import { EdgelockError } from '../../errors';
import { checkBucketPolicy } from './checks/bucket-policy';
import { checkDistribution } from './checks/distribution';
import { checkEdge } from './checks/edge';
import { checkEncryption } from './checks/encryption';
import { checkKey } from './checks/key';
import { checkOrganizations } from './checks/organizations';
import { checkOwnership } from './checks/ownership';
import { checkPublicAccess } from './checks/public-access';
import { DoctorContext, type DoctorOptions } from './context';
import { rank } from './rank';
import type { CheckResult, DoctorReport } from './types';

export type { DoctorOptions } from './context';
export type { CheckResult, DoctorReport, Evidence } from './types';
export { REASONS, type Reason } from './reasons';
export { createClients, type DoctorClients } from './aws';
export { renderReport } from './render';

/** The checks in walking order. */
export const CHECKS: readonly ((ctx: DoctorContext) => Promise<CheckResult>)[] = [
  checkDistribution,
  checkBucketPolicy,
  checkPublicAccess,
  checkOwnership,
  checkEncryption,
  checkKey,
  checkOrganizations,
  checkEdge,
];

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const ctx = new DoctorContext(options);
  try {
    await ctx.aws.callerIdentity();
  } catch (err) {
    const e = err as Error;
    throw new EdgelockError(`cannot reach AWS: ${e.name}: ${e.message} (give credentials for account ${options.env.accountId}, e.g. AWS_PROFILE)`, { code: 'AWS_UNREACHABLE', cause: err });
  }
  const results = rank(await Promise.all(CHECKS.map((check) => check(ctx))));
  const { key } = await ctx.key();
  const cause = results[0]?.status === 'problem' ? results[0] : undefined;
  const unknowns = results.filter((r) => r.status === 'unknown').length;
  const verdict = cause
    ? `Fix: ${cause.fix}`
    : unknowns
      ? `No problem found in what could be read; ${unknowns} check(s) could not decide (see above).`
      : 'No problem found: the distribution should be able to read this key.';
  return {
    environment: options.env.name,
    bucket: ctx.bucket,
    key,
    distributionId: ctx.distributionId,
    results,
    ...(cause ? { cause } : {}),
    verdict,
  };
}
