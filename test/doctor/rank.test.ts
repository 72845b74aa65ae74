import { rank } from '../../src/origin/doctor/rank';
import { REASONS, likelihoodOf } from '../../src/origin/doctor/reasons';
import type { CheckResult } from '../../src/origin/doctor/types';

const result = (order: number, status: CheckResult['status'], reason?: CheckResult['reason']): CheckResult => ({
  id: 'key',
  order,
  title: `check ${order}`,
  status,
  summary: '',
  evidence: [],
  ...(reason ? { reason } : {}),
  // Deliberately not the table's value: the ranking reads the reasons table, not this field.
  likelihood: 50,
});

test('problems rank by their reason\'s likelihood in the table, then unknowns, then ok, each in walking order', () => {
  const ranked = rank([
    result(1, 'ok'),
    result(2, 'unknown'),
    result(3, 'problem', 'object-missing-404'),
    result(4, 'problem', 'object-foreign-owner'),
    result(5, 'problem', 'requester-pays'),
    result(6, 'problem', 'no-default-root-object'),
    result(7, 'problem', 'bpa-blocks-acl-grant'),
  ]);
  expect(ranked.map((r) => `${r.order}:${r.reason ?? r.status}`)).toEqual(['4:object-foreign-owner', '5:requester-pays', '6:no-default-root-object', '7:bpa-blocks-acl-grant', '3:object-missing-404', '2:unknown', '1:ok']);
});

test('every reason has a likelihood between 1 and 100', () => {
  for (const reason of Object.keys(REASONS) as (keyof typeof REASONS)[]) {
    expect([reason, likelihoodOf(reason) >= 1 && likelihoodOf(reason) <= 100]).toEqual([reason, true]);
  }
});
