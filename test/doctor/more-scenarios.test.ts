/**
 * Further causes, each the only thing wrong in a healthy world: the doctor names it first.
 */
import { toEdgeConfig } from '../../src/build/edge-config';
import type { Reason } from '../../src/origin/doctor/reasons';
import { ACCOUNT, BUCKET, DIST, ENV, KMS_KEY, OAC_ID, OAI_CANONICAL, OWNER_ID, TOOLS_ID, distribution, edgeFor, healthyWorld, mockWorld, oacPolicy, type World, runWorld } from './world';
import { resolvedConfig, validConfig } from '../helpers/config';

const healthy = healthyWorld();
const cases: [string, Partial<World>, string, RegExp, Reason][] = [
  ['distribution does not exist', { distribution: 'missing' }, 'distribution', /does not exist \(NoSuchDistribution\)/, 'distribution-missing'],
  ['OAC never signs', { oac: { SigningBehavior: 'never' } }, 'distribution', /SigningBehavior "never"/, 'oac-never-signs'],
  ['origin is another bucket', { distribution: distribution({ oacId: OAC_ID, domain: 'acme-web-staging-site.s3.eu-west-1.amazonaws.com' }) }, 'distribution', /bucket "acme-web-staging-site", not the environment's bucket/, 'origin-other-bucket'],
  ['policy pinned to another distribution', { bucketPolicy: oacPolicy(`arn:aws:cloudfront::${ACCOUNT}:distribution/EOTHERDIST123`) }, 'bucket-policy', /no statement grants origin access control .*EOTHERDIST123/s, 'policy-missing-oac-allow'],
  ['no bucket policy', { bucketPolicy: null }, 'bucket-policy', /the bucket has no policy/, 'policy-absent'],
  [
    'an explicit Deny in the bucket policy',
    { bucketPolicy: { Version: '2012-10-17', Statement: [...(oacPolicy() as { Statement: object[] }).Statement, { Sid: 'DenyOutsideVpc', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }] } },
    'bucket-policy',
    /"DenyOutsideVpc" \(Deny\) of the bucket policy denies/,
    'policy-denies-distribution',
  ],
  ['Requester Pays', { payer: 'Requester' }, 'key', /Requester Pays/, 'requester-pays'],
  ['no DefaultRootObject', { distribution: { ...(distribution({ oacId: OAC_ID }) as object), DefaultRootObject: '' } as World['distribution'] }, 'key', /no DefaultRootObject/, 'no-default-root-object'],
  [
    'SSE-KMS with the AWS managed key',
    { objects: { 'index.html': { ownerId: OWNER_ID, sse: 'aws:kms', kmsKeyId: KMS_KEY } }, kms: { manager: 'AWS', policy: {} } },
    'encryption',
    /AWS managed key/,
    'kms-aws-managed-key',
  ],
  ['SSE-KMS behind an OAI', { distribution: distribution({ oaiId: 'E1SEEDOAI0ABCD' }), oac: undefined, bucketPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1SEEDOAI0ABCD' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }] }, objects: { 'index.html': { ownerId: OWNER_ID, sse: 'aws:kms', kmsKeyId: KMS_KEY } } }, 'encryption', /an OAI cannot decrypt SSE-KMS/, 'kms-behind-oai'],
];

test.each(cases)('%s', async (_name, change, cause, says, reason) => {
  const env = change.oac === undefined && 'oac' in change ? { ...ENV, originAccess: 'oai' as const } : ENV;
  const report = await runWorld({ env, distributionId: DIST, clients: mockWorld({ ...healthy, ...change }) });
  expect([report.results[0]!.id, report.results[0]!.status]).toEqual([cause, 'problem']);
  expect(report.results[0]!.summary).toMatch(says);
  expect(report.results[0]!.reason).toBe(reason);
});

describe('the origin guard (check 8)', () => {
  const config = resolvedConfig(validConfig());

  test('a guard built for OAI behind an OAC origin refuses every request', async () => {
    const edge = toEdgeConfig(config, { ...ENV, originAccess: 'oai' });
    const report = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld(healthy), edge });
    expect(report.results[0]).toMatchObject({ id: 'edge', status: 'problem', reason: 'guard-access-mismatch', summary: expect.stringMatching(/built for originAccess "oai" \(authMethod "origin-access-identity"\), but the origin shows authMethod "none" \(OAC\): the guard fails closed on every request with a 502/) });
  });

  test('a guard built for another bucket refuses every request', async () => {
    const edge = toEdgeConfig(config, { ...ENV, bucket: 'acme-web-old', bucketDomain: 'acme-web-old.s3.eu-west-1.amazonaws.com' });
    const report = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld(healthy), edge });
    expect(report.results[0]).toMatchObject({ id: 'edge', status: 'problem', reason: 'guard-domain-mismatch', summary: expect.stringMatching(/accepts only acme-web-old\.s3\.eu-west-1\.amazonaws\.com or acme-web-old\.s3\.amazonaws\.com, but the origin is acme-web-prod-site/) });
  });

  test('a guard built for OAI in front of an origin without any access also refuses (authMethod "none")', async () => {
    const edge = toEdgeConfig(config, { ...ENV, originAccess: 'oai' });
    const report = await runWorld({ env: { ...ENV, originAccess: 'oai' }, distributionId: DIST, clients: mockWorld({ ...healthy, distribution: distribution({}), oac: undefined }), edge });
    expect(report.results.find((r) => r.id === 'edge')).toMatchObject({ status: 'problem', reason: 'guard-access-mismatch', summary: expect.stringMatching(/authMethod "none" \(no origin access\)/) });
  });

  test('a matching guard is fine, and missing edge functions are reported without blaming them for a 403', async () => {
    const edge = toEdgeConfig(config, ENV);
    const ok = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld(healthy), edge });
    expect(ok.results.find((r) => r.id === 'edge')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/origin guard matches/) });
    const bare = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld({ ...healthy, distribution: distribution({ oacId: OAC_ID }, []) }), edge });
    expect(bare.results.find((r) => r.id === 'edge')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/not a 403 cause, but edge functions are missing: Default \(\*\): origin-request, origin-response, viewer-request/) });
  });
});

test('a distribution the doctor may not read is unknown; the other checks go on from the config\'s access mode, and nothing is blamed', async () => {
  const report = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld({ ...healthy, distribution: 'denied', org: 'denied', accountPab: 'denied' }) });
  expect(report.results.find((r) => r.id === 'distribution')!.status).toBe('unknown');
  expect(report.cause).toBeUndefined();
});

test('a bucket policy that is not JSON is an error naming the bucket, not a finding', async () => {
  const clients = mockWorld({ ...healthy, bucketPolicy: '{"Statement": [' });
  await expect(runWorld({ env: ENV, distributionId: DIST, clients })).rejects.toThrow(/the bucket policy of acme-web-prod-site-333333333333 is not valid JSON/);
  await expect(runWorld({ env: ENV, distributionId: DIST, clients })).rejects.toMatchObject({ code: 'AWS_ERROR' });
});

test('no credentials: one clear error instead of eight unknowns', async () => {
  const clients = mockWorld(healthy);
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const { mockClient } = await import('aws-sdk-client-mock');
  mockClient(clients.sts).on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
  await expect(runWorld({ env: ENV, distributionId: DIST, clients })).rejects.toThrow(/AWS did not accept the credentials \(CredentialsProviderError: Could not load credentials from any providers\), so nothing was checked: give valid credentials for account 333333333333/);
  await expect(runWorld({ env: ENV, distributionId: DIST, clients })).rejects.toMatchObject({ code: 'AWS_UNREACHABLE' });
});

test('an SCP that denies s3:GetObject outright is shown, and not blamed: SCPs never limit the CloudFront principal', async () => {
  const org = healthy.org as Exclude<World['org'], string>;
  const scp = { id: 'p-denys3get', name: 'DenyS3Reads', type: 'SERVICE_CONTROL_POLICY' as const, target: ACCOUNT, content: { Version: '2012-10-17', Statement: [{ Sid: 'NoReads', Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }] } };
  const report = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld({ ...healthy, org: { ...org, policies: [...org.policies, scp] } }) });
  const check = report.results.find((r) => r.id === 'organizations')!;
  expect(check.status).toBe('ok');
  expect(check.evidence).toContainEqual({ call: `evaluate SCP DenyS3Reads (p-denys3get, on ${ACCOUNT}) statement "NoReads" (Deny)`, seen: 'matches s3:GetObject, but SCPs never apply to the CloudFront principal' });
  expect(report.cause).toBeUndefined();
});

test('a foreign object whose readable ACL grants another OAI: the report names both canonical IDs', async () => {
  const other = 'd'.repeat(96);
  const w: World = {
    ...healthy,
    distribution: distribution({ oaiId: 'E1SEEDOAI0ABCD' }),
    oac: undefined,
    ownership: 'BucketOwnerPreferred',
    bucketPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1SEEDOAI0ABCD' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }] },
    objects: { 'index.html': { ownerId: TOOLS_ID, grants: [{ Grantee: { Type: 'CanonicalUser', ID: TOOLS_ID }, Permission: 'FULL_CONTROL' }, { Grantee: { Type: 'CanonicalUser', ID: OWNER_ID }, Permission: 'READ_ACP' }, { Grantee: { Type: 'CanonicalUser', ID: other }, Permission: 'READ' }] } },
  };
  const report = await runWorld({ env: { ...ENV, originAccess: 'oai' }, distributionId: DIST, clients: mockWorld(w) });
  expect(report.results[0]).toMatchObject({ id: 'object-ownership', status: 'problem', reason: 'object-foreign-owner' });
  expect(report.results[0]!.summary).toMatch(new RegExp(`does not grant read to the OAI's canonical user ${OAI_CANONICAL}; it grants read to ${other}`));
});

test('the key\'s own behaviour decides which origin is checked (path patterns)', async () => {
  const base = distribution({ oacId: OAC_ID }) as Exclude<World['distribution'], string>;
  const cfg = {
    ...base,
    Origins: { Quantity: 2, Items: [...base.Origins!.Items!, { ...base.Origins!.Items![0]!, Id: 'legacy', DomainName: `${BUCKET}.s3-website-eu-west-1.amazonaws.com`, OriginAccessControlId: '', S3OriginConfig: undefined, CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' as const } }] },
    CacheBehaviors: { Quantity: 1, Items: [{ ...base.DefaultCacheBehavior!, PathPattern: 'legacy/*', TargetOriginId: 'legacy' }] },
  };
  const w = { ...healthy, distribution: cfg, objects: { ...healthy.objects, 'legacy/old.html': { ownerId: OWNER_ID } } };
  const legacy = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld(w), key: '/legacy/old.html' });
  expect(legacy.results[0]).toMatchObject({ id: 'distribution', status: 'problem', reason: 'origin-website-endpoint', summary: expect.stringMatching(/website endpoint/) });
  expect(legacy.results[0]!.evidence).toContainEqual(expect.objectContaining({ call: 'behaviour legacy/* → origin legacy' }));
  const root = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld(w) });
  expect(root.cause).toBeUndefined();
});

test('origin access detached from a private bucket: the missing origin access ranks first, not Block Public Access', async () => {
  const report = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld({ ...healthy, distribution: distribution({}), oac: undefined }) });
  expect(report.results.slice(0, 3).map((r) => `${r.id}:${r.status}`)).toEqual(['distribution:problem', 'bucket-policy:problem', 'block-public-access:problem']);
  expect(report.results.slice(0, 3).map((r) => r.reason)).toEqual(['origin-access-none', 'policy-missing-anonymous-allow', 'bpa-blocks-anonymous']);
  expect(report.results[0]!.summary).toMatch(/neither an origin access control nor an origin access identity/);
});

describe('OAC signing behaviour', () => {
  const run = (w: Partial<World>, edge = edgeFor(ENV)) => runWorld({ env: ENV, distributionId: DIST, clients: mockWorld({ ...healthy, ...w }), edge });
  const withoutEdgelock = (): World['distribution'] => distribution({ oacId: OAC_ID }, ['origin-response']);

  test('"never": the requests are anonymous, so the policy\'s grant to the distribution does not answer them', async () => {
    const report = await run({ oac: { SigningBehavior: 'never' } });
    expect(report.cause).toMatchObject({ reason: 'oac-never-signs' });
    const bp = report.results.find((r) => r.id === 'bucket-policy')!;
    expect(bp).toMatchObject({ status: 'problem', reason: 'policy-missing-anonymous-allow', summary: expect.stringMatching(/^no statement grants unsigned \(anonymous\) requests \(origin access control E3OACSITE0ABCD never signs\) s3:GetObject on index\.html/), fix: expect.stringMatching(/SigningBehavior to "always"/) });
    expect(report.results.find((r) => r.id === 'block-public-access')).toMatchObject({ status: 'problem', reason: 'bpa-blocks-anonymous' });
  });

  test('"no-override" with Authorization in the cache key and no edgelock function to remove it: a problem, with the cache policy as evidence', async () => {
    const report = await run({ oac: { SigningBehavior: 'no-override' }, distribution: withoutEdgelock(), cacheKeyHeaders: ['Authorization'] });
    expect(report.cause).toMatchObject({ id: 'distribution', reason: 'oac-no-override-forwards-authorization', summary: expect.stringMatching(/forwards the viewer's Authorization header .* reaches S3 with that header instead of CloudFront's signature/) });
    expect(report.cause!.evidence).toContainEqual({ call: 'cloudfront:GetCachePolicy(Id=658327ea-f89d-4fab-a63d-7e88639e58f6)', seen: 'acme-web-auth: HeaderBehavior=whitelist, Headers=Authorization' });
  });

  test('"no-override" without Authorization forwarded, or with edgelock\'s functions removing it: ok, with a note', async () => {
    const plain = await run({ oac: { SigningBehavior: 'no-override' }, distribution: withoutEdgelock() });
    expect(plain.results.find((r) => r.id === 'distribution')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/SigningBehavior "no-override".*prefer "always"/) });
    const guarded = await run({ oac: { SigningBehavior: 'no-override' }, cacheKeyHeaders: ['authorization'] });
    expect(guarded.results.find((r) => r.id === 'distribution')).toMatchObject({ status: 'ok', summary: expect.stringMatching(/edgelock's viewer-request function .*acme-web-prod-viewer-request:1 removes it/) });
    expect(plain.cause).toBeUndefined();
  });

  test('"no-override" with the cache policy unreadable: unknown, naming the refused action', async () => {
    const report = await run({ oac: { SigningBehavior: 'no-override' }, distribution: withoutEdgelock(), refuse: { 'cloudfront:GetCachePolicy': { policy: 'identity-based policy' } } });
    expect(report.results.find((r) => r.id === 'distribution')).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/could not be read \(refused cloudfront:GetCachePolicy: no identity-based policy allows it\)/) });
    expect(report.cause).toBeUndefined();
  });
});

describe('the AWS managed key aws/s3 behind an OAC: a problem, with the fact that shows it', () => {
  test('an object encrypted with it: DescribeKey\'s KeyManager=AWS is the evidence', async () => {
    const report = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld({ ...healthy, objects: { 'index.html': { ownerId: OWNER_ID, sse: 'aws:kms', kmsKeyId: KMS_KEY } }, kms: { manager: 'AWS', policy: {} } }) });
    expect(report.cause).toMatchObject({ id: 'encryption', reason: 'kms-aws-managed-key' });
    expect(report.cause!.evidence).toContainEqual({ call: `kms:DescribeKey(KeyId=${KMS_KEY})`, seen: `KeyManager=AWS, KeyState=Enabled, Arn=${KMS_KEY}` });
  });

  test('a missing object in a bucket whose default is aws:kms without a key (aws/s3): GetBucketEncryption is the evidence', async () => {
    const report = await runWorld({ env: ENV, distributionId: DIST, clients: mockWorld({ ...healthy, objects: {}, defaultEncryption: { SSEAlgorithm: 'aws:kms' } }) });
    const enc = report.results.find((r) => r.id === 'encryption')!;
    expect(enc).toMatchObject({ status: 'problem', reason: 'kms-aws-managed-key', summary: expect.stringMatching(/^the bucket default is encrypted with the AWS managed key aws\/s3/) });
    expect(enc.evidence).toContainEqual({ call: `s3:GetBucketEncryption(Bucket=${BUCKET})`, seen: 'default SSEAlgorithm=aws:kms' });
  });
});
