/**
 * The pipeline's deploy function: the built bundle (as Lambda loads it) driven with CodePipeline
 * job events; S3, STS and CodePipeline mocked at the client.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { CodePipelineClient, PutJobFailureResultCommand, PutJobSuccessResultCommand } from '@aws-sdk/client-codepipeline';
import { DeleteObjectsCommand, GetBucketAclCommand, GetBucketOwnershipControlsCommand, GetObjectAclCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as ssm from '@aws-sdk/client-ssm';
import { GetParameterCommand, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import * as sts from '@aws-sdk/client-sts';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import type { CodePipelineEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ZipFile } from 'yazl';
import { deterministicZip } from '../../src/build/zip';
import { createHandler, environmentFromUserParameters } from '../../src/origin/deploy/lambda';
import { extractZip } from '../../src/origin/deploy/artifact';
import { awsError } from '../helpers/aws-errors';
import { assumedRole, mockRecord, BUCKET_OWNER_ID, bucketAcl, callerIdentity, DEPLOYER_ID, invalidation, listing, objectAcl, ownershipControls } from './aws-mocks';
import { rejection, sampleSite, testConfig } from './fixtures';

const s3Mock = mockClient(S3Client);
const stsMock = mockClient(STSClient);
const cpMock = mockClient(CodePipelineClient);

function jobEvent(userParameters: string): CodePipelineEvent {
  return {
    'CodePipeline.job': {
      id: '11111111-abcd-1111-abcd-111111abcdef',
      accountId: '111111111111',
      data: {
        actionConfiguration: { configuration: { FunctionName: 'acme-web-deploy', UserParameters: userParameters } },
        inputArtifacts: [{ name: 'site', revision: 'abc123', location: { type: 'S3', s3Location: { bucketName: 'acme-web-artifacts', objectKey: 'acme-web/site/Ab12Cd3' } } }],
        outputArtifacts: [],
        artifactCredentials: { accessKeyId: 'ASIAARTIFACT', secretAccessKey: 'secret', sessionToken: 'token' },
      },
    },
  };
}

let artifactZip: Buffer;
beforeAll(async () => {
  artifactZip = await deterministicZip(Object.entries(sampleSite()).map(([name, data]) => ({ name: `public/${name}`, data })));
});
beforeEach(() => {
  for (const level of ['log', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
  s3Mock.reset();
  stsMock.reset();
  cpMock.reset();
  s3Mock.on(GetObjectCommand, { Bucket: 'acme-web-artifacts' }).resolves({ Body: { transformToByteArray: async () => new Uint8Array(artifactZip) } as never });
  s3Mock.on(ListObjectsV2Command).resolves(listing([]));
  s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('BucketOwnerEnforced'));
  s3Mock.on(PutObjectCommand).resolves({ ETag: '"x"' });
  stsMock.on(AssumeRoleCommand).callsFake((i: { RoleArn: string }) => assumedRole(i.RoleArn));
  stsMock.on(GetCallerIdentityCommand).resolves(callerIdentity('222222222222'));
  cpMock.on(PutJobSuccessResultCommand).resolves({});
  cpMock.on(PutJobFailureResultCommand).resolves({});
});

const config = testConfig({ deploy: { artifactDir: 'public' } });

afterEach(() => jest.restoreAllMocks());

describe('CodePipeline deploy function', () => {
  test('reads the artifact, assumes the environment\'s deploy role, deploys and reports success', async () => {
    await createHandler(config)(jobEvent('dev'), { awsRequestId: 'req-1' });
    expect(stsMock.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({ RoleArn: 'arn:aws:iam::222222222222:role/edgelock-deploy', RoleSessionName: 'edgelock-deploy-acme-web-dev' });
    expect(s3Mock.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'acme-web-artifacts', Key: 'acme-web/site/Ab12Cd3' });
    const written = s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key!);
    expect(written.filter((k) => !k.startsWith('.edgelock/')).sort()).toEqual(Object.keys(sampleSite()).sort());
    // The deploy record is the last write.
    expect(written[written.length - 1]).toMatch(/^\.edgelock\/deploys\/\d{8}T\d{9}Z-[0-9a-f]{6}\.json$/);
    expect(cpMock.commandCalls(PutJobFailureResultCommand)).toHaveLength(0);
    const success = cpMock.commandCalls(PutJobSuccessResultCommand);
    expect(success).toHaveLength(1);
    expect(success[0]!.args[0].input).toEqual({
      jobId: '11111111-abcd-1111-abcd-111111abcdef',
      executionDetails: { summary: expect.stringMatching(/^dev: 6 added, 0 changed, 0 unchanged, 0 deleted; no invalidation \(nothing changed or deleted\)/), percentComplete: 100 },
    });
  });

  test.each([
    ['{"env":"dev"}', undefined],
    ['', /UserParameters must name the environment/],
    ['prod', /names environment "prod", but this deploy function was built with "dev"; rebuild it/],
    ['{"env":', /UserParameters is not valid JSON/],
  ])('UserParameters %j', async (params, failure) => {
    await createHandler(config)(jobEvent(params), { awsRequestId: 'req-2' });
    if (!failure) {
      expect(cpMock.commandCalls(PutJobSuccessResultCommand)).toHaveLength(1);
      return;
    }
    const calls = cpMock.commandCalls(PutJobFailureResultCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({ jobId: '11111111-abcd-1111-abcd-111111abcdef', failureDetails: { type: 'JobFailed', message: expect.stringMatching(failure), externalExecutionId: 'req-2' } });
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test('through the deploy role, a legacy ObjectWriter bucket is written by its own account; a foreign object still fails the job', async () => {
    s3Mock.on(GetBucketOwnershipControlsCommand).resolves(ownershipControls('ObjectWriter'));
    s3Mock.on(GetBucketAclCommand).resolves(bucketAcl());
    s3Mock.on(GetObjectAclCommand).resolves(objectAcl(BUCKET_OWNER_ID));
    s3Mock.on(GetObjectAclCommand, { Key: 'robots.txt' }).resolves(objectAcl(DEPLOYER_ID));
    await createHandler(config)(jobEvent('dev'));
    expect(s3Mock.commandCalls(PutObjectCommand).every((c) => c.args[0].input.ACL === 'bucket-owner-full-control')).toBe(true);
    const failure = cpMock.commandCalls(PutJobFailureResultCommand)[0]!.args[0].input;
    expect(failure.failureDetails?.message).toMatch(new RegExp(`verification failed: 1 object\\(s\\) .*/robots\\.txt is owned by ${DEPLOYER_ID}, not the bucket owner .* No HTML was uploaded`));
    expect(cpMock.commandCalls(PutJobSuccessResultCommand)).toHaveLength(0);
    expect(s3Mock.commandCalls(PutObjectCommand).some((c) => c.args[0].input.Key!.endsWith('.html'))).toBe(false);
  });

  test('a role that cannot be assumed is a failure that names the role and the trust to fix', async () => {
    stsMock.on(AssumeRoleCommand).rejects(awsError(sts, STSServiceException, 'AccessDenied', 403, 'User: arn:aws:sts::111111111111:assumed-role/pipeline/x is not authorized to perform: sts:AssumeRole'));
    await createHandler(config)(jobEvent('dev'));
    expect(cpMock.commandCalls(PutJobFailureResultCommand)[0]!.args[0].input.failureDetails?.message).toMatch(
      /could not assume arn:aws:iam::222222222222:role\/edgelock-deploy: .*not authorized.* The role must trust the deploying account/,
    );
  });

  test('an artifact that cannot be unpacked (a file and a folder of the same name) fails the job instead of hanging', async () => {
    const clash = await deterministicZip([{ name: 'public/a', data: 'x' }, { name: 'public/a/b.html', data: '<p>b</p>' }]);
    s3Mock.on(GetObjectCommand, { Bucket: 'acme-web-artifacts' }).resolves({ Body: { transformToByteArray: async () => new Uint8Array(clash) } as never });
    await createHandler(config)(jobEvent('dev'));
    expect(cpMock.commandCalls(PutJobFailureResultCommand)[0]!.args[0].input.failureDetails?.message).toMatch(/could not unpack "public\/a\/b\.html" from the input artifact/);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test('an artifact without the configured folder fails clearly', async () => {
    await createHandler(testConfig({ deploy: { artifactDir: 'dist' } }))(jobEvent('dev'));
    expect(cpMock.commandCalls(PutJobFailureResultCommand)[0]!.args[0].input.failureDetails?.message).toMatch(/no site folder at .*dist/);
  });
});

describe('the CDKTF pipeline\'s UserParameters and the SSM site parameter', () => {
  const cfMock = mockClient(CloudFrontClient);
  const SITE = '/edgelock/acme-web/dev/site';
  const cdktfParams = (over: Record<string, string> = {}) =>
    JSON.stringify({ env: 'dev', project: 'acme-web', roleArn: 'arn:aws:iam::222222222222:role/edgelock-deploy', bucket: 'acme-site-dev', region: 'eu-west-1', siteParameter: SITE, ...over });
  const ssmMock = mockClient(SSMClient);
  const parameterNotFound = () => awsError(ssm, SSMServiceException, 'ParameterNotFound', 400, '');
  const noProbe = testConfig({ deploy: { artifactDir: 'public', verify: { probe: false } } });

  beforeEach(() => {
    cfMock.reset();
    cfMock.on(CreateInvalidationCommand).resolves(invalidation('I2J0I21PCUYOIK', 'InProgress', ['/old.html']));
    cfMock.on(GetInvalidationCommand).resolves(invalidation('I2J0I21PCUYOIK', 'Completed'));
    s3Mock.on(ListObjectsV2Command).resolves(listing([{ key: 'old.html', etag: 'e', size: 1 }]));
    // The last deploy wrote old.html along with the site, whose objects it recorded with other content: they are changed, old.html pruned.
    mockRecord(s3Mock, [{ key: 'old.html', etag: 'e', size: 1 }, ...Object.keys(sampleSite()).map((key) => ({ key, etag: 'gone', size: 1 }))]);
    s3Mock.on(DeleteObjectsCommand).resolves({ Deleted: [{ Key: 'old.html' }] });
  });

  test('the distribution ID comes from the site parameter, read with the deploy role, and the invalidation follows', async () => {
    const site = { project: 'acme-web', environment: 'dev', bucket: 'acme-site-dev', region: 'eu-west-1', distributionId: 'E2QWRUHAPOMQZL', distributionDomainName: 'd111111abcdef8.cloudfront.net' };
    ssmMock.on(GetParameterCommand, { Name: SITE }).resolves({ Parameter: { Name: SITE, Type: 'String', Value: JSON.stringify(site), Version: 1, ARN: `arn:aws:ssm:eu-west-1:222222222222:parameter${SITE}`, DataType: 'text' } });
    await createHandler(noProbe)(jobEvent(cdktfParams()));
    expect(cpMock.commandCalls(PutJobFailureResultCommand).map((c) => c.args[0].input.failureDetails?.message)).toEqual([]);
    const calls = ssmMock.commandCalls(GetParameterCommand);
    expect(calls).toHaveLength(1);
    const client = calls[0]!.thisValue as SSMClient;
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'ASIAEXAMPLE', sessionToken: 'token' });
    const batch = cfMock.commandCalls(CreateInvalidationCommand)[0]!.args[0].input;
    expect(batch).toMatchObject({ DistributionId: 'E2QWRUHAPOMQZL' });
    expect(batch.InvalidationBatch!.Paths!.Items).toEqual(expect.arrayContaining(['/old.html', '/index.html']));
    expect(cpMock.commandCalls(PutJobSuccessResultCommand)[0]!.args[0].input.executionDetails).toMatchObject({ externalExecutionId: 'I2J0I21PCUYOIK' });
  });

  test.each([
    ['a missing site parameter', () => ssmMock.on(GetParameterCommand).rejects(parameterNotFound()), cdktfParams(), /could not read the site parameter \/edgelock\/acme-web\/dev\/site in eu-west-1: ParameterNotFound\. .*deploy that stack first/],
    ['a stale build (another bucket)', () => ssmMock.on(GetParameterCommand).resolves({}), cdktfParams({ bucket: 'acme-site-old' }), /UserParameters name bucket acme-site-old for "dev", but this deploy function was built for acme-site-dev; rebuild it/],
    ['a role in another account', () => ssmMock.on(GetParameterCommand).resolves({}), cdktfParams({ roleArn: 'arn:aws:iam::999999999999:role/edgelock-deploy' }), /not in environment "dev"'s account 222222222222/],
  ])('%s fails the job clearly, before any write', async (_name, answer, params, message) => {
    ssmMock.reset();
    answer();
    await createHandler(noProbe)(jobEvent(params));
    expect(cpMock.commandCalls(PutJobFailureResultCommand)[0]!.args[0].input.failureDetails?.message).toMatch(message);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

describe('artifact unpacking', () => {
  test('an entry that escapes the folder is refused', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-zip-'));
    try {
      // yazl will not write such a name: write a harmless one of the same length, then rename it in place.
      const zip = await deterministicZip([{ name: 'xx/escape.txt', data: 'x' }]);
      const evil = Buffer.from(zip.toString('latin1').split('xx/escape.txt').join('../escape.txt'), 'latin1');
      await expect(extractZip(evil, dir)).rejects.toThrow(/\.\.\/escape\.txt/);
      expect((await rejection(extractZip(evil, dir))).code).toBe('DEPLOY_REFUSED');
      expect(readdirSync(dir)).toEqual([]);
      expect(existsSync(path.join(dir, '..', 'escape.txt'))).toBe(false);
      await expect(extractZip(Buffer.from('not a zip'), dir)).rejects.toThrow(/not a valid zip/);
      expect((await rejection(extractZip(Buffer.from('not a zip'), dir))).code).toBe('DEPLOY_REFUSED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file and a folder of the same name reject, naming the entry, instead of throwing out of the unzip callbacks', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-zip-'));
    try {
      const clash = await deterministicZip([{ name: 'site/a', data: 'x' }, { name: 'site/a/b.html', data: '<p>b</p>' }]);
      await expect(extractZip(clash, dir)).rejects.toThrow(/could not unpack "site\/a\/b\.html" from the input artifact: .*(EEXIST|ENOTDIR)/);
      expect((await rejection(extractZip(clash, dir))).code).toBe('DEPLOY_REFUSED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file entry that names the folder itself (".") is refused; a "./" folder entry is harmless', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'edgelock-zip-'));
    try {
      // Same trick as above: a one-character name renamed in place to ".".
      const zip = await deterministicZip([{ name: 'Q', data: 'xx' }]);
      const dot = Buffer.from(zip.toString('latin1').split('Q').join('.'), 'latin1');
      await expect(extractZip(dot, dir)).rejects.toThrow(/a file entry that names its folder itself \("\."\); refusing to unpack it/);
      expect((await rejection(extractZip(dot, dir))).code).toBe('DEPLOY_REFUSED');
      expect(readdirSync(dir)).toEqual([]);
      const withRoot = new ZipFile();
      withRoot.addEmptyDirectory('Q', { mtime: new Date(1980, 0, 1) });
      withRoot.addBuffer(Buffer.from('<p>home</p>'), 'index.html', { mtime: new Date(1980, 0, 1), compress: false });
      withRoot.end();
      const chunks: Buffer[] = [];
      for await (const c of withRoot.outputStream as AsyncIterable<Buffer>) chunks.push(c);
      const dotSlash = Buffer.from(Buffer.concat(chunks).toString('latin1').split('Q/').join('./'), 'latin1');
      await expect(extractZip(dotSlash, dir)).resolves.toBe(1);
      expect(readdirSync(dir)).toEqual(['index.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('UserParameters accepts a bare name or JSON', () => {
    expect(environmentFromUserParameters(config, ' dev ')).toBe('dev');
    expect(environmentFromUserParameters(config, '{"env":"dev"}')).toBe('dev');
  });
});

describe('adopting the bucket from the pipeline (opt-in)', () => {
  const FOREIGN = 'legacy/synced-by-aws-s3-sync.html';
  const deletedKeys = () => s3Mock.commandCalls(DeleteObjectsCommand).flatMap((c) => c.args[0].input.Delete!.Objects!.map((o) => o.Key));
  const warnings = () => (console.warn as jest.Mock).mock.calls.map((c) => String(c[0]));
  beforeEach(() => {
    // A bucket another tool filled: the site's keys (other bytes) and one the site no longer has.
    s3Mock.on(ListObjectsV2Command).resolves(listing([...Object.keys(sampleSite()).map((key) => ({ key, etag: 'f'.repeat(32), size: 1 })), { key: FOREIGN, etag: 'e'.repeat(32), size: 5 }]));
    s3Mock.on(ListObjectsV2Command, { Prefix: '.edgelock/deploys/' }).resolves(listing([]));
    s3Mock.on(DeleteObjectsCommand).resolves({ $metadata: { httpStatusCode: 200 }, Deleted: [{ Key: FOREIGN }] });
  });

  test.each([
    ['UserParameters "adopt": true', config, '{"env":"dev","adopt":true}'],
    ['deploy.pipelineAdopt', testConfig({ deploy: { artifactDir: 'public', pipelineAdopt: true } }), 'dev'],
  ])('%s adopts a bucket with no deploy record: keys no record lists are pruned', async (_, cfg, params) => {
    await createHandler(cfg)(jobEvent(params));
    expect(cpMock.commandCalls(PutJobSuccessResultCommand)).toHaveLength(1);
    expect(deletedKeys()).toEqual([FOREIGN]);
    expect(warnings()).toContainEqual(expect.stringMatching(/^note: adopting s3:\/\/acme-site-dev\/: it has no deploy record yet/));
  });

  test('without it, nothing edgelock did not write is pruned', async () => {
    await createHandler(config)(jobEvent('dev'));
    expect(cpMock.commandCalls(PutJobSuccessResultCommand)).toHaveLength(1);
    expect(deletedKeys()).toEqual([]);
  });

  test('once a deploy record exists, adopt has no effect and says so', async () => {
    mockRecord(s3Mock, [{ key: 'index.html', etag: 'f'.repeat(32), size: 1 }]);
    await createHandler(config)(jobEvent('{"env":"dev","adopt":true}'));
    expect(cpMock.commandCalls(PutJobSuccessResultCommand)).toHaveLength(1);
    expect(deletedKeys()).toEqual([]);
    expect(warnings()).toContainEqual(expect.stringMatching(/^warning: adopt is on, but s3:\/\/acme-site-dev\/ already has the deploy record \.edgelock\/deploys\/20261130T100000000Z-0a0b0c\.json: not adopting.*edgelock deploy --adopt/));
  });

  test('"adopt" must be a boolean', async () => {
    await createHandler(config)(jobEvent('{"env":"dev","adopt":"yes"}'));
    expect(cpMock.commandCalls(PutJobFailureResultCommand)[0]!.args[0].input.failureDetails?.message).toBe('UserParameters "adopt" must be true or false (got "yes")');
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
