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
import { AwsUnreachableError } from './aws';
import { DoctorContext, type DoctorOptions } from './context';
import { rank } from './rank';
import type { CheckResult, DoctorReport } from './types';

export type { DoctorOptions } from './context';
export type { CheckResult, DoctorReport, Evidence } from './types';
export { REASONS, type Reason } from './reasons';
export { createClients, type DoctorClients } from './aws';
export { resolveEndpoints, type Endpoints } from './endpoints';
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

/**
 * Runs every check. AWS not reached, or the credentials not accepted, on any call stops the run
 * with AWS_UNREACHABLE (exit 2) and no check results: a report built on half the answers would
 * state causes that are not true.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  try {
    return await walk(options);
  } catch (err) {
    if (err instanceof AwsUnreachableError) throw unreachable(err, options.env.accountId);
    throw err;
  }
}

export function unreachable(err: AwsUnreachableError, accountId: string): EdgelockError {
  const message =
    err.why === 'credentials'
      ? `AWS did not accept the credentials (${err.detail}), so nothing was checked: give valid credentials for account ${accountId} (e.g. \`aws sso login\`, AWS_PROFILE) and run the doctor again`
      : `cannot reach AWS: ${err.call} got no answer (${err.detail}), so nothing was checked: check the network, proxy and any AWS_ENDPOINT_URL or --endpoint, then run the doctor again`;
  return new EdgelockError(message, { code: 'AWS_UNREACHABLE', exitCode: 2, cause: err.cause });
}

async function walk(options: DoctorOptions): Promise<DoctorReport> {
  const ctx = new DoctorContext(options);
  // Credentials first: an expired token answers here before any check runs.
  await ctx.aws.callerIdentity();
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
