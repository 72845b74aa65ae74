/** Small helpers every check uses to build its result. */
import { seenError, type Fetched } from '../aws';
import type { CheckId, CheckResult, Evidence } from '../types';

export interface CheckMeta {
  readonly id: CheckId;
  readonly order: number;
  readonly title: string;
}

export function ok(meta: CheckMeta, summary: string, evidence: Evidence[]): CheckResult {
  return { ...meta, status: 'ok', summary, evidence, likelihood: 0 };
}

export function problem(meta: CheckMeta, summary: string, evidence: Evidence[], fix: string, likelihood: number): CheckResult {
  return { ...meta, status: 'problem', summary, evidence, fix, likelihood };
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
