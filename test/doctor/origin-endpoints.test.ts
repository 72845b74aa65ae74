/** Origins at the wrong endpoint: another region, the global endpoint for a newer region, an access point alias. */
import { ACCOUNT, BUCKET, DIST, DIST_ARN, ENV, OAC_ID, distribution, healthyWorld, mockWorld, oacPolicy, runWorld, type World } from './world';

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

describe('an origin that is an access point alias', () => {
  const ALIAS = 'site-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias';
  const AP_ARN = `arn:aws:s3:eu-west-1:${ACCOUNT}:accesspoint/site-ap`;
  // Without edgelock's origin-request guard, which accepts only the bucket's own domains (check 8 says so).
  const viaAlias = () => distribution({ oacId: OAC_ID, domain: `${ALIAS}.s3.eu-west-1.amazonaws.com` }, ['origin-response']);
  const apGrant = { Version: '2012-10-17', Statement: [{ Sid: 'CloudFrontRead', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: `${AP_ARN}/object/*`, Condition: { StringEquals: { 'AWS:SourceArn': DIST_ARN } } }] };
  const delegation = { Version: '2012-10-17', Statement: [{ Sid: 'DelegateToAccessPoints', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { StringEquals: { 's3:DataAccessPointAccount': ACCOUNT } } }] };
  const ap = (change: Partial<NonNullable<World['accessPoints']>[number]> = {}): World['accessPoints'] => [{ name: 'site-ap', alias: ALIAS, bucket: BUCKET, policy: apGrant, ...change }];
  const check = (r: Awaited<ReturnType<typeof run>>, id: string) => r.results.find((c) => c.id === id)!;

  test('resolved to the environment\'s bucket, the access point policy granting and the bucket delegating: nothing wrong, both policies in the evidence', async () => {
    const report = await run({ distribution: viaAlias(), accessPoints: ap(), bucketPolicy: delegation });
    expect(report.cause).toBeUndefined();
    expect(check(report, 'distribution').evidence).toContainEqual({ call: `s3control:ListAccessPoints(AccountId=${ACCOUNT})`, seen: `1 access point(s); access point alias ${ALIAS} is access point site-ap (${AP_ARN}) of bucket ${BUCKET} in account ${ACCOUNT}, NetworkOrigin=Internet` });
    const bp = check(report, 'bucket-policy');
    expect(bp).toMatchObject({ status: 'ok', summary: expect.stringMatching(/^access point site-ap's policy grants .* and the bucket policy's statement "DelegateToAccessPoints" \(Allow\) allows it through the access point/) });
    expect(bp.evidence).toContainEqual({ call: `evaluate access point policy statement "CloudFrontRead" (Allow) for s3:GetObject on ${AP_ARN}/object/index.html`, seen: 'matches' });
  });

  test('a bucket policy granting the distribution directly also lets the request through', async () => {
    const report = await run({ distribution: viaAlias(), accessPoints: ap() });
    expect(report.cause).toBeUndefined();
  });

  test('an access point of another bucket: origin-other-bucket, naming the access point', async () => {
    const report = await run({ distribution: viaAlias(), accessPoints: ap({ bucket: 'acme-web-old' }), bucketPolicy: delegation });
    expect(report.cause).toMatchObject({ id: 'distribution', reason: 'origin-other-bucket', summary: 'the origin is access point site-ap of bucket "acme-web-old", not the environment\'s bucket "acme-web-prod-site-333333333333"' });
  });

  test('a VPC-only access point: CloudFront cannot reach it', async () => {
    const report = await run({ distribution: viaAlias(), accessPoints: ap({ networkOrigin: 'VPC' }), bucketPolicy: delegation });
    expect(report.cause).toMatchObject({ id: 'distribution', reason: 'access-point-vpc-only', summary: expect.stringMatching(/network origin is VPC/) });
  });

  test.each<[string, Partial<World>, string, RegExp]>([
    ['no access point policy', { accessPoints: ap({ policy: null }), bucketPolicy: delegation }, 'access-point-policy-absent', /site-ap has no policy, so nothing grants origin access control E3OACSITE0ABCD s3:GetObject through it/],
    ['an access point policy granting another distribution', { accessPoints: ap({ policy: { Statement: [{ ...apGrant.Statement[0], Condition: { StringEquals: { 'AWS:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/EOTHER00000000` } } }] } }), bucketPolicy: delegation }, 'access-point-policy-missing-allow', /no statement of access point site-ap's policy grants/],
    ['an access point policy that denies', { accessPoints: ap({ policy: { Statement: [...apGrant.Statement, { Sid: 'OnlyFromVpc', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${AP_ARN}/object/*`, Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }] } }), bucketPolicy: delegation }, 'access-point-policy-denies', /"OnlyFromVpc" \(Deny\) of access point site-ap's policy denies/],
    ['a bucket policy that neither grants nor delegates', { accessPoints: ap(), bucketPolicy: oacPolicy(`arn:aws:cloudfront::${ACCOUNT}:distribution/EOTHER00000000`) }, 'bucket-no-access-point-delegation', /bucket policy neither grants .* nor delegates to the account's access points \(s3:DataAccessPointAccount 333333333333\)/],
    ['no bucket policy', { accessPoints: ap(), bucketPolicy: null }, 'bucket-no-access-point-delegation', /the bucket has no policy: requests through an access point also need the bucket policy/],
  ])('%s: check 2 names it', async (_name, w, reason, says) => {
    const report = await run({ distribution: viaAlias(), ...w });
    expect(report.cause).toMatchObject({ id: 'bucket-policy', reason, summary: expect.stringMatching(says) });
  });

  test('a delegation does not hold for a direct request to the bucket: without an access point, the same bucket policy grants nothing', async () => {
    const report = await run({ bucketPolicy: delegation });
    expect(report.cause).toMatchObject({ id: 'bucket-policy', reason: 'policy-missing-oac-allow' });
  });

  test('the access points unreadable: unknown naming s3:ListAccessPoints, and nothing that depends on the bucket is a problem', async () => {
    const report = await run({ distribution: viaAlias(), objects: {}, bucketPolicy: delegation, refuse: { 's3:ListAccessPoints': { policy: 'identity-based policy' } } });
    expect(check(report, 'distribution')).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/access points could not be read \(refused s3:ListAccessPoints: no identity-based policy allows it\)/) });
    expect(check(report, 'key')).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^if access point alias .* serves the environment's bucket/) });
    expect(report.results.filter((r) => r.status === 'problem')).toEqual([]);
  });

  test('an alias none of the account\'s access points has: unknown, never another bucket', async () => {
    const report = await run({ distribution: viaAlias(), accessPoints: [] });
    expect(check(report, 'distribution')).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/access point alias that none of account 333333333333's access points in eu-west-1 has/) });
    expect(report.results.some((r) => r.reason === 'origin-other-bucket')).toBe(false);
  });

  test('the access point policy unreadable: check 2 is unknown, naming s3:GetAccessPointPolicy', async () => {
    const report = await run({ distribution: viaAlias(), accessPoints: ap(), bucketPolicy: delegation, refuse: { 's3:GetAccessPointPolicy': { policy: 'resource-based policy' } } });
    expect(check(report, 'bucket-policy')).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/policy of access point site-ap could not be read .*s3:GetAccessPointPolicy/) });
  });
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

describe('an origin that is an S3 Object Lambda access point', () => {
  const OL_ALIAS = 'site-olap-u7b3kqj2zxm4nd0p9wq1ecfgr8a5eus1a--ol-s3';
  const OLAP_ARN = `arn:aws:s3-object-lambda:eu-west-1:${ACCOUNT}:accesspoint/site-olap`;
  const AP_ARN = `arn:aws:s3:eu-west-1:${ACCOUNT}:accesspoint/site-ap`;
  const FN = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:resize-images:3`;
  const byEndpoint = () => distribution({ oacId: OAC_ID, domain: `site-olap-${ACCOUNT}.s3-object-lambda.eu-west-1.amazonaws.com` }, ['origin-response']);
  const byAlias = () => distribution({ oacId: OAC_ID, domain: `${OL_ALIAS}.s3.eu-west-1.amazonaws.com` }, ['origin-response']);
  const olapGrant = { Version: '2008-10-17', Statement: [{ Sid: 'CloudFrontGet', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3-object-lambda:Get*', Resource: OLAP_ARN, Condition: { StringEquals: { 'aws:SourceArn': DIST_ARN } } }] };
  const supportingGrant = { Version: '2012-10-17', Statement: [{ Sid: 'ViaObjectLambda', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:*', Resource: [AP_ARN, `${AP_ARN}/object/*`], Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': 's3-object-lambda.amazonaws.com' } } }] };
  const fnPolicy = { Version: '2012-10-17', Id: 'default', Statement: [{ Sid: `cloudfront-${DIST}`, Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: FN, Condition: { ArnLike: { 'AWS:SourceArn': DIST_ARN } } }] };
  const delegation = { Version: '2012-10-17', Statement: [{ Sid: 'DelegateToAccessPoints', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { StringEquals: { 's3:DataAccessPointAccount': ACCOUNT } } }] };
  const world = (change: Partial<World> = {}, olChange: object = {}): Partial<World> => ({
    distribution: byEndpoint(),
    objectLambdas: [{ name: 'site-olap', alias: OL_ALIAS, supportingAccessPoint: 'site-ap', functionArns: [FN], policy: olapGrant, ...olChange }],
    accessPoints: [{ name: 'site-ap', alias: 'site-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias', bucket: BUCKET, policy: supportingGrant }],
    lambdaPolicies: { [FN]: fnPolicy },
    bucketPolicy: delegation,
    ...change,
  });
  const check = (r: Awaited<ReturnType<typeof run>>, id: string) => r.results.find((c) => c.id === id)!;

  test.each([['its endpoint', byEndpoint], ['its alias', byAlias]])('reached by %s and every policy granting: nothing wrong, with the supporting access point and the function in the evidence', async (_how, dist) => {
    const report = await run(world({ distribution: dist() }));
    expect(report.cause).toBeUndefined();
    expect(check(report, 'distribution').evidence).toContainEqual({ call: `s3control:GetAccessPointConfigurationForObjectLambda(AccountId=${ACCOUNT}, Name=site-olap)`, seen: `SupportingAccessPoint=${AP_ARN}, functions ${FN}` });
    const bp = check(report, 'bucket-policy');
    expect(bp.status).toBe('ok');
    expect(bp.evidence).toContainEqual({ call: `evaluate function policy statement "cloudfront-${DIST}" (Allow) for lambda:InvokeFunction on ${FN}`, seen: 'matches' });
    // The supporting access point's grant holds only for requests S3 Object Lambda makes (aws:CalledVia).
    expect(bp.evidence).toContainEqual({ call: `evaluate access point policy statement "ViaObjectLambda" (Allow) for s3:GetObject on ${AP_ARN}/object/index.html`, seen: 'matches' });
  });

  test.each<[string, Partial<World>, object, string, RegExp]>([
    ['no Object Lambda access point policy', {}, { policy: null }, 'object-lambda-policy-absent', /site-olap has no policy/],
    ['a policy granting another distribution', {}, { policy: { Statement: [{ ...olapGrant.Statement[0], Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/EOTHER00000000` } } }] } }, 'object-lambda-policy-missing-allow', /no statement of Object Lambda access point site-olap's policy grants/],
    ['a function without a resource policy', { lambdaPolicies: {} }, {}, 'object-lambda-function-not-invokable', /invokes arn:aws:lambda:eu-west-1:333333333333:function:resize-images:3, whose resource policy \(there is none\) does not grant/],
    ['a bucket that does not delegate', { bucketPolicy: oacPolicy(`arn:aws:cloudfront::${ACCOUNT}:distribution/EOTHER00000000`) }, {}, 'bucket-no-access-point-delegation', /nor delegates/],
  ])('%s: check 2 names it', async (_name, change, olChange, reason, says) => {
    const report = await run(world(change, olChange));
    expect(report.cause).toMatchObject({ id: 'bucket-policy', reason, summary: expect.stringMatching(says) });
  });

  test('a supporting access point of another bucket: origin-other-bucket', async () => {
    const report = await run(world({ accessPoints: [{ name: 'site-ap', alias: 'x-s3alias', bucket: 'acme-web-old', policy: supportingGrant }] }));
    expect(report.cause).toMatchObject({ id: 'distribution', reason: 'origin-other-bucket', summary: expect.stringMatching(/Object Lambda access point site-olap, whose supporting access point site-ap serves bucket "acme-web-old"/) });
  });

  test('the Object Lambda configuration refused: unknown naming the action, and nothing depending on it is a problem', async () => {
    const report = await run({ ...world({ objects: {} }), refuse: { 's3:GetAccessPointConfigurationForObjectLambda': { policy: 'identity-based policy' } } });
    expect(check(report, 'distribution')).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/refused s3:GetAccessPointConfigurationForObjectLambda: no identity-based policy allows it/) });
    expect(report.results.filter((r) => r.status === 'problem')).toEqual([]);
  });

  test('the function policy refused: check 2 unknown, naming lambda:GetPolicy', async () => {
    const report = await run({ ...world(), refuse: { 'lambda:GetPolicy': { policy: 'identity-based policy' } } });
    expect(check(report, 'bucket-policy')).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/resource policy of .*resize-images:3.* could not be read \(refused lambda:GetPolicy/) });
  });

  test('an Object Lambda endpoint is not called a non-S3 origin, nor its alias another bucket', async () => {
    for (const dist of [byEndpoint, byAlias]) {
      const report = await run({ distribution: dist() });
      expect(report.results.some((r) => r.reason === 'origin-not-s3' || r.reason === 'origin-other-bucket')).toBe(false);
    }
  });
});
