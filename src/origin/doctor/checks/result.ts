/** Small helpers every check uses to build its result. */
import { seenError, type Fetched } from '../aws';
import { likelihoodOf, type ReasonOf } from '../reasons';
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

/** The fix when the doctor's own credentials were refused. */
export function deniedFix(what: string): string {
  return `run the doctor with credentials that may call ${what} in this account (e.g. its admin role)`;
}
