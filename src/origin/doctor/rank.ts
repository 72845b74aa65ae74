/**
 * Ranks check results: problems first, likeliest first (horses before zebras), then unknowns,
 * then what passed, each group in the doctor's walking order.
 */
import type { CheckResult } from './types';

const GROUP = { problem: 0, unknown: 1, ok: 2 } as const;

export function rank(results: readonly CheckResult[]): CheckResult[] {
  return [...results].sort((a, b) => GROUP[a.status] - GROUP[b.status] || b.likelihood - a.likelihood || a.order - b.order);
}
