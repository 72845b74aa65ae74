/** The pure policy builders the stacks, the deployer and the doctor share. */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import {
  artifactKeyPolicy, bucketArn, deployRolePermissions, deployRoleTrustPolicy, distributionArn, logBucketPolicy, oaiArn, roleArn,
  evaluatePolicy, serviceTrustPolicy, siteBucketPolicy, siteKeyPolicy, tlsOnlyStatement,
} from '../../src/origin/policy';

const BUCKET = bucketArn('site');
const DIST = distributionArn('222222222222', 'E1THISDIST0001');

describe('ARNs', () => {
  it.each([
    [bucketArn('b'), 'arn:aws:s3:::b'],
    [bucketArn('b', 'aws-cn'), 'arn:aws-cn:s3:::b'],
    [roleArn('111111111111', 'r'), 'arn:aws:iam::111111111111:role/r'],
    [DIST, 'arn:aws:cloudfront::222222222222:distribution/E1THISDIST0001'],
    [oaiArn('E3'), 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E3'],
  ])('%s', (actual, expected) => expect(actual).toBe(expected));
});

describe('siteBucketPolicy', () => {
  it('OAC: TLS-only deny, then GetObject for cloudfront.amazonaws.com pinned to one distribution', () => {
    expect(siteBucketPolicy({ bucketArn: BUCKET, reader: { kind: 'oac', distributionArn: DIST } })).toEqual({
      Version: '2012-10-17',
      Statement: [
        tlsOnlyStatement(BUCKET),
        {
          Sid: 'AllowCloudFrontServicePrincipalReadOnly', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject', Resource: `${BUCKET}/*`, Condition: { StringEquals: { 'AWS:SourceArn': DIST } },
        },
        {
          Sid: 'DenyDistributionReadingEdgelockRecords', Effect: 'Deny', Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject', Resource: `${BUCKET}/.edgelock/*`,
        },
      ],
    });
  });

  it('OAI: the OAI principal, and no upload without bucket-owner-full-control', () => {
    const doc = siteBucketPolicy({ bucketArn: BUCKET, reader: { kind: 'oai', oaiArn: oaiArn('E3') } });
    expect(doc.Statement.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'AllowOriginAccessIdentityReadOnly', 'DenyDistributionReadingEdgelockRecords', 'DenyPutObjectWithoutBucketOwnerFullControl']);
    expect(doc.Statement[1]!.Principal).toEqual({ AWS: oaiArn('E3') });
    expect(doc.Statement[2]!.Principal).toEqual({ AWS: oaiArn('E3') });
    expect(doc.Statement[3]!.Condition).toEqual({ StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } });
  });

  it.each([
    ['oac', { kind: 'oac', distributionArn: DIST } as const, { service: 'cloudfront.amazonaws.com' }],
    ['oai', { kind: 'oai', oaiArn: oaiArn('E3') } as const, { aws: [oaiArn('E3')] }],
  ])('%s: the distribution reads the site but never edgelock\'s deploy records', (_name, reader, principal) => {
    const doc = siteBucketPolicy({ bucketArn: BUCKET, reader });
    const read = (key: string) =>
      evaluatePolicy(doc, { action: 's3:GetObject', resource: `${BUCKET}/${key}`, principal, context: { 'aws:sourcearn': [DIST], 'aws:securetransport': ['true'], 'aws:principalisawsservice': ['true'] } }).outcome;
    expect(read('index.html')).toBe('allow');
    expect(read('.well-known/security.txt')).toBe('allow');
    expect(read('.edgelock/deploys/20261201T220628000Z-a1b2c3.json')).toBe('deny');
  });

  it('TLS-only deny covers the bucket and its objects', () => {
    expect(tlsOnlyStatement(BUCKET)).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [BUCKET, `${BUCKET}/*`] });
  });
});

describe('logBucketPolicy', () => {
  it('admits S3 server access logs from the named buckets of one account, under the prefix only', () => {
    const doc = logBucketPolicy({ bucketArn: bucketArn('logs'), accessLogPrefix: 's3/', sourceBucketArns: [BUCKET], sourceAccountId: '222222222222' });
    expect(doc.Statement[1]).toEqual({
      Sid: 'AllowS3ServerAccessLogs', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::logs/s3/*', Condition: { ArnLike: { 'aws:SourceArn': [BUCKET] }, StringEquals: { 'aws:SourceAccount': '222222222222' } },
    });
  });
});

describe('deploy role', () => {
  it('trusts exactly one role, with no Resource element (trust policies have none)', () => {
    const doc = deployRoleTrustPolicy({ trustedRoleArn: roleArn('111111111111', 'acme-deploy-function') });
    expect(doc.Statement).toEqual([{ Sid: 'AllowToolsDeployFunction', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/acme-deploy-function' }, Action: 'sts:AssumeRole' }]);
  });

  it('grants only the deployer\'s actions, on this bucket and distribution', () => {
    const doc = deployRolePermissions({ bucketArn: BUCKET, distributionArn: DIST });
    expect(doc.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      [['s3:ListBucket', 's3:GetBucketLocation', 's3:GetBucketOwnershipControls', 's3:GetBucketAcl'], BUCKET],
      [['s3:GetObject', 's3:GetObjectAcl', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], `${BUCKET}/*`],
      [['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation', 'cloudfront:GetDistribution'], DIST],
      [['s3:GetBucketVersioning', 's3:ListBucketVersions', 's3:GetObjectVersion'], [BUCKET, `${BUCKET}/*`]],
    ]);
    expect(JSON.stringify(doc)).not.toMatch(/PutObjectAcl|PutBucket|"\*"|:\*"/);
  });

  it('allows PutObjectAcl only for bucket-owner-full-control when the bucket requires it', () => {
    const doc = deployRolePermissions({ bucketArn: BUCKET, distributionArn: DIST, requireBucketOwnerFullControl: true });
    expect(doc.Statement.at(-1)).toEqual({
      Sid: 'SendBucketOwnerFullControlOnly', Effect: 'Allow', Action: 's3:PutObjectAcl', Resource: `${BUCKET}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    });
  });

  it('adds the site key and the site parameter when given', () => {
    const doc = deployRolePermissions({ bucketArn: BUCKET, distributionArn: DIST, kmsKeyArn: 'arn:aws:kms:eu-west-1:222222222222:key/k', siteParameterArn: 'arn:aws:ssm:eu-west-1:222222222222:parameter/p' });
    expect(doc.Statement.slice(4).map((s) => s.Sid)).toEqual(['UseSiteKey', 'ReadSiteParameter']);
  });

  it('service trust lists the services', () => {
    expect(serviceTrustPolicy(['lambda.amazonaws.com', 'edgelambda.amazonaws.com']).Statement[0]!.Principal).toEqual({ Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] });
  });
});

describe('KMS key policies (evaluated)', () => {
  const KEY = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  async function decide(resourcePolicy: object, principal: string, action: string, context: Record<string, string> = {}) {
    const r = await runSimulation({
      identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy,
      request: { principal, action, resource: { accountId: '222222222222', resource: KEY }, contextVariables: context },
    } as unknown as Simulation, {});
    if (r.resultType === 'error') throw new Error(JSON.stringify(r.errors));
    return r.overallResult;
  }

  it('site key: CloudFront decrypts for this distribution only', async () => {
    const doc = siteKeyPolicy({ accountId: '222222222222', distributionArn: DIST });
    expect(await decide(doc, 'cloudfront.amazonaws.com', 'kms:Decrypt', { 'aws:SourceArn': DIST })).toBe('Allowed');
    expect(await decide(doc, 'cloudfront.amazonaws.com', 'kms:Decrypt', { 'aws:SourceArn': distributionArn('222222222222', 'E2OTHER') })).toBe('ImplicitlyDenied');
    expect(await decide(doc, 'cloudfront.amazonaws.com', 'kms:ScheduleKeyDeletion', { 'aws:SourceArn': DIST })).toBe('ImplicitlyDenied');
  });

  it('artifact key: the pipeline roles use it, others do not', () => {
    const doc = artifactKeyPolicy({ accountId: '111111111111', userRoleArns: [roleArn('111111111111', 'p')] });
    expect(doc.Statement[0]!.Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
    expect(doc.Statement[1]).toMatchObject({ Principal: { AWS: ['arn:aws:iam::111111111111:role/p'] } });
    expect(doc.Statement[1]!.Action).not.toContain('kms:*');
  });
});
