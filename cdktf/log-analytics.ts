/**
 * LogAnalytics: a log bucket that CloudFront standard logging and S3 server access logging can
 * write to, Glue tables over both formats, an Athena workgroup and saved queries for 403s.
 */
import { Construct } from 'constructs';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { bucketArn, logBucketPolicy } from '../src/origin/policy';
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
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

export class LogAnalytics extends Construct {
  readonly logBucket: LockedBucket;
  readonly database: GlueCatalogDatabase;
  readonly workgroup: AthenaWorkgroup;

  constructor(scope: Construct, id: string, props: LogAnalyticsProps) {
    super(scope, id);
    const check = new PropsCheck(`LogAnalytics ${this.node.path}`)
      .name(props.project, 'project')
      .name(props.environment, 'environment')
      .accountId(props.accountId, 'accountId')
      .bucketName(props.bucketName, 'bucketName')
      .that(Array.isArray(props.sourceBuckets), 'sourceBuckets', 'expected a list of bucket names (may be empty)')
      .positiveInteger(props.retentionDays, 'retentionDays', 3650);
    (Array.isArray(props.sourceBuckets) ? props.sourceBuckets : []).forEach((b, i) => check.bucketName(b, `sourceBuckets[${i}]`));
    check.done();
    // CloudFront standard logging writes through an ACL grant, so this bucket keeps ACLs
    // (BucketOwnerPreferred: the bucket owner still owns what is written). SSE-S3: CloudFront
    // standard logs cannot be written with SSE-KMS.
    this.logBucket = new LockedBucket(this, 'bucket', {
      bucketName: props.bucketName,
      objectOwnership: 'BucketOwnerPreferred',
      versioning: false,
      expireAfterDays: props.retentionDays ?? 365,
    });
    this.logBucket.attachPolicy(
      logBucketPolicy({
        bucketArn: this.logBucket.arn,
        accessLogPrefix: S3_LOG_PREFIX,
        sourceBucketArns: props.sourceBuckets.map((b) => bucketArn(b)),
        sourceAccountId: props.accountId,
      }),
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
