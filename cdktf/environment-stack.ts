/**
 * `<project>-<env>`: everything one environment account holds. Log bucket, locked site bucket,
 * edge functions (us-east-1), the protected distribution, the bucket (and key) policies that admit
 * only that distribution, the deploy role, and the log tables.
 */
import type { Construct } from 'constructs';
import { Annotations, TerraformOutput } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsKeyPolicy } from '@cdktf/provider-aws/lib/kms-key-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import type { ResolvedConfig, ResolvedEnvironment } from '../src/config/schema';
import { roleArn, siteBucketPolicy, siteKeyPolicy } from '../src/origin/policy';
import { AccountStack } from './account-stack';
import { usesDefaultCertificateWithAuth } from './certificate-check';
import type { BuildArtifacts } from './artifacts';
import { DeployAccess, siteParameterName } from './deploy-access';
import { EdgeFunctions } from './edge-functions';
import { LockedBucket } from './locked-bucket';
import { CloudFrontLogDelivery } from './cloudfront-log-delivery';
import { CLOUDFRONT_LOG_PREFIX, LogAnalytics, S3_LOG_PREFIX } from './log-analytics';
import { deployFunctionRoleName } from './pipeline';
import { originPathFor } from '../src/distribution';
import { ProtectedDistribution } from './protected-distribution';
import { securityHeadersPolicy } from './response-headers';
import { EdgeWebAcl } from './web-acl';

export interface EnvironmentStackProps {
  readonly config: ResolvedConfig;
  readonly env: ResolvedEnvironment;
  readonly artifacts: BuildArtifacts;
}

export class EnvironmentStack extends AccountStack {
  readonly site: LockedBucket;
  readonly distribution: ProtectedDistribution;
  readonly logs: LogAnalytics;
  readonly deployAccess: DeployAccess;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    const { config, env } = props;
    super(scope, id, { config, accountId: env.accountId, region: env.region });
    const stacks = config.stacks;
    const prefix = `${config.project}-${env.name}`;
    if (usesDefaultCertificateWithAuth(env)) {
      // Only reached with stacks.allowDefaultCertificate: true (checkStackSettings refuses it otherwise).
      Annotations.of(this).addWarning(
        `environment "${env.name}" has auth: true on the default *.cloudfront.net certificate (stacks.allowDefaultCertificate: true): ` +
          'its security policy is fixed at TLSv1, so Basic credentials may cross TLS 1.0 or 1.1; set domain and certificateArn to require TLS 1.2',
      );
    }

    this.logs = new LogAnalytics(this, 'logs', {
      project: config.project,
      environment: env.name,
      accountId: env.accountId,
      bucketName: `${prefix}-logs-${env.accountId}`,
      sourceBuckets: [env.bucket],
      retentionDays: stacks.logging.retentionDays,
      cloudFrontDeliverySource: `${prefix}-cloudfront`,
      accessLogBucketName: `${prefix}-s3logs-${env.accountId}`,
      objectLock: stacks.logging.objectLock,
      encryption: stacks.logging.encryption,
    });

    const key =
      stacks.encryption === 'sse-kms'
        ? new KmsKey(this, 'site-key', { description: `edgelock ${prefix} site bucket`, enableKeyRotation: true, deletionWindowInDays: 30 })
        : undefined;
    if (key) new KmsAlias(this, 'site-key-alias', { name: `alias/${prefix}-site`, targetKeyId: key.keyId });

    // ACLs stay disabled (BucketOwnerEnforced) in OAI mode too: its bucket policy also refuses any
    // upload without bucket-owner-full-control, which S3 accepts on an enforced bucket and the
    // deployer sends there.
    this.site = new LockedBucket(this, 'site', {
      bucketName: env.bucket,
      encryption: key ? { kind: 'sse-kms', keyArn: key.arn } : { kind: 'sse-s3' },
      accessLogs: { bucket: this.logs.accessLogBucket.bucket.id, prefix: `${S3_LOG_PREFIX}${env.bucket}/` },
    });

    const functions = new EdgeFunctions(this, 'edge', {
      project: config.project,
      environment: env.name,
      accountId: env.accountId,
      auth: env.auth,
      artifacts: props.artifacts,
      provider: this.usEast1,
      deleteTimeout: stacks.edgeFunctionDeleteTimeout,
      logProvider: this.provider,
      logRegions: stacks.edgeLogRegions,
      logRetentionDays: stacks.logging.logGroupRetentionDays,
    });

    const webAcl = stacks.waf
      ? new EdgeWebAcl(this, 'waf', {
          name: prefix,
          accountId: env.accountId,
          provider: this.usEast1,
          rateLimit: stacks.waf.rateLimit,
          authRateLimit: stacks.waf.authRateLimit,
          managedRuleGroups: stacks.waf.managedRuleGroups,
          logRetentionDays: stacks.waf.logRetentionDays,
        }).webAcl
      : undefined;

    const headersPolicy = stacks.responseHeadersPolicy
      ? securityHeadersPolicy(this, 'response-headers', `${prefix}-security-headers`, config.headers)
      : undefined;

    this.distribution = new ProtectedDistribution(this, 'cdn', {
      project: config.project,
      environment: env.name,
      auth: env.auth,
      bucketRegionalDomainName: this.site.bucket.bucketRegionalDomainName,
      originAccess: env.originAccess,
      functions: functions.qualifiedArns,
      allowedMethods: config.origin.allowedMethods,
      behaviors: stacks.behaviors,
      defaultRootObject: stacks.defaultRootObject,
      errorPages: stacks.errorPages,
      originPath: originPathFor(config.deploy.prefix),
      priceClass: stacks.priceClass,
      domain: env.domain && env.certificateArn ? { name: env.domain, certificateArn: env.certificateArn } : undefined,
      allowDefaultCertificate: stacks.allowDefaultCertificate,
      webAclArn: webAcl?.arn,
      responseHeadersPolicyId: headersPolicy?.id,
    });
    const cdn = this.distribution.distribution;
    new CloudFrontLogDelivery(this, 'cdn-logs', {
      name: prefix,
      provider: this.usEast1,
      distributionArn: cdn.arn,
      bucketArn: this.logs.logBucket.arn,
      prefix: CLOUDFRONT_LOG_PREFIX,
      dependsOn: [this.logs.policy],
    });

    this.site.attachPolicy(siteBucketPolicy({ bucketArn: this.site.arn, reader: this.distribution.reader }));
    if (key) {
      new KmsKeyPolicy(this, 'site-key-policy', {
        keyId: key.keyId,
        policy: JSON.stringify(siteKeyPolicy({ accountId: env.accountId, distributionArn: cdn.arn })),
      });
    }

    this.deployAccess = new DeployAccess(this, 'deploy-access', {
      project: config.project,
      environment: env.name,
      accountId: env.accountId,
      region: env.region,
      roleName: config.deploy.roleName,
      trustedRoleArn: roleArn(config.tools.accountId, deployFunctionRoleName(config.project)),
      bucketName: env.bucket,
      bucketArn: this.site.arn,
      distributionArn: cdn.arn,
      distributionId: cdn.id,
      distributionDomainName: cdn.domainName,
      kmsKeyArn: key?.arn,
      requireBucketOwnerFullControl: env.originAccess === 'oai',
      organizationId: config.tools.organizationId,
    });

    new TerraformOutput(this, 'distribution-id', { value: cdn.id });
    new TerraformOutput(this, 'distribution-domain', { value: cdn.domainName });
    new TerraformOutput(this, 'site-bucket', { value: env.bucket });
    new TerraformOutput(this, 'deploy-role-arn', { value: this.deployAccess.role.arn });
    new TerraformOutput(this, 'site-parameter', { value: siteParameterName(config.project, env.name) });
    new TerraformOutput(this, 'athena-workgroup', { value: this.logs.workgroup.name });
  }
}
