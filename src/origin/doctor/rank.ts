/**
 * Ranks check results: problems first, likeliest first (horses before zebras: the likelihood of
 * each problem's reason, from the one table in reasons.ts), then unknowns, then what passed, each
 * group in the doctor's walking order.
 */
import { likelihoodOf } from './reasons';
import type { CheckResult } from './types';

const GROUP = { problem: 0, unknown: 1, ok: 2 } as const;

const likelihood = (r: CheckResult): number => (r.status === 'problem' && r.reason ? likelihoodOf(r.reason) : 0);

export function rank(results: readonly CheckResult[]): CheckResult[] {
  return [...results].sort((a, b) => GROUP[a.status] - GROUP[b.status] || likelihood(b) - likelihood(a) || a.order - b.order);
}
