/**
 * Ownership awareness with the S3 control plane mocked (s3rver has no ownership controls or ACLs):
 * each mode gets the right ACL and grants, and the seed's scenario is either fixed or refused.
 */
import { GetBucketAclCommand, GetBucketOwnershipControlsCommand, GetObjectAclCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { DeployError, deploySite } from '../../src/origin/deploy';
import { scanSite } from '../../src/origin/deploy/local-files';
import { assertNoPublicGrant } from '../../src/origin/deploy/ownership';
import { s3Error } from '../helpers/aws-errors';
import { asRemote, BUCKET_OWNER_ID, bucketAcl, callerIdentity, DEPLOYER_ID, listing, mockRecord, OAI_ID, objectAcl, ownershipControls, RECORD_KEY } from './aws-mocks';
import { makeSite, rejection, sampleSite, testConfig, type Site } from './fixtures';

const s3Mock = mockClient(S3Client);
const stsMock = mockClient(STSClient);
let site: Site;

beforeAll(() => {
  site = makeSite(sampleSite());
});
afterAll(() => site.cleanup());
beforeEach(() => {
  s3Mock.reset();
  stsMock.reset();
  s3Mock.on(ListObjectsV2Command).resolves(listing([]));
  s3Mock.on(GetBucketAclCommand).resolves(bucketAcl());
  s3Mock.on(PutObjectCommand).resolves({ $metadata: { httpStatusCode: 200 }, ETag: '"x"' });
  s3Mock.on(GetObjectAclCommand).resolves(objectAcl(BUCKET_OWNER_ID));
  stsMock.on(GetCallerIdentityCommand).resolves(callerIdentity('111111111111'));
});

const OAI_ENV = { originAccess: 'oai', oaiCanonicalUserIds: [OAI_ID] };
const run = (env: Record<string, unknown> = {}) =>
  deploySite({ config: testConfig({ env }), env: 'dev', dir: site.dir, credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' } });
/** PUTs of site objects (the deploy record, written last, left out). */
const putInputs = () => s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input).filter((i) => !i.Key!.startsWith('.edgelock/'));
const recordPut = () => s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input).find((i) => i.Key!.startsWith('.edgelock/deploys/'));
const aclFields = (i: Record<string, unknown>) => Object.fromEntries(['ACL', 'GrantRead', 'GrantFullControl', 'GrantReadACP', 'GrantWriteACP'].filter((k) => i[k] !== undefined).map((k) => [k, i[k]]));

describe('the ACL on every PUT follows the bucket\'s Object Ownership', () => {
  test.each<[string, () => void, Record<string, unknown>, Record<string, string>, number]>([
    ['BucketOwnerEnforced: no ACL at all', () => s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('BucketOwnerEnforced')), {}, {}, 0],
    ['BucketOwnerEnforced with an OAI: the bucket-owner-full-control its bucket policy requires', () => s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('BucketOwnerEnforced')), OAI_ENV, { ACL: 'bucket-owner-full-control' }, 0],
    ['BucketOwnerPreferred: bucket-owner-full-control', () => s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('BucketOwnerPreferred')), {}, { ACL: 'bucket-owner-full-control' }, 6],
    [
      'ObjectWriter, same account: bucket-owner-full-control',
      () => {
        s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('ObjectWriter'));
        stsMock.on(GetCallerIdentityCommand).resolves(callerIdentity('222222222222'));
      },
      {},
      { ACL: 'bucket-owner-full-control' },
      6,
    ],
    [
      'ObjectWriter, cross-account OAI: full control to the owner, read to the OAI',
      () => {
        s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('ObjectWriter'));
        s3Mock.on(GetObjectAclCommand).resolves(objectAcl(DEPLOYER_ID, [{ ID: BUCKET_OWNER_ID, Permission: 'FULL_CONTROL' }, { ID: OAI_ID, Permission: 'READ' }]));
      },
      OAI_ENV,
      { GrantFullControl: `id=${BUCKET_OWNER_ID}`, GrantRead: `id=${OAI_ID}` },
      6,
    ],
    [
      'no ownership controls (a pre-2023 bucket) is ObjectWriter',
      () => {
        s3Mock.on(GetBucketOwnershipControlsCommand).rejects(s3Error('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found'));
        s3Mock.on(GetObjectAclCommand).resolves(objectAcl(DEPLOYER_ID, [{ ID: OAI_ID, Permission: 'READ' }]));
      },
      OAI_ENV,
      { GrantFullControl: `id=${BUCKET_OWNER_ID}`, GrantRead: `id=${OAI_ID}` },
      6,
    ],
    [
      'ownership unreadable (AccessDenied), same account: the strictest safe choice',
      () => {
        s3Mock.on(GetBucketOwnershipControlsCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
        stsMock.on(GetCallerIdentityCommand).resolves(callerIdentity('222222222222'));
      },
      {},
      { ACL: 'bucket-owner-full-control' },
      6,
    ],
  ])('%s', async (_name, arrange, env, expected, aclReads) => {
    arrange();
    const summary = await run(env);
    expect(summary.ok).toBe(true);
    expect(putInputs()).toHaveLength(6);
    for (const input of putInputs()) expect(aclFields(input as unknown as Record<string, unknown>)).toEqual(expected);
    // The record gets the same owner protection, but never the OAI's read grant.
    const { GrantRead: _read, ...ownerOnly } = expected as Record<string, unknown>;
    expect(aclFields(recordPut() as unknown as Record<string, unknown>)).toEqual(ownerOnly);
    expect(s3Mock.commandCalls(GetObjectAclCommand)).toHaveLength(aclReads);
    expect(summary.verification.ownership.problems).toEqual([]);
  });

  test('unreadable ownership is said out loud', async () => {
    s3Mock.on(GetBucketOwnershipControlsCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    stsMock.on(GetCallerIdentityCommand).resolves(callerIdentity('222222222222'));
    const summary = await run();
    expect(summary.ownership.reading).toBe('unreadable (AccessDenied)');
    expect(summary.warnings.join('\n')).toMatch(/could not read the Object Ownership .* from the bucket's own account with bucket-owner-full-control/);
  });

  test.each<[string, () => void, RegExp]>([
    ['another account', () => stsMock.on(GetCallerIdentityCommand).resolves(callerIdentity('111111111111')), /runs from account 111111111111, not the bucket owner 222222222222/],
    ['an account STS cannot name', () => stsMock.on(GetCallerIdentityCommand).rejects(new Error('no credentials')), /runs from an account STS could not name, not the bucket owner 222222222222/],
  ])('unreadable ownership from %s is refused before anything is written (the bucket may be ObjectWriter)', async (_name, arrange, who) => {
    s3Mock.on(GetBucketOwnershipControlsCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    arrange();
    const err = await run().catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/refusing to deploy to acme-site-dev: its Object Ownership is unreadable \(s3:GetBucketOwnershipControls denied\)/);
    expect((err as Error).message).toMatch(who);
    expect((err as Error).message).toMatch(/Nothing was written\. Fix: allow s3:GetBucketOwnershipControls on arn:aws:s3:::acme-site-dev to the deploy role/);
    expect(err).toMatchObject({ code: 'DEPLOY_REFUSED_OWNERSHIP_UNREADABLE' });
    expect(putInputs()).toEqual([]);
  });

  test('the seed with ownership unreadable: a changed live asset is not replaced by a foreign-owned copy', async () => {
    const local = (await scanSite(site.dir)).files;
    const asset = local.find((f) => !f.key.endsWith('.html'))!;
    s3Mock.on(GetBucketOwnershipControlsCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    s3Mock.on(ListObjectsV2Command).resolves(listing(local.map((f) => (f.key === asset.key ? { ...asRemote(f), etag: 'older' } : asRemote(f)))));
    await expect(run()).rejects.toThrow(/Nothing was written/);
    await expect(run()).rejects.toMatchObject({ code: 'DEPLOY_REFUSED_OWNERSHIP_UNREADABLE' });
    expect(putInputs()).toEqual([]);
  });

  test('when the bucket owner cannot be read, the ownership check cannot run: refused before writing, unless turned off', async () => {
    s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('BucketOwnerPreferred'));
    s3Mock.on(GetBucketAclCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    await expect(run()).rejects.toThrow(/cannot verify object ownership in acme-site-dev: .*s3:GetBucketAcl denied\)\. Nothing was written\./);
    await expect(run()).rejects.toMatchObject({ code: 'DEPLOY_REFUSED' });
    expect(putInputs()).toEqual([]);
    const summary = await deploySite({ config: testConfig(), env: 'dev', dir: site.dir, verify: false, credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' } });
    expect(summary.verification.ownership.skipped).toBe('turned off');
    expect(putInputs()).toHaveLength(6);
  });

  test('legacy ObjectWriter gets a warning that recommends BucketOwnerEnforced', async () => {
    s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('ObjectWriter'));
    s3Mock.on(GetObjectAclCommand).resolves(objectAcl(DEPLOYER_ID, [{ ID: OAI_ID, Permission: 'READ' }]));
    const summary = await run(OAI_ENV);
    expect(summary.warnings.join('\n')).toMatch(/legacy ObjectWriter .* put-bucket-ownership-controls --bucket acme-site-dev --ownership-controls 'Rules=\[\{ObjectOwnership=BucketOwnerEnforced\}\]'/);
  });
});

describe('the seed: ObjectWriter bucket in account B, deploy from account A, Block Public Access on', () => {
  beforeEach(() => {
    s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('ObjectWriter'));
    stsMock.on(GetCallerIdentityCommand).resolves(callerIdentity('111111111111'));
  });

  test.each([
    ['the distribution uses OAC', {}, /bucket policy that lets CloudFront \(OAC\) read could not cover it/],
    ['the OAI has no canonical ID configured', { originAccess: 'oai' }, /environments\.dev\.oaiCanonicalUserIds is empty/],
  ])('refuses before writing anything when %s', async (_name, env, message) => {
    await expect(run(env)).rejects.toThrow(message);
    await expect(run(env)).rejects.toThrow(/Nothing was written/);
    await expect(run(env)).rejects.toMatchObject({ code: 'DEPLOY_REFUSED_CROSS_ACCOUNT_OBJECT_WRITER' });
    expect(putInputs()).toEqual([]);
  });

  test('refuses when the bucket owner\'s canonical ID cannot be read', async () => {
    s3Mock.on(GetBucketAclCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    await expect(run(OAI_ENV)).rejects.toThrow(/could not read it \(s3:GetBucketAcl denied\)/);
    await expect(run(OAI_ENV)).rejects.toMatchObject({ code: 'DEPLOY_REFUSED_CROSS_ACCOUNT_OBJECT_WRITER' });
    expect(putInputs()).toEqual([]);
  });

  test('with the OAI configured, every object is granted to the OAI and the deploy is verified', async () => {
    s3Mock.on(GetObjectAclCommand).resolves(objectAcl(DEPLOYER_ID, [{ ID: BUCKET_OWNER_ID, Permission: 'FULL_CONTROL' }, { ID: OAI_ID, Permission: 'READ' }]));
    const summary = await run(OAI_ENV);
    expect(putInputs().map((i) => i.GrantRead)).toEqual(Array(6).fill(`id=${OAI_ID}`));
    expect(putInputs().some((i) => i.ACL === 'public-read')).toBe(false);
    expect(summary.verification.ownership).toEqual({ checked: 6, problems: [] });
  });

  test('verification catches a public-read object owned by account A, left by an earlier tool, before any HTML goes up', async () => {
    const local = (await scanSite(site.dir)).files;
    const stale = local.find((f) => f.key === 'robots.txt')!;
    s3Mock.on(ListObjectsV2Command).resolves(listing([asRemote(stale)])); // unchanged: not re-uploaded
    s3Mock.on(GetObjectAclCommand).resolves(objectAcl(DEPLOYER_ID, [{ ID: OAI_ID, Permission: 'READ' }]));
    s3Mock
      .on(GetObjectAclCommand, { Key: 'robots.txt' })
      .resolves(objectAcl(DEPLOYER_ID, [{ URI: 'http://acs.amazonaws.com/groups/global/AllUsers', Permission: 'READ' }]));
    const err = (await run(OAI_ENV).then(
      () => new Error('the deploy should have failed'),
      (e: unknown) => e,
    )) as DeployError;
    expect(err).toBeInstanceOf(DeployError);
    expect(err.message).toMatch(/verification failed: 1 object\(s\) .* s3:\/\/acme-site-dev\/robots\.txt carries a public grant \(READ to AllUsers\)/);
    expect(err.message).toMatch(/No HTML was uploaded\. Fix: switch the bucket to BucketOwnerEnforced/);
    expect(err.code).toBe('DEPLOY_VERIFY_FAILED');
    expect(putInputs().map((i) => i.Key).filter((k) => k!.endsWith('.html'))).toEqual([]);
    expect(err.summary?.verification.ownership.problems).toEqual([{ key: 'robots.txt', problem: expect.stringMatching(/public grant/) }]);
  });

  test('verification catches an object owned by the deploying account without the OAI grant', async () => {
    s3Mock.on(GetObjectAclCommand).resolves(objectAcl(DEPLOYER_ID, [{ ID: OAI_ID, Permission: 'READ' }]));
    s3Mock.on(GetObjectAclCommand, { Key: 'data/feed.json' }).resolves(objectAcl(DEPLOYER_ID));
    await expect(run(OAI_ENV)).rejects.toThrow(new RegExp(`data/feed\\.json is owned by ${DEPLOYER_ID}, not the bucket owner, and has no read grant for OAI ${OAI_ID}`));
    expect((await rejection(run(OAI_ENV))).code).toBe('DEPLOY_VERIFY_FAILED');
  });

  test('in BucketOwnerPreferred, an object owned by another account fails verification', async () => {
    s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('BucketOwnerPreferred'));
    s3Mock.on(GetObjectAclCommand, { Key: 'assets/app.3f9a1c2b.css' }).resolves(objectAcl(DEPLOYER_ID));
    await expect(run()).rejects.toThrow(new RegExp(`assets/app\\.3f9a1c2b\\.css is owned by ${DEPLOYER_ID}, not the bucket owner ${BUCKET_OWNER_ID}`));
    expect((await rejection(run())).code).toBe('DEPLOY_VERIFY_FAILED');
  });
});

describe('a deploy that writes nothing', () => {
  test('reads no ownership, sends no ACL and checks no object, and says so instead of claiming a check', async () => {
    // The last record lists the site exactly as it is: a no-op, whatever the bucket's ownership.
    const local = (await scanSite(site.dir)).files;
    mockRecord(s3Mock, local.map((f) => ({ ...asRemote(f), md5: f.md5 })));
    s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('BucketOwnerPreferred'));
    const summary = await run();
    expect(summary.counts).toMatchObject({ unchanged: local.length, uploaded: 0, deleted: 0 });
    expect(summary.ownership).toEqual({ reading: 'not read (nothing to write)', acl: 'not read: this deploy writes nothing' });
    expect(summary.verification.ownership).toEqual({ checked: 0, problems: [], skipped: 'nothing was written (edgelock doctor --sweep checks a whole bucket)' });
    expect(summary.record).toMatchObject({ previous: RECORD_KEY });
    expect(s3Mock.commandCalls(GetBucketOwnershipControlsCommand)).toHaveLength(0);
    expect(s3Mock.commandCalls(GetBucketAclCommand)).toHaveLength(0);
    expect(s3Mock.commandCalls(GetObjectAclCommand)).toHaveLength(0);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test('a refusal the ownership cannot change is said without reading it, even when that read would fail', async () => {
    const secret = makeSite({ 'index.html': '<p>hi</p>', 'certs/server.pem': 'not really a key' });
    try {
      s3Mock.on(GetBucketOwnershipControlsCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }));
      const err = await rejection(deploySite({ config: testConfig(), env: 'dev', dir: secret.dir, credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' } }));
      expect(err.code).toBe('DEPLOY_REFUSED_SECRETS');
      expect(s3Mock.commandCalls(GetBucketOwnershipControlsCommand)).toHaveLength(0);
      expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    } finally {
      secret.cleanup();
    }
  });

  test('one changed file and the same bucket: the ownership is read and every site object checked', async () => {
    const local = (await scanSite(site.dir)).files;
    mockRecord(s3Mock, local.map((f, i) => ({ ...asRemote(f), md5: f.md5, ...(i === 0 ? { etag: 'older', md5: '1'.repeat(32) } : {}) })));
    s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('BucketOwnerPreferred'));
    const summary = await run();
    expect(summary.counts).toMatchObject({ uploaded: 1 });
    expect(summary.ownership.reading).toBe('BucketOwnerPreferred');
    expect(putInputs().map((i) => aclFields(i as unknown as Record<string, unknown>))).toEqual([{ ACL: 'bucket-owner-full-control' }]);
    expect(s3Mock.commandCalls(GetObjectAclCommand)).toHaveLength(local.length);
  });
});

/** What `fn` throws (undefined when it does not throw). */
function rejectionOf(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('never a public ACL', () => {
  test.each([
    [{ ACL: 'public-read' }, /refusing to upload k with ACL "public-read"/],
    [{ ACL: 'authenticated-read' }, /ACL "authenticated-read"/],
    [{ GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' }, /GrantRead to a public group/],
    [{ GrantFullControl: 'uri=http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, /GrantFullControl to a public group/],
  ])('%j is refused', (params, message) => {
    expect(() => assertNoPublicGrant(params, 'k')).toThrow(message);
    expect(rejectionOf(() => assertNoPublicGrant(params, 'k'))).toMatchObject({ code: 'DEPLOY_REFUSED_PUBLIC_ACL' });
  });

  test.each([[{}], [{ ACL: 'bucket-owner-full-control' }], [{ GrantRead: `id=${OAI_ID}`, GrantFullControl: `id=${BUCKET_OWNER_ID}` }]])('%j is allowed', (params) => {
    expect(() => assertNoPublicGrant(params, 'k')).not.toThrow();
  });
});
