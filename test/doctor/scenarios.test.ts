import { siteBucketPolicy } from '../../src/origin/policy/bucket';
import { BUCKET, DIST, ENV, OAI_ID, distribution, healthyWorld, mockWorld, runWorld } from './world';
import { scenarios, SEED_ENV, seedWorld } from './scenarios';

describe('doctor scenarios: the likeliest cause ranks first', () => {
  test.each(scenarios().map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const report = await runWorld({ env: s.env, distributionId: DIST, clients: mockWorld(s.world), ...(s.key ? { key: s.key } : {}) });
    const first = report.results[0]!;
    expect({ id: first.id, status: first.status }).toEqual({ id: s.cause, status: 'problem' });
    expect(first.reason).toBe(s.reason);
    expect(first.summary).toMatch(s.says);
    expect(first.fix).toBeTruthy();
    expect(report.verdict).toBe(`Fix: ${first.fix}`);
    // Every check ran and reported evidence or a reason.
    expect(report.results.map((r) => r.order).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('the seed incident in detail', () => {
  test('ownership first with the GetObjectAcl AccessDenied as evidence, Block Public Access second as the trigger', async () => {
    const report = await runWorld({ env: SEED_ENV, distributionId: DIST, clients: mockWorld(seedWorld()) });
    const [first, second] = report.results;
    expect(first!.evidence).toContainEqual({ call: 's3:GetObjectAcl(Bucket=acme-web-prod-site-333333333333, Key=index.html)', seen: 'AccessDenied (HTTP 403): Access Denied (refused s3:GetObjectAcl; AWS did not say which policy refused it)' });
    expect(first!.fix).toMatch(/edgelock fix ownership --env prod/);
    expect(first!.reason).toBe('object-foreign-owner');
    expect(second!.id).toBe('block-public-access');
    expect(second!.reason).toBe('bpa-blocks-acl-grant');
    expect(second!.summary).toMatch(/trigger, not the cause/);
    // The red herrings of the seed are cleared, not blamed.
    const byId = Object.fromEntries(report.results.map((r) => [r.id, r]));
    expect(byId['distribution']!.status).toBe('ok');
    expect(byId['bucket-policy']!.status).toBe('ok');
    expect(byId['organizations']!.status).toBe('ok');
    expect(byId['organizations']!.summary).toMatch(/SCP statement\(s\) match s3:GetObject but SCPs limit only the account's own IAM principals/);
  });

  test('when the ACL grants the OAI read (the seed\'s own fix), ownership is no longer a problem', async () => {
    const w = seedWorld();
    w.objects['index.html']!.grants!.push({ Grantee: { Type: 'CanonicalUser', ID: w.bucketOwnerId }, Permission: 'READ_ACP' }, { Grantee: { Type: 'CanonicalUser', ID: w.oaiCanonical! }, Permission: 'READ' });
    const report = await runWorld({ env: SEED_ENV, distributionId: DIST, clients: mockWorld(w) });
    expect(report.results.find((r) => r.id === 'object-ownership')!.status).toBe('ok');
  });
});

describe('no false alarms', () => {
  test('a healthy OAC setup reports no problem', async () => {
    const report = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld(healthyWorld()) });
    expect(report.results.filter((r) => r.status !== 'ok').map((r) => `${r.id}: ${r.summary}`)).toEqual([]);
    expect(report.cause).toBeUndefined();
    expect(report.verdict).toMatch(/No problem found/);
  });

  test('a healthy OAI setup with edgelock\'s own bucket policy (TLS only) reports no problem and nothing unknown', async () => {
    const bucketPolicy = siteBucketPolicy({ bucketArn: `arn:aws:s3:::${BUCKET}`, reader: { kind: 'oai', oaiArn: `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${OAI_ID}` } });
    const world = { ...healthyWorld(), distribution: distribution({ oaiId: OAI_ID }), oac: undefined, bucketPolicy };
    const report = await runWorld({ env: { ...ENV, originAccess: 'oai' }, distributionId: DIST, clients: mockWorld(world) });
    expect(report.results.filter((r) => r.status !== 'ok').map((r) => `${r.id}: ${r.status}: ${r.summary}`)).toEqual([]);
    expect(report.verdict).toMatch(/No problem found/);
  });

  test('a member account that cannot read Organizations gets unknown, not a problem', async () => {
    const report = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld({ ...healthyWorld(), org: 'denied', accountPab: 'denied' }) });
    const org = report.results.find((r) => r.id === 'organizations')!;
    expect(org.status).toBe('unknown');
    expect(org.fix).toMatch(/management account or a delegated administrator/);
    expect(report.results.filter((r) => r.status === 'problem')).toEqual([]);
    expect(report.verdict).toMatch(/1 check\(s\) could not decide/);
  });

  test('an account outside any organization is ok', async () => {
    const report = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld({ ...healthyWorld(), org: 'none' }) });
    expect(report.results.find((r) => r.id === 'organizations')!.status).toBe('ok');
  });
});
