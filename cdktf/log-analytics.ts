/**
 * LogAnalytics: a log bucket (ACLs disabled, versioned) that CloudFront standard logging v2 and
 * S3 server access logging write to, Glue tables over both formats, an Athena workgroup and saved
 * queries for 403s.
 */
import { Construct } from 'constructs';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import type { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsKeyPolicy } from '@cdktf/provider-aws/lib/kms-key-policy';
import { bucketArn, logBucketPolicy, policy, tlsOnlyStatement } from '../src/origin/policy';
import { deliverySourceArn } from './cloudfront-log-delivery';
import { logDeliveryToS3Statement, logKeyPolicy } from './service-policies';
import { LockedBucket } from './locked-bucket';
import { PropsCheck } from './props';
import { CLOUDFRONT_LOG_COLUMNS, S3_ACCESS_LOG_COLUMNS, S3_ACCESS_LOG_REGEX, savedQueries, type LogColumn } from './log-tables';

export const S3_LOG_PREFIX = 's3/';
export const CLOUDFRONT_LOG_PREFIX = 'cloudfront/';
const ATHENA_RESULTS_PREFIX = 'athena-results/';
export const S3_TABLE = 's3_access_logs';
export const CLOUDFRONT_TABLE = 'cloudfront_logs';

export interface LogAnalyticsProps {
  readonly project: string;
  readonly environment: string;
  /** The account that owns the log bucket (the only one whose log delivery it admits). */
  readonly accountId: string;
  /** Name of the log bucket this construct creates. */
  readonly bucketName: string;
  /** Buckets whose server access logs land here (by name). */
  readonly sourceBuckets: readonly string[];
  /** Days before logs (and old versions) expire. @default 365 */
  readonly retentionDays?: number;
  /**
   * Name of the CloudFront log delivery source (CloudFrontLogDelivery, in us-east-1 of this
   * account) the bucket admits under CLOUDFRONT_LOG_PREFIX. @default none: no CloudFront logs
   */
  readonly cloudFrontDeliverySource?: string;
  /** Object Lock (GOVERNANCE, retention = retentionDays) on the CloudFront log bucket. @default false */
  readonly objectLock?: boolean;
  /** The CloudFront log bucket's encryption; 'sse-kms' creates a rotating key. @default 'sse-s3' */
  readonly encryption?: 'sse-s3' | 'sse-kms';
  /**
   * Name of the bucket for S3 server access logs when they cannot share the log bucket (Object
   * Lock or SSE-KMS on). @default `<bucketName>-s3logs` (the name cut to fit 63 characters)
   */
  readonly accessLogBucketName?: string;
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

export class LogAnalytics extends Construct {
  readonly logBucket: LockedBucket;
  readonly database: GlueCatalogDatabase;
  readonly workgroup: AthenaWorkgroup;
  /** Where S3 server access logs go: the log bucket, or a bucket of their own with Object Lock or SSE-KMS. */
  readonly accessLogBucket: LockedBucket;
  /** The CloudFront log bucket's key, with SSE-KMS. */
  readonly key?: KmsKey;
  /** The CloudFront log bucket policy: log deliveries depend on it. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: LogAnalyticsProps) {
    super(scope, id);
    const check = new PropsCheck(`LogAnalytics ${this.node.path}`)
      .name(props.project, 'project')
      .name(props.environment, 'environment')
      .accountId(props.accountId, 'accountId')
      .bucketName(props.bucketName, 'bucketName')
      .that(Array.isArray(props.sourceBuckets), 'sourceBuckets', 'expected a list of bucket names (may be empty)')
      .positiveInteger(props.retentionDays, 'retentionDays', 3650)
      .that(props.objectLock === undefined || typeof props.objectLock === 'boolean', 'objectLock', 'expected true or false')
      .oneOf(props.encryption, 'encryption', ['sse-s3', 'sse-kms'])
      .that(props.cloudFrontDeliverySource === undefined || /^[\w-]{1,60}$/.test(props.cloudFrontDeliverySource), 'cloudFrontDeliverySource', 'expected a delivery source name (letters, digits, _ and -)');
    (Array.isArray(props.sourceBuckets) ? props.sourceBuckets : []).forEach((b, i) => check.bucketName(b, `sourceBuckets[${i}]`));
    check.done();
    // CloudFront standard logging v2 delivers through CloudWatch Logs (no ACL grant) and S3 server
    // access logging through the bucket policy: ACLs stay disabled. S3 server access logging cannot
    // write to a bucket with SSE-KMS default encryption or an Object Lock default retention, so
    // with either of those its logs get a bucket of their own (SSE-S3, versioned, same expiry).
    const retentionDays = props.retentionDays ?? 365;
    this.key =
      props.encryption === 'sse-kms'
        ? new KmsKey(this, 'key', { description: `edgelock ${props.project}-${props.environment} CloudFront logs`, enableKeyRotation: true, deletionWindowInDays: 30 })
        : undefined;
    if (this.key) {
      new KmsKeyPolicy(this, 'key-policy', { keyId: this.key.keyId, policy: JSON.stringify(logKeyPolicy(props.accountId)) });
      new KmsAlias(this, 'key-alias', { name: `alias/${props.project}-${props.environment}-logs`, targetKeyId: this.key.keyId });
    }
    this.logBucket = new LockedBucket(this, 'bucket', {
      bucketName: props.bucketName,
      objectOwnership: 'BucketOwnerEnforced',
      versioning: true,
      encryption: this.key ? { kind: 'sse-kms', keyArn: this.key.arn } : { kind: 'sse-s3' },
      objectLock: props.objectLock ? { mode: 'GOVERNANCE', days: retentionDays } : undefined,
      expireAfterDays: retentionDays,
    });
    const split = Boolean(props.objectLock) || this.key !== undefined;
    this.accessLogBucket = split
      ? new LockedBucket(this, 'access-logs', {
          bucketName: props.accessLogBucketName ?? `${props.bucketName.slice(0, 56)}-s3logs`,
          versioning: true,
          expireAfterDays: retentionDays,
        })
      : this.logBucket;
    const accessLogPolicy = logBucketPolicy({
      bucketArn: this.accessLogBucket.arn,
      accessLogPrefix: S3_LOG_PREFIX,
      sourceBucketArns: props.sourceBuckets.map((b) => bucketArn(b)),
      sourceAccountId: props.accountId,
    });
    const cloudFrontStatement = props.cloudFrontDeliverySource
      ? [
          logDeliveryToS3Statement({
            bucketArn: this.logBucket.arn,
            prefix: CLOUDFRONT_LOG_PREFIX,
            accountId: props.accountId,
            deliverySourceArn: deliverySourceArn(props.accountId, props.cloudFrontDeliverySource),
          }),
        ]
      : [];
    if (split) {
      this.accessLogBucket.attachPolicy(accessLogPolicy);
      this.policy = this.logBucket.attachPolicy(policy(tlsOnlyStatement(this.logBucket.arn), ...cloudFrontStatement));
    } else {
      this.policy = this.logBucket.attachPolicy(policy(...accessLogPolicy.Statement, ...cloudFrontStatement));
    }

    const dbName = `${props.project}_${props.environment}_logs`.replace(/-/g, '_');
    this.database = new GlueCatalogDatabase(this, 'database', {
      name: dbName,
      description: `edgelock logs of ${props.project}/${props.environment}`,
    });
    const columns = (list: readonly LogColumn[]) => list.map((c) => ({ name: c.name, type: c.type }));
    const location = (prefix: string, bucket = this.logBucket) => `s3://${bucket.bucketName}/${prefix}`;

    new GlueCatalogTable(this, 's3-access-logs', {
      databaseName: this.database.name,
      name: S3_TABLE,
      tableType: 'EXTERNAL_TABLE',
      parameters: { EXTERNAL: 'TRUE' },
      storageDescriptor: {
        location: location(S3_LOG_PREFIX, this.accessLogBucket),
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        columns: columns(S3_ACCESS_LOG_COLUMNS),
        serDeInfo: { serializationLibrary: 'org.apache.hadoop.hive.serde2.RegexSerDe', parameters: { 'input.regex': S3_ACCESS_LOG_REGEX } },
      },
    });
    new GlueCatalogTable(this, 'cloudfront-logs', {
      databaseName: this.database.name,
      name: CLOUDFRONT_TABLE,
      tableType: 'EXTERNAL_TABLE',
      parameters: { EXTERNAL: 'TRUE', 'skip.header.line.count': '2' },
      storageDescriptor: {
        location: location(CLOUDFRONT_LOG_PREFIX),
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        columns: columns(CLOUDFRONT_LOG_COLUMNS),
        serDeInfo: {
          serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
          parameters: { 'field.delim': '\t', 'serialization.format': '\t' },
        },
      },
    });

    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name: `${props.project}-${props.environment}-logs`,
      description: `edgelock: query the logs of ${props.project}/${props.environment}`,
      forceDestroy: false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        resultConfiguration: {
          // Results beside the S3 access logs: never under the CloudFront logs' Object Lock.
          outputLocation: location(ATHENA_RESULTS_PREFIX, this.accessLogBucket),
          encryptionConfiguration: this.key ? { encryptionOption: 'SSE_KMS', kmsKeyArn: this.key.arn } : { encryptionOption: 'SSE_S3' },
        },
      },
    });

    for (const [name, q] of Object.entries(savedQueries(`${dbName}.${S3_TABLE}`, `${dbName}.${CLOUDFRONT_TABLE}`))) {
      new AthenaNamedQuery(this, `query-${name}`, {
        name,
        description: q.description,
        database: this.database.name,
        workgroup: this.workgroup.name,
        query: q.sql,
      });
    }
  }
}
