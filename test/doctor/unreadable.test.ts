/**
 * What the doctor may not read is unknown, never ok: a refused call is not evidence that all is
 * well, and a neighbouring setting (the other Block Public Access level, the bucket's default
 * encryption) does not stand in for it.
 */
import type { CheckId, CheckResult } from '../../src/origin/doctor/types';
import { ALL_ON, DIST, ENV, KMS_KEY, OAI_ID, OWNER_ID, distribution, healthyWorld, mockWorld, oaiPolicy, type World, runWorld } from './world';

async function check(change: Partial<World>, id: CheckId, env = ENV): Promise<CheckResult> {
  const report = await runWorld({ env, distributionId: DIST, clients: mockWorld({ ...healthyWorld(), ...change }) });
  return report.results.find((r) => r.id === id)!;
}

const OFF = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };

describe('Block Public Access (check 3)', () => {
  test.each([
    ['the bucket level is refused and the account level has none', { bucketPab: 'denied', accountPab: null }, /at bucket level/, /s3:GetBucketPublicAccessBlock/],
    ['the bucket level is refused and the account level is off', { bucketPab: 'denied', accountPab: OFF }, /at bucket level/, /s3:GetBucketPublicAccessBlock/],
    ['the account level is refused and the bucket level has none', { bucketPab: null, accountPab: 'denied' }, /at account level/, /s3:GetAccountPublicAccessBlock/],
    ['both levels are refused', { bucketPab: 'denied', accountPab: 'denied' }, /at bucket or account level/, /s3:GetBucketPublicAccessBlock on the bucket and s3:GetAccountPublicAccessBlock/],
  ] as [string, Partial<World>, RegExp, RegExp][])('%s: unknown, naming the refused call', async (_name, change, says, grant) => {
    const r = await check(change, 'block-public-access');
    expect(r).toMatchObject({ status: 'unknown', summary: expect.stringMatching(says), fix: expect.stringMatching(grant) });
    expect(r.evidence.some((e) => /GetPublicAccessBlock/.test(e.call) && /AccessDenied \(HTTP 403\)/.test(e.seen))).toBe(true);
  });

  test('a refused level does not matter when the readable one turns all four settings on', async () => {
    expect((await check({ bucketPab: 'denied', accountPab: ALL_ON }, 'block-public-access')).status).toBe('ok');
    expect((await check({ bucketPab: ALL_ON, accountPab: 'denied' }, 'block-public-access')).status).toBe('ok');
  });
});

describe('encryption (check 5)', () => {
  test('a refused HeadObject is unknown, even with an SSE-S3 bucket default, and names s3:GetObject', async () => {
    const r = await check({ headObjectDenied: true, objects: { 'index.html': { ownerId: OWNER_ID, sse: 'aws:kms', kmsKeyId: KMS_KEY } } }, 'encryption');
    expect(r).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/HeadObject was refused/), fix: expect.stringMatching(/s3:GetObject/) });
    expect(r.evidence[0]).toMatchObject({ call: expect.stringMatching(/^s3:HeadObject/), seen: expect.stringMatching(/^Unknown \(HTTP 403\): UnknownError \(refused s3:GetObject; AWS did not say which policy refused it\)$/) });
  });

  test('a missing object falls back to the bucket default', async () => {
    const r = await check({ objects: {}, defaultEncryption: { SSEAlgorithm: 'AES256' } }, 'encryption');
    expect(r).toMatchObject({ status: 'ok', summary: expect.stringMatching(/^the bucket default is AES256 \(the object does not exist yet\)/) });
  });
});

describe('origin access identity (check 1)', () => {
  const oai: Partial<World> = { distribution: distribution({ oaiId: OAI_ID }), oac: undefined, bucketPolicy: oaiPolicy() };
  const env = { ...ENV, originAccess: 'oai' as const };

  test('a refused GetCloudFrontOriginAccessIdentity is unknown', async () => {
    const r = await check({ ...oai, oai: 'denied' }, 'distribution', env);
    expect(r).toMatchObject({ status: 'unknown', summary: expect.stringMatching(`origin access identity ${OAI_ID} could not be read`), fix: expect.stringMatching(/cloudfront:GetCloudFrontOriginAccessIdentity/) });
  });

  test('a deleted identity is a problem', async () => {
    const r = await check({ ...oai, oai: 'missing' }, 'distribution', env);
    expect(r).toMatchObject({ status: 'problem', reason: 'oai-missing', summary: expect.stringMatching(/does not exist \(NoSuchCloudFrontOriginAccessIdentity\)/) });
  });
});
