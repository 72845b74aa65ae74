/**
 * Policy oracle: the synthesized site bucket policy (and the deploy role's permissions) evaluated
 * by @cloud-copilot/iam-simulate, an independent IAM evaluator, with Block Public Access on.
 */
import { rmSync } from 'node:fs';
import { Testing } from 'cdktf';
import { anonymousPrincipal, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { buildExample, exampleConfig, removeBuilds, synthBuilt, synthStacks } from '../cdktf/example';

const ACCOUNT = '222222222222';
const BUCKET = 'acme-web-dev-site-222222222222';
const OBJECT = `arn:aws:s3:::${BUCKET}/index.html`;
const THIS_DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E1THISDIST0001`;
const OTHER_DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2OTHERDIST002`;
const OAI_ARN = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E3OAIEXAMPLE03';
const OTHER_OAI_ARN = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E4OTHEROAI0004';
const ANY_S3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
const DEPLOY_ROLE = `arn:aws:iam::${ACCOUNT}:role/edgelock-deploy`;
const TOOLS_ROLE = 'arn:aws:iam::111111111111:role/acme-web-deploy-function';

type Json = Record<string, any>;
interface Policies {
  bucket: Json;
  deploy: Json;
}

/** The synthesized policies of the dev stack, with Terraform references replaced by concrete ARNs. */
function policiesOf(json: string): Policies {
  const concrete = json
    .replace(/\$\{aws_cloudfront_distribution\.[^}]+\.arn\}/g, THIS_DISTRIBUTION)
    .replace(/\$\{aws_cloudfront_origin_access_identity\.[^}]+\.iam_arn\}/g, OAI_ARN);
  const parsed = JSON.parse(concrete) as Json;
  const bucketPolicies = Object.values(parsed.resource.aws_s3_bucket_policy) as Json[];
  const site = bucketPolicies.find((p) => String(p.bucket).includes('site_bucket'))!;
  const deploy = (Object.values(parsed.resource.aws_iam_role_policy) as Json[]).find((p) => p.name === 'deploy-site')!;
  for (const doc of [site.policy, deploy.policy]) expect(doc).not.toContain('${'); // every reference made concrete
  return { bucket: JSON.parse(site.policy), deploy: JSON.parse(deploy.policy) };
}

interface Ask {
  principal: string | typeof anonymousPrincipal;
  action: string;
  resource?: string;
  context?: Record<string, string>;
  identity?: Json;
}

async function decide(p: Policies, ask: Ask): Promise<string> {
  const simulation = {
    identityPolicies: ask.identity ? [{ name: 'identity', policy: ask.identity }] : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: p.bucket,
    request: {
      principal: ask.principal,
      action: ask.action,
      resource: { accountId: ACCOUNT, resource: ask.resource ?? OBJECT },
      contextVariables: { 'aws:SecureTransport': 'true', ...ask.context },
    },
    additionalSettings: { s3: { blockPublicAccess: true } },
  } as unknown as Simulation;
  const r = await runSimulation(simulation, {});
  if (r.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(r.errors)}`);
  return r.overallResult;
}

let outDir: string;
let oac: Policies;
let oai: Policies;
beforeAll(async () => {
  outDir = await buildExample();
  oac = policiesOf(Testing.synth(synthStacks(exampleConfig(), outDir).stacks.environments.dev!));
  const oaiConfig = exampleConfig((r) => {
    const envs = r.environments as Record<string, Json>;
    return { ...r, environments: { ...envs, dev: { ...envs.dev, originAccess: 'oai' } } };
  });
  oai = policiesOf(Testing.synth((await synthBuilt(oaiConfig)).stacks.environments.dev!));
});
afterAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await removeBuilds();
});

describe('OAC site bucket policy', () => {
  it.each<[string, string, Ask]>([
    ['anonymous GetObject', 'ImplicitlyDenied', { principal: anonymousPrincipal, action: 's3:GetObject' }],
    ['CloudFront for this distribution', 'Allowed', { principal: 'cloudfront.amazonaws.com', action: 's3:GetObject', context: { 'aws:SourceArn': THIS_DISTRIBUTION } }],
    ['CloudFront for another distribution', 'ImplicitlyDenied', { principal: 'cloudfront.amazonaws.com', action: 's3:GetObject', context: { 'aws:SourceArn': OTHER_DISTRIBUTION } }],
    ['CloudFront for this distribution without TLS', 'ExplicitlyDenied', { principal: 'cloudfront.amazonaws.com', action: 's3:GetObject', context: { 'aws:SourceArn': THIS_DISTRIBUTION, 'aws:SecureTransport': 'false' } }],
    ['CloudFront listing the bucket', 'ImplicitlyDenied', { principal: 'cloudfront.amazonaws.com', action: 's3:ListBucket', resource: `arn:aws:s3:::${BUCKET}`, context: { 'aws:SourceArn': THIS_DISTRIBUTION } }],
    ['CloudFront writing an object', 'ImplicitlyDenied', { principal: 'cloudfront.amazonaws.com', action: 's3:PutObject', context: { 'aws:SourceArn': THIS_DISTRIBUTION } }],
  ])('%s → %s', async (_name, expected, ask) => {
    expect(await decide(oac, ask)).toBe(expected);
  });

  it('lets the deploy role PutObject (its own permissions, same account), only over TLS', async () => {
    expect(await decide(oac, { principal: DEPLOY_ROLE, action: 's3:PutObject', identity: oac.deploy })).toBe('Allowed');
    expect(await decide(oac, { principal: DEPLOY_ROLE, action: 's3:PutObject', identity: oac.deploy, context: { 'aws:SecureTransport': 'false' } })).toBe('ExplicitlyDenied');
  });

  it('does not let the deploy role read another bucket or change the policy', async () => {
    expect(await decide(oac, { principal: DEPLOY_ROLE, action: 's3:PutObject', identity: oac.deploy, resource: 'arn:aws:s3:::another-bucket/x' })).toBe('ImplicitlyDenied');
    expect(await decide(oac, { principal: DEPLOY_ROLE, action: 's3:PutBucketPolicy', identity: oac.deploy, resource: `arn:aws:s3:::${BUCKET}` })).toBe('ImplicitlyDenied');
    expect(await decide(oac, { principal: DEPLOY_ROLE, action: 's3:PutObjectAcl', identity: oac.deploy, context: { 's3:x-amz-acl': 'public-read' } })).toBe('ImplicitlyDenied');
  });

  it('does not let the tools account write directly (the seed\'s cross-account upload)', async () => {
    expect(await decide(oac, { principal: TOOLS_ROLE, action: 's3:PutObject', identity: ANY_S3 })).toBe('ImplicitlyDenied');
  });
});

describe('OAI site bucket policy (legacy)', () => {
  it.each<[string, string, Ask]>([
    ['anonymous GetObject', 'ImplicitlyDenied', { principal: anonymousPrincipal, action: 's3:GetObject' }],
    // The OAI lives in CloudFront's own account: cross-account, so it carries an allow-all identity
    // policy here and the bucket policy alone decides.
    ['the OAI reading', 'Allowed', { principal: OAI_ARN, action: 's3:GetObject', identity: ANY_S3 }],
    ['another OAI reading', 'ImplicitlyDenied', { principal: OTHER_OAI_ARN, action: 's3:GetObject', identity: ANY_S3 }],
    ['the OAI reading without TLS', 'ExplicitlyDenied', { principal: OAI_ARN, action: 's3:GetObject', identity: ANY_S3, context: { 'aws:SecureTransport': 'false' } }],
  ])('%s → %s', async (_name, expected, ask) => {
    expect(await decide(oai, ask)).toBe(expected);
  });

  it('denies PutObject without bucket-owner-full-control, even to the deploy role', async () => {
    expect(await decide(oai, { principal: DEPLOY_ROLE, action: 's3:PutObject', identity: oai.deploy })).toBe('ExplicitlyDenied');
    expect(await decide(oai, { principal: DEPLOY_ROLE, action: 's3:PutObject', identity: oai.deploy, context: { 's3:x-amz-acl': 'public-read' } })).toBe('ExplicitlyDenied');
    expect(await decide(oai, { principal: DEPLOY_ROLE, action: 's3:PutObject', identity: oai.deploy, context: { 's3:x-amz-acl': 'bucket-owner-full-control' } })).toBe('Allowed');
    // Sending that canned ACL needs PutObjectAcl, allowed for bucket-owner-full-control only.
    expect(await decide(oai, { principal: DEPLOY_ROLE, action: 's3:PutObjectAcl', identity: oai.deploy, context: { 's3:x-amz-acl': 'bucket-owner-full-control' } })).toBe('Allowed');
    expect(await decide(oai, { principal: DEPLOY_ROLE, action: 's3:PutObjectAcl', identity: oai.deploy, context: { 's3:x-amz-acl': 'public-read' } })).toBe('ImplicitlyDenied');
  });
});
