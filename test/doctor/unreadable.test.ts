/**
 * What the doctor may not read is unknown, never ok: a refused call is not evidence that all is
 * well, and a neighbouring setting (the other Block Public Access level, the bucket's default
 * encryption) does not stand in for it.
 */
import { runDoctor } from '../../src/origin/doctor';
import type { CheckId, CheckResult } from '../../src/origin/doctor/types';
import { DIST, ENV, OAI_ID, distribution, healthyWorld, mockWorld, oaiPolicy, type World } from './world';

async function check(change: Partial<World>, id: CheckId, env = ENV): Promise<CheckResult> {
  const report = await runDoctor({ env, distributionId: DIST, clients: mockWorld({ ...healthyWorld(), ...change }) });
  return report.results.find((r) => r.id === id)!;
}

describe('origin access identity (check 1)', () => {
  const oai: Partial<World> = { distribution: distribution({ oaiId: OAI_ID }), oac: undefined, bucketPolicy: oaiPolicy() };
  const env = { ...ENV, originAccess: 'oai' as const };

  test('a refused GetCloudFrontOriginAccessIdentity is unknown', async () => {
    const r = await check({ ...oai, oai: 'denied' }, 'distribution', env);
    expect(r).toMatchObject({ status: 'unknown', summary: expect.stringMatching(`origin access identity ${OAI_ID} could not be read`), fix: expect.stringMatching(/cloudfront:GetCloudFrontOriginAccessIdentity/) });
  });

  test('a deleted identity is a problem', async () => {
    const r = await check({ ...oai, oai: 'missing' }, 'distribution', env);
    expect(r).toMatchObject({ status: 'problem', summary: expect.stringMatching(/does not exist \(NoSuchCloudFrontOriginAccessIdentity\)/) });
  });
});
