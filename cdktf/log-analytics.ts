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
import { bucketArn, logBucketPolicy, policy } from '../src/origin/policy';
import { deliverySourceArn } from './cloudfront-log-delivery';
import { logDeliveryToS3Statement } from './service-policies';
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
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

export class LogAnalytics extends Construct {
  readonly logBucket: LockedBucket;
  readonly database: GlueCatalogDatabase;
  readonly workgroup: AthenaWorkgroup;
  /** The log bucket policy: log deliveries depend on it. */
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
      .that(props.cloudFrontDeliverySource === undefined || /^[\w-]{1,60}$/.test(props.cloudFrontDeliverySource), 'cloudFrontDeliverySource', 'expected a delivery source name (letters, digits, _ and -)');
    (Array.isArray(props.sourceBuckets) ? props.sourceBuckets : []).forEach((b, i) => check.bucketName(b, `sourceBuckets[${i}]`));
    check.done();
    // CloudFront standard logging v2 delivers through CloudWatch Logs (no ACL grant) and S3 server
    // access logging through the bucket policy: ACLs stay disabled. SSE-S3, because S3 server access
    // logging cannot write to a bucket whose default encryption is SSE-KMS.
    this.logBucket = new LockedBucket(this, 'bucket', {
      bucketName: props.bucketName,
      objectOwnership: 'BucketOwnerEnforced',
      versioning: true,
      expireAfterDays: props.retentionDays ?? 365,
    });
    const base = logBucketPolicy({
      bucketArn: this.logBucket.arn,
      accessLogPrefix: S3_LOG_PREFIX,
      sourceBucketArns: props.sourceBuckets.map((b) => bucketArn(b)),
      sourceAccountId: props.accountId,
    });
    this.policy = this.logBucket.attachPolicy(
      props.cloudFrontDeliverySource
        ? policy(
            ...base.Statement,
            logDeliveryToS3Statement({
              bucketArn: this.logBucket.arn,
              prefix: CLOUDFRONT_LOG_PREFIX,
              accountId: props.accountId,
              deliverySourceArn: deliverySourceArn(props.accountId, props.cloudFrontDeliverySource),
            }),
          )
        : base,
    );

    const dbName = `${props.project}_${props.environment}_logs`.replace(/-/g, '_');
    this.database = new GlueCatalogDatabase(this, 'database', {
      name: dbName,
      description: `edgelock logs of ${props.project}/${props.environment}`,
    });
    const columns = (list: readonly LogColumn[]) => list.map((c) => ({ name: c.name, type: c.type }));
    const location = (prefix: string) => `s3://${props.bucketName}/${prefix}`;

    new GlueCatalogTable(this, 's3-access-logs', {
      databaseName: this.database.name,
      name: S3_TABLE,
      tableType: 'EXTERNAL_TABLE',
      parameters: { EXTERNAL: 'TRUE' },
      storageDescriptor: {
        location: location(S3_LOG_PREFIX),
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
          outputLocation: location(ATHENA_RESULTS_PREFIX),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
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
