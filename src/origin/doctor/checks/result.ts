/** Small helpers every check uses to build its result. */
import { seenError, type Fetched } from '../aws';
import { describeRefusal, refusalRemedy } from '../denial';
import { likelihoodOf, type ReasonOf } from '../reasons';
import type { DoctorContext } from '../context';
import { describeAccess } from '../facts';
import type { CheckId, CheckResult, Evidence } from '../types';

export interface CheckMeta<Id extends CheckId = CheckId> {
  readonly id: Id;
  readonly order: number;
  readonly title: string;
}

export function ok(meta: CheckMeta, summary: string, evidence: Evidence[]): CheckResult {
  return { ...meta, status: 'ok', summary, evidence, likelihood: 0 };
}

/** A problem, with its reason; the likelihood comes from the reasons table. */
export function problem<Id extends CheckId>(meta: CheckMeta<Id>, reason: ReasonOf<Id>, summary: string, evidence: Evidence[], fix: string): CheckResult {
  return { ...meta, status: 'problem', summary, evidence, fix, reason, likelihood: likelihoodOf(reason) };
}

export function unknown(meta: CheckMeta, summary: string, evidence: Evidence[], fix: string): CheckResult {
  return { ...meta, status: 'unknown', summary, evidence, fix, likelihood: 0 };
}

/** Evidence for a fetched value: the call and either a description of the value or the error. */
export function ev<T>(f: Fetched<T>, describe: (v: T) => string): Evidence {
  return { call: f.call, seen: f.ok ? describe(f.value) : seenError(f) };
}

/**
 * Only a fact AWS returned makes a problem. A problem found for something the doctor assumed is
 * unknown: the access the config says (the distribution could not be read), or the key when a
 * function the doctor cannot replay may rewrite the path.
 */
export async function onlyOnFacts(ctx: DoctorContext, r: CheckResult): Promise<CheckResult> {
  if (r.status !== 'problem') return r;
  const access = await ctx.access();
  const { derived } = await ctx.key();
  const { reason: _reason, ...rest } = r;
  const demote = (condition: string, first: string): CheckResult => ({ ...rest, status: 'unknown', likelihood: 0, summary: `${condition}: ${r.summary}`, fix: `${first}; then: ${r.fix}` });
  if (access.kind !== 'none' && access.assumed) {
    return demote(`if the distribution reaches the bucket with the ${describeAccess(access).replace(/ \(unknown\)$/, '')} the config says (the distribution could not be read)`, 'let the doctor read the distribution first (check 1)');
  }
  const ap = await ctx.accessPoint();
  if (ap && !ap.found) {
    return demote(`if ${ap.ref} serves the environment's bucket (the doctor could not resolve it)`, 'let the doctor resolve the access point first (check 1)');
  }
  if (derived && !derived.known) {
    return demote(
      `if ${derived.unknownPast} leaves the path as it is (the doctor cannot replay it)`,
      derived.replayable
        ? 'run the doctor with --replay to run that function where it lives (CloudFront\'s TestFunction, or a Lambda Invoke of its version), or with --key set to the path that reaches the key it asks S3 for'
        : 'check which key that function asks S3 for and run the doctor with --key set to the path that reaches it',
    );
  }
  return r;
}

/**
 * The fix when the doctor's own credentials were refused `what`: by the kind of policy that
 * refused, when `f`'s message names it.
 */
export function deniedFix(what: string, f?: Fetched<unknown>): string {
  if (f && !f.ok && f.refusal?.policy) return refusalRemedy({ ...f.refusal, action: f.refusal.action ?? what });
  return `run the doctor with credentials that may call ${what} in this account (e.g. its admin role)`;
}

/** " (refused s3:GetBucketAcl: no identity-based policy allows it)", for a summary; "" when `f` was not refused. */
export function refusedNote(f: Fetched<unknown>): string {
  if (f.ok || !f.refusal) return '';
  return ` (refused ${f.refusal.action ?? f.call}: ${describeRefusal(f.refusal)})`;
}
