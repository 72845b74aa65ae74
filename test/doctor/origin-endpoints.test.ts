/** Origins at the wrong endpoint: another region, the global endpoint for a newer region, an access point alias. */
import { BUCKET, DIST, ENV, OAC_ID, distribution, healthyWorld, mockWorld, oacPolicy, runWorld, type World } from './world';

const run = async (w: Partial<World>, env = ENV) => runWorld({ env, distributionId: DIST, clients: mockWorld({ ...healthyWorld(), ...w }) });

test('an origin naming another region than GetBucketLocation answers: origin-wrong-region', async () => {
  const report = await run({ distribution: distribution({ oacId: OAC_ID, domain: `${BUCKET}.s3.us-west-2.amazonaws.com` }) });
  expect(report.cause).toMatchObject({ id: 'distribution', reason: 'origin-wrong-region', summary: expect.stringMatching(/names region us-west-2, but the bucket is in eu-west-1/), fix: `change the origin's domain to ${BUCKET}.s3.eu-west-1.amazonaws.com` });
  expect(report.cause!.evidence).toContainEqual({ call: `s3:GetBucketLocation(Bucket=${BUCKET})`, seen: 'bucket region eu-west-1' });
});

test('the global endpoint for a bucket in a region launched after March 2019: origin-global-endpoint; for eu-west-1 it is fine', async () => {
  const env = { ...ENV, region: 'ap-east-1', bucketDomain: `${BUCKET}.s3.ap-east-1.amazonaws.com` };
  const global = distribution({ oacId: OAC_ID, domain: `${BUCKET}.s3.amazonaws.com` });
  const report = await run({ distribution: global, bucketRegion: 'ap-east-1' }, env);
  expect(report.cause).toMatchObject({ reason: 'origin-global-endpoint', summary: expect.stringMatching(/legacy global endpoint, which does not serve buckets in ap-east-1/) });
  const old = await run({ distribution: global });
  expect(old.results.find((r) => r.id === 'distribution')!.status).toBe('ok');
});

test('the region read refused: no region finding, and the refusal is in the evidence', async () => {
  const report = await run({ distribution: distribution({ oacId: OAC_ID, domain: `${BUCKET}.s3.us-west-2.amazonaws.com` }), refuse: { 's3:GetBucketLocation': { policy: 'identity-based policy' } } });
  const d = report.results.find((r) => r.id === 'distribution')!;
  expect(d.status).not.toBe('problem');
  expect(d.evidence).toContainEqual({ call: `s3:GetBucketLocation(Bucket=${BUCKET})`, seen: expect.stringMatching(/^AccessDenied \(HTTP 403\): User: .* because no identity-based policy allows the s3:GetBucketLocation action$/) });
});

test('an access point alias is not called another bucket', async () => {
  const report = await run({ distribution: distribution({ oacId: OAC_ID, domain: 'site-ap-a1b2c3d4e5f6g7h8i9j0kl1mn2opq3r-s3alias.s3.eu-west-1.amazonaws.com' }) });
  const d = report.results.find((r) => r.id === 'distribution')!;
  expect(d).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/is an S3 access point alias, not a bucket/) });
  expect(report.results.some((r) => r.reason === 'origin-other-bucket')).toBe(false);
});

test('a Deny that does not match is shown as not matching, not as unknown', async () => {
  const bp = report(await run({ bucketPolicy: oacPolicy() }));
  expect(bp.evidence).toContainEqual({ call: expect.stringMatching(/^evaluate .*DenyInsecureTransport.* for s3:GetObject/), seen: 'does not match' });
});

function report(r: Awaited<ReturnType<typeof run>>) {
  return r.results.find((c) => c.id === 'bucket-policy')!;
}

test('an object encrypted with another account\'s KMS key: unknown, naming the account and the grant its key policy needs', async () => {
  const { KMS_KEY, OWNER_ID } = await import('./world');
  const foreignKey = KMS_KEY.replace(':333333333333:', ':444444444444:');
  const report = await run({ objects: { 'index.html': { ownerId: OWNER_ID, sse: 'aws:kms', kmsKeyId: foreignKey } }, describeKey: 'AccessDeniedException', refuse: { 'kms:GetKeyPolicy': { policy: 'resource-based policy' } } });
  const enc = report.results.find((r) => r.id === 'encryption')!;
  expect(enc).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/KMS key arn:aws:kms:eu-west-1:444444444444:key\/.* of account 444444444444, not the bucket's account 333333333333.*must allow the distribution \(cloudfront\.amazonaws\.com with AWS:SourceArn arn:aws:cloudfront::333333333333:distribution\/E2QWRUHAPOMQZL\) kms:Decrypt/), fix: expect.stringMatching(/^ask account 444444444444's key administrators/) });
  expect(report.cause).toBeUndefined();
});
