/**
 * The example app's three stacks, asserted resource by resource with cdktf's matchers, plus a
 * snapshot of each synthesized stack.
 */
import type {} from 'cdktf/lib/testing/adapters/jest'; // the matchers' types
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Testing, type TerraformStack } from 'cdktf';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { CloudfrontOriginAccessIdentity } from '@cdktf/provider-aws/lib/cloudfront-origin-access-identity';
import { Codepipeline } from '@cdktf/provider-aws/lib/codepipeline';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { CLOUDFRONT_V2_RECORD_FIELDS } from '../../cdktf/log-tables';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { runChain } from '../../src/testing';
import { buildExample, builtFor, exampleConfig, removeBuilds, synthBuilt, synthStacks } from './example';

Testing.setupJest();

let outDir: string;
beforeAll(async () => {
  outDir = await buildExample();
});
afterAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await removeBuilds();
});

type Synth = Record<string, Record<string, Record<string, Record<string, unknown>>>>;
const parse = (stack: TerraformStack): Synth => JSON.parse(Testing.synth(stack, true)) as Synth;
const resources = (json: Synth, type: string): Record<string, unknown>[] => Object.values(json.resource?.[type] ?? {});

/** Replaces machine-specific and hash-dependent values so the snapshot shows structure and settings. */
function normalise(json: string): unknown {
  return JSON.parse(
    json
      .replace(/"source_code_hash": "[^"]+"/g, '"source_code_hash": "<hash>"')
      .replace(/assets\/[^"]+\/[0-9A-F]{32}\//g, 'assets/<asset>/'),
  );
}

describe('example app (tools, dev with auth, prod without auth)', () => {
  let stacks: ReturnType<typeof synthStacks>['stacks'];
  let dev: string;
  let prod: string;
  let tools: string;
  beforeAll(() => {
    stacks = synthStacks(exampleConfig(), outDir).stacks;
    dev = Testing.synth(stacks.environments.dev!, true);
    prod = Testing.synth(stacks.environments.prod!, true);
    tools = Testing.synth(stacks.tools, true);
  });

  it('names one stack per account', () => {
    expect(stacks.tools.node.id).toBe('acme-web-tools');
    expect(Object.values(stacks.environments).map((s) => s.node.id)).toEqual(['acme-web-dev', 'acme-web-prod']);
  });

  it.each([
    ['dev', '222222222222', 'eu-west-1'],
    ['prod', '333333333333', 'eu-west-1'],
  ])('%s assumes the provisioning role in its own account, with a us-east-1 alias', (env, account, region) => {
    const json = env === 'dev' ? dev : prod;
    const roleArn = `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`;
    expect(json).toHaveProviderWithProperties(AwsProvider, { region, allowed_account_ids: [account], assume_role: [expect.objectContaining({ role_arn: roleArn })] });
    expect(json).toHaveProviderWithProperties(AwsProvider, { region: 'us-east-1', alias: 'us_east_1', assume_role: [expect.objectContaining({ role_arn: roleArn })] });
  });

  it('locks the site bucket: Block Public Access, ACLs disabled, encryption, versioning', () => {
    expect(dev).toHaveResourceWithProperties(S3Bucket, { bucket: 'acme-web-dev-site-222222222222' });
    expect(dev).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
    });
    expect(dev).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
    expect(dev).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } })],
    });
    expect(dev).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
  });

  it('keeps every bucket behind all four Block Public Access settings', () => {
    for (const json of [dev, prod, tools]) {
      const parsed = JSON.parse(json) as Synth;
      const buckets = resources(parsed, 'aws_s3_bucket').length;
      const blocks = resources(parsed, 'aws_s3_bucket_public_access_block');
      expect(blocks).toHaveLength(buckets);
      for (const b of blocks) expect(b).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
  });

  it('publishes the edge functions in us-east-1 with the manifest hash, nodejs22.x and a long delete timeout', () => {
    const fns = resources(JSON.parse(dev) as Synth, 'aws_lambda_function');
    expect(fns.map((f) => f.function_name).sort()).toEqual(['acme-web-dev-origin-request', 'acme-web-dev-origin-response', 'acme-web-dev-viewer-request']);
    const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
    for (const f of fns) {
      const handler = String(f.function_name).replace('acme-web-dev-', '') as 'viewer-request';
      expect(f).toMatchObject({
        provider: 'aws.us_east_1', runtime: 'nodejs22.x', publish: true, handler: 'index.handler',
        source_code_hash: manifest.environments.dev[handler].sourceCodeHash, timeouts: { delete: '6h' },
      });
    }
    expect(dev).toHaveResourceWithProperties(LambdaFunction, { function_name: 'acme-web-dev-viewer-request', memory_size: 128, timeout: 5 });
    expect(dev).toHaveResourceWithProperties(LambdaFunction, { function_name: 'acme-web-dev-origin-request', timeout: 30 });
    const trust = JSON.parse(String(resources(JSON.parse(dev) as Synth, 'aws_iam_role').find((r) => r.name === 'acme-web-dev-edge')!.assume_role_policy));
    expect(trust.Statement[0].Principal.Service).toEqual(['lambda.amazonaws.com', 'edgelambda.amazonaws.com']);
  });

  it('builds no viewer-request function and no association where auth is off', () => {
    const fns = resources(JSON.parse(prod) as Synth, 'aws_lambda_function').map((f) => f.function_name);
    expect(fns).not.toContain('acme-web-prod-viewer-request');
    const dist = resources(JSON.parse(prod) as Synth, 'aws_cloudfront_distribution')[0] as { default_cache_behavior: { lambda_function_association: { event_type: string }[] } };
    expect(dist.default_cache_behavior.lambda_function_association.map((a) => a.event_type)).toEqual(['origin-request', 'origin-response']);
  });

  it('serves through OAC (sigv4, always), HTTPS only, HTTP/2 and 3, compressed, logged', () => {
    expect(dev).toHaveResourceWithProperties(CloudfrontOriginAccessControl, { origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' });
    expect(dev).toHaveResourceWithProperties(CloudfrontDistribution, {
      http_version: 'http2and3',
      default_root_object: 'index.html',
      default_cache_behavior: expect.objectContaining({
        viewer_protocol_policy: 'redirect-to-https',
        compress: true,
        lambda_function_association: [
          expect.objectContaining({ event_type: 'viewer-request' }),
          expect.objectContaining({ event_type: 'origin-request' }),
          expect.objectContaining({ event_type: 'origin-response' }),
        ],
      }),
      viewer_certificate: expect.objectContaining({ minimum_protocol_version: 'TLSv1.2_2021' }),
    });
    // deploy.prefix is "": the bucket's root, no origin path.
    const dist = resources(JSON.parse(dev) as Synth, 'aws_cloudfront_distribution')[0] as { origin: Record<string, unknown>[] };
    expect(dist.origin[0]!.origin_path).toBeUndefined();
  });

  it('uses the custom domain with its us-east-1 certificate and TLS 1.2_2021 at minimum', () => {
    expect(prod).toHaveResourceWithProperties(CloudfrontDistribution, {
      aliases: ['www.example.com'],
      viewer_certificate: {
        acm_certificate_arn: 'arn:aws:acm:us-east-1:333333333333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
        ssl_support_method: 'sni-only',
        minimum_protocol_version: 'TLSv1.2_2021',
      },
    });
  });

  it('logs CloudFront through standard logging v2 to the ACL-free log bucket, after its policy admits the delivery', () => {
    const parsed = JSON.parse(dev) as Synth;
    expect((resources(parsed, 'aws_cloudfront_distribution')[0] as Record<string, unknown>).logging_config).toBeUndefined();
    expect(dev).toHaveResourceWithProperties(CloudwatchLogDeliverySource, {
      provider: 'aws.us_east_1', name: 'acme-web-dev-cloudfront', log_type: 'ACCESS_LOGS', resource_arn: expect.stringMatching(/^\$\{aws_cloudfront_distribution\..*\.arn\}$/),
    });
    expect(dev).toHaveResourceWithProperties(CloudwatchLogDeliveryDestination, {
      provider: 'aws.us_east_1', output_format: 'w3c',
      delivery_destination_configuration: [{ destination_resource_arn: 'arn:aws:s3:::acme-web-dev-logs-222222222222/cloudfront' }],
    });
    const delivery = resources(parsed, 'aws_cloudwatch_log_delivery')[0]!;
    expect(delivery).toMatchObject({ provider: 'aws.us_east_1', field_delimiter: '\t', s3_delivery_configuration: [{ suffix_path: '{DistributionId}/{yyyy}/{MM}/{dd}/{HH}' }] });
    expect(delivery.record_fields).toEqual(CLOUDFRONT_V2_RECORD_FIELDS);
    expect(delivery.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.logs_bucket_policy/)]);
    const logPolicy = JSON.parse(String(resources(parsed, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('logs_bucket'))!.policy));
    expect(logPolicy.Statement).toContainEqual({
      Sid: 'AllowCloudWatchLogDelivery', Effect: 'Allow', Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::acme-web-dev-logs-222222222222/cloudfront/*',
      Condition: {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': '222222222222' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:222222222222:delivery-source:acme-web-dev-cloudfront' },
      },
    });
    const versioning = resources(parsed, 'aws_s3_bucket_versioning').map((v) => v.bucket);
    expect(versioning).toHaveLength(2);
    expect(dev).toHaveResourceWithProperties(S3BucketLoggingA, { target_bucket: expect.stringContaining('logs_bucket'), target_prefix: 's3/acme-web-dev-site-222222222222/' });
  });

  it('offers a deploy role trusted only by the tools account deploy function, allowed only the deployer\'s actions', () => {
    const parsed = JSON.parse(dev) as Synth;
    const role = resources(parsed, 'aws_iam_role').find((r) => r.name === 'edgelock-deploy')!;
    expect(JSON.parse(String(role.assume_role_policy)).Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/acme-web-deploy-function' }, Action: 'sts:AssumeRole' }),
    ]);
    const perms = JSON.parse(String(resources(parsed, 'aws_iam_role_policy').find((p) => p.name === 'deploy-site')!.policy));
    const actions = perms.Statement.flatMap((s: { Action: string | string[] }) => s.Action).sort();
    expect(actions).toEqual([
      'cloudfront:CreateInvalidation', 'cloudfront:GetDistribution', 'cloudfront:GetInvalidation', 's3:AbortMultipartUpload', 's3:DeleteObject',
      's3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketOwnershipControls', 's3:GetBucketVersioning', 's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectVersion',
      's3:ListBucket', 's3:ListBucketVersions', 's3:PutObject',
      'ssm:GetParameter',
    ]);
    expect(actions).not.toContain('s3:PutObjectAcl');
    expect(JSON.stringify(perms)).not.toContain('"Resource":"*"');
  });

  it('creates log tables, an Athena workgroup and the saved 403 and aclRequired queries', () => {
    expect(dev).toHaveResourceWithProperties(GlueCatalogTable, { name: 's3_access_logs' });
    expect(dev).toHaveResourceWithProperties(GlueCatalogTable, { name: 'cloudfront_logs', parameters: expect.objectContaining({ 'skip.header.line.count': '2' }) });
    const ownership = resources(JSON.parse(dev) as Synth, 'aws_s3_bucket_ownership_controls').map((o) => (o.rule as { object_ownership: string }).object_ownership);
    expect(ownership).toEqual(['BucketOwnerEnforced', 'BucketOwnerEnforced']);
    const queries = resources(JSON.parse(dev) as Synth, 'aws_athena_named_query');
    expect(queries.map((q) => q.name).sort()).toEqual(['cloudfront-403-by-uri', 's3-403-by-key-requester-agent', 's3-acl-required']);
    expect(String(queries.find((q) => q.name === 's3-acl-required')!.query)).toContain("aclrequired = 'Yes'");
    expect(dev).toHaveResourceWithProperties(AthenaNamedQuery, { database: expect.stringContaining('aws_glue_catalog_database') });
  });

  it('runs the pipeline Source → Build → Deploy-dev → Approve-prod → Deploy-prod in the tools account', () => {
    expect(tools).toHaveProviderWithProperties(AwsProvider, { region: 'us-east-1', allowed_account_ids: ['111111111111'] });
    const pipeline = resources(JSON.parse(tools) as Synth, 'aws_codepipeline')[0] as {
      stage: { name: string; action: { category: string; provider: string; configuration: Record<string, string> }[] }[];
      artifact_store: { encryption_key: { type: string } }[];
    };
    expect(pipeline.stage.map((s) => s.name)).toEqual(['Source', 'Build', 'Deploy-dev', 'Approve-prod', 'Deploy-prod']);
    expect(pipeline.artifact_store[0]!.encryption_key.type).toBe('KMS');
    const approve = pipeline.stage[3]!.action[0]!;
    expect(approve).toMatchObject({ category: 'Approval', provider: 'Manual' });
    expect(approve.configuration.NotificationArn).toContain('aws_sns_topic');
    const deployProd = pipeline.stage[4]!.action[0]!;
    expect(deployProd).toMatchObject({ category: 'Invoke', provider: 'Lambda' });
    expect(JSON.parse(deployProd.configuration.UserParameters!)).toEqual({
      env: 'prod', project: 'acme-web', roleArn: 'arn:aws:iam::333333333333:role/edgelock-deploy',
      bucket: 'acme-web-prod-site-333333333333', region: 'eu-west-1', siteParameter: '/edgelock/acme-web/prod/site',
    });
    expect(tools).toHaveResourceWithProperties(IamRole, { name: 'acme-web-deploy-function' });
    expect(tools).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(tools).toHaveResourceWithProperties(LambdaFunction, { function_name: 'acme-web-deploy', runtime: 'nodejs22.x' });
    expect(tools).toHaveResource(Codepipeline);
  });

  it('puts a us-east-1 WAF web ACL in front of every distribution by default, logging to aws-waf-logs-', () => {
    for (const [json, name] of [[dev, 'acme-web-dev'], [prod, 'acme-web-prod']] as const) {
      expect(json).toHaveResourceWithProperties(Wafv2WebAcl, { name, scope: 'CLOUDFRONT', provider: 'aws.us_east_1', default_action: { allow: {} } });
      expect(json).toHaveResourceWithProperties(CloudfrontDistribution, { web_acl_id: expect.stringContaining('aws_wafv2_web_acl') });
      expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: `aws-waf-logs-${name}`, retention_in_days: 365, provider: 'aws.us_east_1' });
      expect(json).toHaveResourceWithProperties(Wafv2WebAclLoggingConfiguration, { redacted_fields: [{ single_header: { name: 'authorization' } }] });
    }
    const acl = resources(JSON.parse(dev) as Synth, 'aws_wafv2_web_acl')[0] as { rule: { name: string; priority: number; statement: Record<string, any> }[] };
    expect(acl.rule.map((r) => r.name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList', 'rate-limit-authorization-per-ip', 'rate-limit-per-ip', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    expect(acl.rule.map((r) => r.priority)).toEqual([0, 1, 2, 3, 4]);
    expect(acl.rule[1]!.statement.rate_based_statement).toMatchObject({
      limit: 300, aggregate_key_type: 'IP',
      scope_down_statement: { size_constraint_statement: { field_to_match: { single_header: { name: 'authorization' } }, comparison_operator: 'GT', size: 0 } },
    });
    const policy = JSON.parse(String(resources(JSON.parse(dev) as Synth, 'aws_cloudwatch_log_resource_policy')[0]!.policy_document));
    expect(policy.Statement[0]).toMatchObject({
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' }, ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:222222222222:*' } },
    });
  });

  it.each(['dev', 'prod', 'tools'])('matches the snapshot of the %s stack', (name) => {
    const json = name === 'dev' ? dev : name === 'prod' ? prod : tools;
    expect(normalise(json)).toMatchSnapshot();
  });
});

describe('variants', () => {
  it('with SSE-KMS, the key policy admits only this distribution and the bucket uses the key', async () => {
    const { stacks } = await synthBuilt(exampleConfig((r) => ({ ...r, stacks: { encryption: 'sse-kms' } })));
    const parsed = parse(stacks.environments.dev!);
    const keyPolicy = JSON.parse(String(resources(parsed, 'aws_kms_key_policy')[0]!.policy));
    expect(keyPolicy.Statement[1]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Condition: { StringEquals: { 'AWS:SourceArn': expect.stringMatching(/^\$\{aws_cloudfront_distribution\..*\.arn\}$/) } },
    });
    const enc = resources(parsed, 'aws_s3_bucket_server_side_encryption_configuration').find((e) => String(e.bucket).includes('site_bucket'))!;
    expect(enc.rule).toEqual([expect.objectContaining({ apply_server_side_encryption_by_default: expect.objectContaining({ sse_algorithm: 'aws:kms' }) })]);
  });

  it('with WAF settings, uses their limits, optional rule groups and log retention', async () => {
    const { stacks } = await synthBuilt(exampleConfig((r) => ({
      ...r, stacks: { waf: { rateLimit: 500, authRateLimit: 50, managedRuleGroups: ['AWSManagedRulesAnonymousIpList'], logRetentionDays: 90 } },
    })));
    const json = Testing.synth(stacks.environments.dev!, true);
    const acl = resources(JSON.parse(json) as Synth, 'aws_wafv2_web_acl')[0] as { rule: { name: string; priority: number; statement: Record<string, any> }[] };
    expect(acl.rule.find((r) => r.name === 'rate-limit-per-ip')!.statement).toEqual({ rate_based_statement: { limit: 500, aggregate_key_type: 'IP', evaluation_window_sec: 300 } });
    expect(acl.rule.find((r) => r.name === 'rate-limit-authorization-per-ip')!.statement.rate_based_statement.limit).toBe(50);
    expect(acl.rule.at(-1)).toMatchObject({ name: 'AWSManagedRulesAnonymousIpList', priority: 5, statement: { managed_rule_group_statement: { name: 'AWSManagedRulesAnonymousIpList', vendor_name: 'AWS' } } });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: 'aws-waf-logs-acme-web-dev', retention_in_days: 90 });
  });

  it('with stacks.waf: false, has no web ACL', async () => {
    const { stacks } = await synthBuilt(exampleConfig((r) => ({ ...r, stacks: { waf: false } })));
    const json = Testing.synth(stacks.environments.dev!, true);
    expect(json).not.toHaveResource(Wafv2WebAcl);
    expect((resources(JSON.parse(json) as Synth, 'aws_cloudfront_distribution')[0] as Record<string, unknown>).web_acl_id).toBeUndefined();
  });

  it('with a response-headers policy, builds it from the same header config and attaches it to every behaviour', async () => {
    const config = exampleConfig((r) => ({ ...r, stacks: { responseHeadersPolicy: true, behaviors: [{ pathPattern: '/assets/*' }] } }));
    const json = Testing.synth((await synthBuilt(config)).stacks.environments.dev!, true);
    expect(json).toHaveResourceWithProperties(CloudfrontResponseHeadersPolicy, {
      name: 'acme-web-dev-security-headers',
      security_headers_config: expect.objectContaining({
        strict_transport_security: expect.objectContaining({ access_control_max_age_sec: 63072000, include_subdomains: true }),
        content_security_policy: expect.objectContaining({ content_security_policy: config.headers.contentSecurityPolicy }),
        frame_options: expect.objectContaining({ frame_option: 'DENY' }),
      }),
    });
    const dist = Object.values((JSON.parse(json) as Synth).resource!.aws_cloudfront_distribution!)[0] as Record<string, any>;
    for (const b of [dist.default_cache_behavior, ...dist.ordered_cache_behavior]) {
      expect(b.response_headers_policy_id).toMatch(/^\$\{aws_cloudfront_response_headers_policy\..*\.id\}$/);
    }
  });

  it('with deploy.prefix "site/", gives the origin the path "/site", and the guard built from the same config forwards it', async () => {
    const config = exampleConfig((r) => ({ ...r, deploy: { ...(r.deploy as object), prefix: 'site/' } }));
    const built = await builtFor(config);
    const json = Testing.synth(synthStacks(config, built).stacks.environments.prod!, true);
    const dist = resources(JSON.parse(json) as Synth, 'aws_cloudfront_distribution')[0] as { origin: Record<string, unknown>[] };
    expect(dist.origin).toHaveLength(1);
    expect(dist.origin[0]!.origin_path).toBe('/site');
    // The origin-request bundle of that build, with the origin the build recorded for prod: S3 gets the request.
    const through = await runChain(built, 'prod', { uri: '/about.html' });
    expect(through.steps.find((st) => st.trigger === 'origin-request')!.event.Records[0]!.cf.request.origin!.s3!.path).toBe('/site');
    expect(through.generatedBy).toBeNull();
    expect(through.s3Request!.uri).toBe('/about.html');
    // The same bundle behind a distribution without the origin path refuses to serve the whole bucket.
    const root = await runChain(built, 'prod', { uri: '/about.html' }, { origin: { bucketDomain: 'acme-web-prod-site-333333333333.s3.eu-west-1.amazonaws.com', region: 'eu-west-1', originAccess: 'oac', path: '' } });
    expect(root.generatedBy).toBe('origin-request');
    expect(root.status).toBe(502);
  });

  it('with a backend, keeps each stack\'s state in S3 under its own key', async () => {
    const { stacks } = await synthBuilt(exampleConfig((r) => ({ ...r, backend: { bucket: 'acme-tfstate', region: 'eu-west-1', lockTable: 'tf-locks' } })));
    stacks.tools.prepareStack();
    const json = parse(stacks.tools);
    expect(json.terraform?.backend).toEqual({ s3: { bucket: 'acme-tfstate', key: 'edgelock/acme-web-tools.tfstate', region: 'eu-west-1', encrypt: true, dynamodb_table: 'tf-locks' } });
  });

  it('without a lock table, uses S3\'s own lock file', async () => {
    const { stacks } = await synthBuilt(exampleConfig((r) => ({ ...r, backend: { bucket: 'acme-tfstate', region: 'eu-west-1' } })));
    stacks.environments.prod!.prepareStack();
    expect(parse(stacks.environments.prod!).terraform?.backend).toEqual({ s3: { bucket: 'acme-tfstate', key: 'edgelock/acme-web-prod.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true } });
  });

  it('with no pipeline, the tools stack needs no deploy bundle', async () => {
    const { stacks } = await synthBuilt(exampleConfig((r) => ({ ...r, stacks: { pipeline: false } })));
    expect(Testing.synth(stacks.tools, true)).not.toHaveResource(Codepipeline);
  });

  it('with a legacy OAI, reaches the bucket through the OAI and keeps uploads bucket-owned', async () => {
    const config = exampleConfig((r) => {
      const envs = r.environments as Record<string, Record<string, unknown>>;
      return { ...r, environments: { ...envs, dev: { ...envs.dev, originAccess: 'oai' } } };
    });
    const json = Testing.synth((await synthBuilt(config)).stacks.environments.dev!, true);
    expect(json).toHaveResource(CloudfrontOriginAccessIdentity);
    expect(json).not.toHaveResource(CloudfrontOriginAccessControl);
    expect(json).toHaveResourceWithProperties(CloudfrontDistribution, {
      origin: [expect.objectContaining({ s3_origin_config: { origin_access_identity: expect.stringContaining('cloudfront_access_identity_path') } })],
    });
    const site = (JSON.parse(json) as Synth).resource!.aws_s3_bucket_ownership_controls!;
    expect(Object.entries(site).find(([id]) => id.startsWith('site_'))![1]).toMatchObject({ rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('refuses SSE-KMS with a legacy OAI, naming the environment', () => {
    const config = exampleConfig((r) => {
      const envs = r.environments as Record<string, Record<string, unknown>>;
      return { ...r, stacks: { encryption: 'sse-kms' }, environments: { ...envs, dev: { ...envs.dev, originAccess: 'oai' } } };
    });
    expect(() => synthStacks(config, outDir)).toThrow(/environments\.dev\.originAccess: stacks\.encryption "sse-kms" needs originAccess "oac"/);
  });

  it('refuses a pipeline without a repository', () => {
    const config = exampleConfig((r) => ({ ...r, tools: { accountId: '111111111111' } }));
    expect(() => synthStacks(config, outDir)).toThrow(/tools\.repository: the pipeline builds a Git repository/);
  });
});

describe('TLS 1.2 for credentials', () => {
  const withoutDevDomain = (extra: Record<string, unknown> = {}) =>
    exampleConfig((r) => {
      const envs = r.environments as Record<string, Record<string, unknown>>;
      const { domain: _d, certificateArn: _c, ...dev } = envs.dev!;
      return { ...r, stacks: { ...(r.stacks as object), ...extra }, environments: { ...envs, dev } };
    });
  const warnings = (stack: TerraformStack) =>
    stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));

  it('refuses an auth environment on the default certificate, saying why and how', async () => {
    let message = '';
    try {
      await synthBuilt(withoutDevDomain());
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/environments\.dev\.domain: environment "dev" has auth: true but no domain and certificateArn/);
    expect(message).toContain('fixed at TLSv1');
    expect(message).toContain('stacks.allowDefaultCertificate: true');
  });

  it('with stacks.allowDefaultCertificate, synthesizes the default certificate and warns', async () => {
    const { stacks } = await synthBuilt(withoutDevDomain({ allowDefaultCertificate: true }));
    const dev = stacks.environments.dev!;
    expect(Testing.synth(dev, true)).toHaveResourceWithProperties(CloudfrontDistribution, { viewer_certificate: { cloudfront_default_certificate: true } });
    expect(warnings(dev).join('\n')).toMatch(/environment "dev" has auth: true on the default \*\.cloudfront\.net certificate/);
    expect(warnings(stacks.environments.prod!).join('\n')).not.toMatch(/default \*\.cloudfront\.net certificate/);
  });

  it('an environment without auth may use the default certificate without a warning', async () => {
    const { stacks } = await synthBuilt(exampleConfig((r) => {
      const envs = r.environments as Record<string, Record<string, unknown>>;
      const { domain: _d, certificateArn: _c, ...prod } = envs.prod!;
      return { ...r, environments: { ...envs, prod } };
    }));
    expect(warnings(stacks.environments.prod!).join('\n')).not.toMatch(/certificate/);
  });
});

describe('owned log groups and least privilege', () => {
  let dev: Synth;
  let tools: Synth;
  beforeAll(async () => {
    const { stacks } = await synthBuilt(exampleConfig((r) => ({
      ...r, tools: { ...(r.tools as object), organizationId: 'o-a1b2c3d4e5' }, stacks: { edgeLogRegions: ['us-east-1', 'eu-west-1'], logging: { logGroupRetentionDays: 90 } },
    })));
    dev = parse(stacks.environments.dev!);
    tools = parse(stacks.tools);
  });

  it('creates each edge function\'s log group in every listed region, with retention, before the function', () => {
    const groups = resources(dev, 'aws_cloudwatch_log_group').filter((g) => String(g.name).startsWith('/aws/lambda/'));
    expect(groups.map((g) => `${g.region} ${g.name} ${g.retention_in_days}`).sort()).toEqual(
      ['eu-west-1', 'us-east-1'].flatMap((region) =>
        ['origin-request', 'origin-response', 'viewer-request'].map((h) => `${region} /aws/lambda/us-east-1.acme-web-dev-${h} 90`)),
    );
    for (const fn of resources(dev, 'aws_lambda_function')) expect(fn.depends_on).toHaveLength(6);
  });

  it('lets the edge role write only its own functions\' log groups', () => {
    const p = JSON.parse(String(resources(dev, 'aws_iam_role_policy').find((r) => r.name === 'write-own-logs-in-every-region')!.policy));
    const all = p.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    expect(all).toContain('arn:aws:logs:*:222222222222:log-group:/aws/lambda/us-east-1.acme-web-dev-viewer-request:log-stream:*');
    for (const r of all) expect(r).toMatch(/log-group:\/aws\/lambda\/us-east-1\.acme-web-dev-(viewer-request|origin-request|origin-response)(:log-stream:\*)?$/);
  });

  it('guards the CodePipeline and CodeBuild trusts with aws:SourceAccount and aws:SourceArn, and leaves the Lambda trust as AWS documents it', () => {
    const trust = (name: string) => JSON.parse(String(resources(tools, 'aws_iam_role').find((r) => r.name === name)!.assume_role_policy)).Statement[0];
    expect(trust('acme-web-pipeline')).toMatchObject({
      Principal: { Service: 'codepipeline.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': 'arn:aws:codepipeline:us-east-1:111111111111:acme-web' } },
    });
    expect(trust('acme-web-build')).toMatchObject({
      Principal: { Service: 'codebuild.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': 'arn:aws:codebuild:us-east-1:111111111111:project/acme-web-build' } },
    });
    expect(trust('acme-web-deploy-function')).toEqual({ Sid: 'AllowServices', Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' });
  });

  it('with tools.organizationId, the deploy role trusts only principals of that organization', () => {
    const role = resources(dev, 'aws_iam_role').find((r) => r.name === 'edgelock-deploy')!;
    expect(JSON.parse(String(role.assume_role_policy)).Statement[0].Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
  });

  it('owns the deploy function and CodeBuild log groups, lets each write only its own, and keeps failed deploys in an SSE-SQS queue', () => {
    const groups = resources(tools, 'aws_cloudwatch_log_group').map((g) => `${g.name} ${g.retention_in_days}`).sort();
    expect(groups).toEqual(['/aws/codebuild/acme-web-build 90', '/aws/lambda/acme-web-deploy 90']);
    const policyOf = (name: string) => JSON.parse(String(resources(tools, 'aws_iam_role_policy').find((r) => r.name === name)!.policy));
    const deploy = policyOf('deploy-function');
    expect(deploy.Statement.find((s: { Sid: string }) => s.Sid === 'WriteOwnLogs').Resource).toMatch(/^\$\{aws_cloudwatch_log_group\.pipeline_deploy-function-logs.*\.arn\}:log-stream:\*$/);
    expect(deploy.Statement.flatMap((s: { Action: string | string[] }) => s.Action).filter((a: string) => a.startsWith('kms:'))).toEqual(['kms:Decrypt']);
    expect(JSON.stringify(policyOf('build'))).not.toContain('/aws/*');
    expect(JSON.stringify(tools)).toHaveResourceWithProperties(SqsQueue, { name: 'acme-web-deploy-failures', sqs_managed_sse_enabled: true });
    expect(JSON.stringify(tools)).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, { destination_config: { on_failure: { destination: expect.stringMatching(/^\$\{aws_sqs_queue\./) } } });
    expect(JSON.stringify(deploy)).toContain('sqs:SendMessage');
  });
});

describe('response headers policy by default', () => {
  it('is attached to every behaviour unless stacks.responseHeadersPolicy is false', async () => {
    const on = parse(synthStacks(exampleConfig(), outDir).stacks.environments.prod!);
    const dist = resources(on, 'aws_cloudfront_distribution')[0] as { default_cache_behavior: { response_headers_policy_id?: string } };
    expect(dist.default_cache_behavior.response_headers_policy_id).toMatch(/^\$\{aws_cloudfront_response_headers_policy\./);
    const off = parse((await synthBuilt(exampleConfig((r) => ({ ...r, stacks: { responseHeadersPolicy: false } })))).stacks.environments.prod!);
    expect(resources(off, 'aws_cloudfront_response_headers_policy')).toHaveLength(0);
  });
});

describe('log bucket with Object Lock and SSE-KMS', () => {
  it('locks and encrypts the CloudFront log bucket and moves S3 access logs and Athena results to a bucket of their own', async () => {
    const { stacks } = await synthBuilt(exampleConfig((r) => ({ ...r, stacks: { logging: { retentionDays: 2190, objectLock: true, encryption: 'sse-kms' } } })));
    const dev = parse(stacks.environments.dev!);
    const json = JSON.stringify(dev);
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: 'acme-web-dev-logs-222222222222', object_lock_enabled: true });
    expect(json).toHaveResourceWithProperties(S3BucketObjectLockConfigurationA, { rule: { default_retention: { mode: 'GOVERNANCE', days: 2190 } } });
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: 'acme-web-dev-s3logs-222222222222' });
    const enc = resources(dev, 'aws_s3_bucket_server_side_encryption_configuration').find((e) => String(e.bucket).startsWith('${aws_s3_bucket.logs_bucket'))!;
    expect(enc.rule).toEqual([expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringContaining('aws_kms_key.logs_key') } })]);
    expect(json).toHaveResourceWithProperties(S3BucketLoggingA, { target_bucket: expect.stringContaining('logs_access-logs') });
    const table = resources(dev, 'aws_glue_catalog_table').find((t) => t.name === 's3_access_logs')!;
    expect((table.storage_descriptor as { location: string }).location).toBe('s3://acme-web-dev-s3logs-222222222222/s3/');
    const wg = resources(dev, 'aws_athena_workgroup')[0] as { configuration: { result_configuration: Record<string, any> } };
    expect(wg.configuration.result_configuration).toMatchObject({
      output_location: 's3://acme-web-dev-s3logs-222222222222/athena-results/', encryption_configuration: { encryption_option: 'SSE_KMS' },
    });
    const keyPolicy = JSON.parse(String(resources(dev, 'aws_kms_key_policy').find((p) => String(p.key_id).includes('logs_key'))!.policy));
    expect(keyPolicy.Statement[1]).toMatchObject({ Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } });
  });
});
