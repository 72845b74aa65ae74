import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CopyObjectCommand, PutBucketAclCommand, PutBucketOwnershipControlsCommand, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateJobCommand } from '@aws-sdk/client-s3-control';
import * as cloudfrontExports from '@aws-sdk/client-cloudfront';
import { CloudFrontClient, CloudFrontServiceException, GetCloudFrontOriginAccessIdentityCommand, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { mockClient } from 'aws-sdk-client-mock';
import { fixOwnershipCommand } from '../../src/cli/commands/fix';
import { applyOwnershipFix, manifestCsv, planOwnershipFix, scanOwnership } from '../../src/origin/fix';
import { awsError } from '../helpers/aws-errors';
import { tempDir, validConfig, writeJsonConfig } from '../helpers/config';
import { mockFixBucket, ownerGrant, type FixBucket } from './fix-world';
import { ACCOUNT, BUCKET, DIST, OAI_CANONICAL, OAI_ID, OWNER_ID, TOOLS_ID, distribution } from './world';

const ALL_USERS_READ = { Grantee: { Type: 'Group' as const, URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' as const };
const OAI = OAI_CANONICAL.slice(0, 64);
const PARTNER = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const opts = { accountId: ACCOUNT, batchThreshold: 5, batchRoleName: 'edgelock-batch-operations', oaiCanonicalIds: [OAI] };

function objects(n: number, owner: string, extra: object = {}) {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`assets/f${String(i).padStart(4, '0')}.js`, { ownerId: owner, ...extra }]));
}

async function plan(b: FixBucket, keepAcls = false) {
  const { s3 } = mockFixBucket(b);
  const scan = await scanOwnership(s3, BUCKET, { aclScanLimit: 1000 });
  return planOwnershipFix(scan, { ...opts, keepAcls });
}

describe('fix ownership plans, one per starting mode', () => {
  test('BucketOwnerEnforced: nothing to do', async () => {
    const p = await plan({ mode: 'BucketOwnerEnforced', objects: objects(3, OWNER_ID) });
    expect(p.steps).toEqual([]);
    expect(p.notes[0]).toMatch(/already disabled/);
  });

  test('ObjectWriter, the seed: foreign public-read objects; one switch re-owns them, no copy, public grants not moved', async () => {
    const p = await plan({
      mode: null,
      objects: { 'index.html': { ownerId: TOOLS_ID, grants: [ownerGrant(TOOLS_ID), ALL_USERS_READ] }, 'app.js': { ownerId: OWNER_ID, grants: [ownerGrant(), ALL_USERS_READ] } },
    });
    expect(p.from).toBe('ObjectWriter');
    expect(p.steps).toEqual([{ kind: 'put-ownership-controls', from: 'ObjectWriter', to: 'BucketOwnerEnforced' }]);
    expect(p.foreignCount).toBe(1);
    expect(p.notes.join('\n')).toMatch(/app\.js: READ to AllUsers \(public-read\) is not moved/);
    expect(p.notes.join('\n')).toMatch(/1 object\(s\) belong to another account \(e\.g\. index\.html\): BucketOwnerEnforced makes the bucket owner their owner, no copy needed/);
    expect(p.blockers).toEqual([]);
  });

  test('BucketOwnerPreferred with ACL grants: OAI, partner account and log delivery move into the policy, the bucket ACL is reset first', async () => {
    const p = await plan({
      mode: 'BucketOwnerPreferred',
      policy: { Version: '2012-10-17', Statement: [{ Sid: 'Existing', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
      bucketGrants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'WRITE' }],
      objects: {
        'index.html': { ownerId: OWNER_ID, grants: [ownerGrant(), { Grantee: { Type: 'CanonicalUser', ID: OAI }, Permission: 'READ' }] },
        'feeds/partner.xml': { ownerId: OWNER_ID, grants: [ownerGrant(), { Grantee: { Type: 'CanonicalUser', ID: PARTNER }, Permission: 'READ' }] },
      },
    });
    expect(p.steps.map((s) => s.kind)).toEqual(['put-bucket-policy', 'reset-bucket-acl', 'put-ownership-controls']);
    const first = p.steps[0]!;
    const policy = first.kind === 'put-bucket-policy' ? first.policy : undefined;
    expect(policy!.Statement.map((s) => s.Sid)).toEqual(['Existing', 'EdgelockFromAclS3LogDelivery', expect.stringMatching(/^EdgelockFromAclReadc0ffee/), expect.stringMatching(/^EdgelockFromAclOaiRead/)]);
    expect(policy!.Statement[2]).toMatchObject({ Principal: { CanonicalUser: PARTNER }, Action: 's3:GetObject', Resource: [`arn:aws:s3:::${BUCKET}/feeds/partner.xml`] });
    expect(policy!.Statement[3]).toMatchObject({ Principal: { CanonicalUser: OAI }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` });
  });

  test('--keep-acls, small bucket: BucketOwnerPreferred and an in-place copy of the foreign objects', async () => {
    const p = await plan({ mode: 'ObjectWriter', objects: { ...objects(3, TOOLS_ID, { grants: [ownerGrant(TOOLS_ID), ownerGrant()] }), 'index.html': { ownerId: OWNER_ID } } }, true);
    expect(p.to).toBe('BucketOwnerPreferred');
    expect(p.steps).toEqual([
      { kind: 'put-ownership-controls', from: 'ObjectWriter', to: 'BucketOwnerPreferred' },
      { kind: 'copy-in-place', keys: ['assets/f0000.js', 'assets/f0001.js', 'assets/f0002.js'] },
    ]);
  });

  test('--keep-acls above doctor.batchThreshold: an S3 Batch Operations job instead of a loop', async () => {
    const p = await plan({ mode: 'BucketOwnerPreferred', objects: objects(1200, TOOLS_ID) }, true);
    const batch = p.steps.find((s) => s.kind === 'batch-copy');
    expect(batch).toMatchObject({ kind: 'batch-copy', roleArn: `arn:aws:iam::${ACCOUNT}:role/edgelock-batch-operations` });
    expect(batch!.kind === 'batch-copy' && batch!.keys.length).toBe(1200);
    expect(p.steps.some((s) => s.kind === 'copy-in-place')).toBe(false);
    // ACLs are read for the first 1000 objects only (the scan limit): the plan says so.
    expect(p.notes.join('\n')).toMatch(/1000 foreign-owned object\(s\) refuse the bucket owner even their ACL/);
    expect(p.notes.join('\n')).toMatch(/object ACLs were read for the first 1000 of 1200 objects/);
  });

  test('blockers: an e-mail grantee, and too many single-object grants to one account', async () => {
    const p = await plan({
      mode: 'ObjectWriter',
      bucketGrants: [{ Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'ops@example.com' }, Permission: 'READ' }],
      objects: objects(101, OWNER_ID, { grants: [ownerGrant(), { Grantee: { Type: 'CanonicalUser', ID: PARTNER }, Permission: 'READ' }] }),
    });
    expect(p.blockers).toEqual([expect.stringMatching(/e-mail grantee cannot be named in a bucket policy/), expect.stringMatching(/101 objects grant READ to canonical user c0ffee.*too many/)]);
  });
});

test('manifest lines are bucket,key with the key URL-encoded (slashes kept)', () => {
  expect(manifestCsv('b', ['a/b c.html', 'ü/x+y'])).toBe('b,a/b%20c.html\nb,%C3%BC/x%2By\n');
});

describe('applying', () => {
  test('order: policy, bucket ACL, ownership (verified)', async () => {
    const b: FixBucket = { mode: 'ObjectWriter', bucketGrants: [{ Grantee: { Type: 'CanonicalUser', ID: PARTNER }, Permission: 'READ' }], objects: objects(2, OWNER_ID) };
    const { s3, s3control, m } = mockFixBucket(b);
    const p = planOwnershipFix(await scanOwnership(s3, BUCKET, { aclScanLimit: 10 }), opts);
    const r = await applyOwnershipFix(p, { s3, s3control, accountId: ACCOUNT });
    const puts = m.calls().map((c) => c.args[0].constructor.name).filter((n) => n.startsWith('Put'));
    expect(puts).toEqual([PutBucketPolicyCommand.name, PutBucketAclCommand.name, PutBucketOwnershipControlsCommand.name]);
    expect(r.done.at(-1)).toBe('Object Ownership: ObjectWriter → BucketOwnerEnforced (verified)');
  });

  test('in-place copy keeps the object\'s metadata (REPLACE with its own values)', async () => {
    const { s3, s3control, m } = mockFixBucket({ mode: 'BucketOwnerPreferred', objects: { 'a b.html': { ownerId: TOOLS_ID, grants: [ownerGrant(TOOLS_ID), ownerGrant()] } } });
    const p = planOwnershipFix(await scanOwnership(s3, BUCKET, { aclScanLimit: 10 }), { ...opts, keepAcls: true });
    const r = await applyOwnershipFix(p, { s3, s3control, accountId: ACCOUNT });
    expect(r.copied).toBe(1);
    expect(m.commandCalls(CopyObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: BUCKET, Key: 'a b.html', CopySource: `${BUCKET}/a%20b.html`, MetadataDirective: 'REPLACE', ContentType: 'text/html', CacheControl: 'no-cache', Metadata: { build: '42' }, ServerSideEncryption: 'AES256',
    });
  });

  test('batch path: the manifest goes to the manifest bucket and the job is created with its ETag, awaiting confirmation', async () => {
    const { s3, s3control, m, mc } = mockFixBucket({ mode: 'BucketOwnerPreferred', objects: objects(8, TOOLS_ID) });
    const p = planOwnershipFix(await scanOwnership(s3, BUCKET, { aclScanLimit: 10 }), { ...opts, keepAcls: true });
    await expect(applyOwnershipFix(p, { s3, s3control, accountId: ACCOUNT })).rejects.toThrow(/pass --manifest-bucket NAME/);
    await expect(applyOwnershipFix(p, { s3, s3control, accountId: ACCOUNT, manifestBucket: BUCKET })).rejects.toThrow(/must not be the site bucket/);
    const r = await applyOwnershipFix(p, { s3, s3control, accountId: ACCOUNT, manifestBucket: 'acme-ops-333333333333', token: 't1' });
    const put = m.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Bucket: 'acme-ops-333333333333', Key: `edgelock-fix-ownership/${BUCKET}/manifest-t1.csv` });
    expect(String(put.Body).split('\n')).toHaveLength(9);
    const job = mc.commandCalls(CreateJobCommand)[0]!.args[0].input;
    expect(job).toMatchObject({
      AccountId: ACCOUNT,
      ConfirmationRequired: true,
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/edgelock-batch-operations`,
      Operation: { S3PutObjectCopy: { TargetResource: `arn:aws:s3:::${BUCKET}`, MetadataDirective: 'COPY' } },
      Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] }, Location: { ObjectArn: `arn:aws:s3:::acme-ops-333333333333/edgelock-fix-ownership/${BUCKET}/manifest-t1.csv`, ETag: '0123456789abcdef0123456789abcdef' } },
    });
    expect(r.jobId).toBe('a1b2c3d4-5678-90ab-cdef-EXAMPLE11111');
  });

  test('blockers stop the fix before any change', async () => {
    const { s3, s3control, m } = mockFixBucket({ mode: 'ObjectWriter', bucketGrants: [{ Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'ops@example.com' }, Permission: 'READ' }], objects: {} });
    const p = planOwnershipFix(await scanOwnership(s3, BUCKET, { aclScanLimit: 10 }), opts);
    await expect(applyOwnershipFix(p, { s3, s3control, accountId: ACCOUNT })).rejects.toThrow(/not changing .*resolve these first/s);
    expect(m.calls().filter((c) => c.args[0].constructor.name.startsWith('Put'))).toEqual([]);
  });
});

describe('the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('edgelock-fix-');
    writeJsonConfig(validConfig({ doctor: { batchThreshold: 5 } }, { prod: { accountId: ACCOUNT, region: 'eu-west-1', auth: false } }, { only: true }), dir);
  });

  test('--dry-run changes nothing and prints the plan; with --out it writes the manifest and job for review', async () => {
    const { s3, s3control, m, mc } = mockFixBucket({ mode: 'ObjectWriter', objects: objects(7, TOOLS_ID) });
    let text = '';
    const out = path.join(dir, 'batch');
    await fixOwnershipCommand({ config: path.join(dir, 'edgelock.config.json'), env: 'prod', dryRun: true, keepAcls: true, out }, { s3, s3control }, (s) => (text += s));
    expect(text).toMatch(/^Plan \(dry run, nothing changed\) for s3:\/\/acme-web-prod-site-333333333333: 7 object\(s\), 7 owned by another account; Object Ownership ObjectWriter → BucketOwnerPreferred/);
    expect(text).toMatch(/create an S3 Batch Operations copy job for 7 foreign-owned objects/);
    expect(m.calls().filter((c) => /^(Put|Copy)/.test(c.args[0].constructor.name))).toEqual([]);
    expect(mc.calls()).toEqual([]);
    expect(readFileSync(path.join(out, 'manifest.csv'), 'utf8').split('\n')[0]).toBe(`${BUCKET},assets/f0000.js`);
    expect(JSON.parse(readFileSync(path.join(out, 'job.json'), 'utf8')).Operation.S3PutObjectCopy.TargetResource).toBe(`arn:aws:s3:::${BUCKET}`);
  });

  test('a real run switches the bucket and reports it', async () => {
    const { s3, s3control } = mockFixBucket({ mode: null, objects: { 'index.html': { ownerId: TOOLS_ID } } });
    let text = '';
    await fixOwnershipCommand({ config: path.join(dir, 'edgelock.config.json'), env: 'prod' }, { s3, s3control }, (s) => (text += s));
    expect(text).toMatch(/Done:\n {2}- Object Ownership: ObjectWriter → BucketOwnerEnforced \(verified\)/);
    expect(existsSync(path.join(dir, 'job.json'))).toBe(false);
  });
});

test('the CLI also counts the distribution\'s own OAI, read from CloudFront, when it is not in the config', async () => {
  {
    const config = writeJsonConfig(validConfig({}, { prod: { accountId: ACCOUNT, region: 'eu-west-1', auth: false, originAccess: 'oai', distributionId: DIST } }, { only: true }));
    const { s3, s3control } = mockFixBucket({ mode: 'ObjectWriter', objects: { 'index.html': { ownerId: OWNER_ID, grants: [ownerGrant(), { Grantee: { Type: 'CanonicalUser', ID: OAI_CANONICAL }, Permission: 'READ' }] } } });
    const cloudfront = new CloudFrontClient({ region: 'us-east-1' });
    const cf = mockClient(cloudfront);
    cf.on(GetDistributionConfigCommand).resolves({ DistributionConfig: distribution({ oaiId: OAI_ID }), ETag: 'E1' });
    cf.on(GetCloudFrontOriginAccessIdentityCommand).resolves({ CloudFrontOriginAccessIdentity: { Id: OAI_ID, S3CanonicalUserId: OAI_CANONICAL }, ETag: 'E2' });
    let text = '';
    await fixOwnershipCommand({ config, env: 'prod', dryRun: true, json: true }, { s3, s3control, cloudfront }, (s) => (text += s));
    const plan = JSON.parse(text).plan;
    expect(plan.steps[0].added).toEqual([expect.objectContaining({ Principal: { CanonicalUser: OAI_CANONICAL }, Resource: `arn:aws:s3:::${BUCKET}/*` })]);
    cf.on(GetDistributionConfigCommand).rejects(awsError(cloudfrontExports as unknown as Record<string, unknown>, CloudFrontServiceException as unknown as Parameters<typeof awsError>[1], 'AccessDenied', 403, 'denied'));
    text = '';
    await fixOwnershipCommand({ config, env: 'prod', dryRun: true, json: true }, { s3, s3control, cloudfront }, (s) => (text += s));
    const again = JSON.parse(text).plan;
    expect(again.notes).toContainEqual(expect.stringMatching(/the OAI of distribution E2QWRUHAPOMQZL could not be read \(AccessDenied\)/));
    expect(again.steps[0].added[0].Resource).toEqual([`arn:aws:s3:::${BUCKET}/index.html`]);
  }
});
