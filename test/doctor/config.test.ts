import { parseConfig } from '../../src/config/load';

const base = { project: 'acme-web', tools: { accountId: '111111111111' }, environments: { prod: { accountId: '333333333333', region: 'eu-west-1', auth: false } } };

test('doctor settings default when absent', () => {
  expect(parseConfig(base, 'test').doctor).toEqual({ batchThreshold: 10_000, batchRoleName: 'edgelock-batch-operations', logTop: 10, sweepThreshold: 100_000, sweepConcurrency: 16 });
});

test('doctor settings are read when given', () => {
  expect(parseConfig({ ...base, doctor: { batchThreshold: 500, batchRoleName: 'copy-role', logTop: 25, sweepThreshold: 5000, sweepConcurrency: 4 } }, 'test').doctor).toEqual({ batchThreshold: 500, batchRoleName: 'copy-role', logTop: 25, sweepThreshold: 5000, sweepConcurrency: 4 });
});

test.each([
  [{ batchThreshold: 0 }, 'doctor.batchThreshold'],
  [{ batchThreshold: 2.5 }, 'doctor.batchThreshold'],
  [{ batchThreshold: '10000' }, 'doctor.batchThreshold: expected a whole number of objects'],
  [{ batchRoleName: 'has spaces' }, 'doctor.batchRoleName: expected an IAM role name'],
  [{ logTop: 0 }, 'doctor.logTop'],
  [{ logTop: 'ten' }, 'doctor.logTop: expected a whole number of rows'],
  [{ batchTreshold: 5 }, 'doctor: unknown key "batchTreshold"'],
  [{ sweepThreshold: 0 }, 'doctor.sweepThreshold'],
  [{ sweepConcurrency: 1000 }, 'doctor.sweepConcurrency'],
])('rejects doctor %j naming the field', (doctor, message) => {
  expect(() => parseConfig({ ...base, doctor }, 'edgelock.config.ts')).toThrow(message);
});
