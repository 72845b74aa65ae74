/**
 * CloudFrontLogDelivery: CloudFront standard logging v2. A CloudWatch Logs delivery source for
 * the distribution (us-east-1, where CloudFront's vended logs originate), a delivery destination
 * on the log bucket, and the delivery between them. No bucket ACL is involved, so the log bucket
 * keeps ACLs disabled. Output: W3C, tab-separated, the fields of CLOUDFRONT_V2_RECORD_FIELDS in
 * that order (the Glue table's columns).
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { CLOUDFRONT_V2_RECORD_FIELDS } from './log-tables';
import { PropsCheck } from './props';

/** Where under the prefix each file lands: one folder per distribution and hour. */
export const CLOUDFRONT_LOG_SUFFIX = '{DistributionId}/{yyyy}/{MM}/{dd}/{HH}';

/** The delivery source's ARN (what the log bucket policy pins aws:SourceArn to). */
export const deliverySourceArn = (accountId: string, name: string): string => `arn:aws:logs:us-east-1:${accountId}:delivery-source:${name}`;

export interface CloudFrontLogDeliveryProps {
  /** Names the source, destination and delivery (`<project>-<env>`). */
  readonly name: string;
  /** The account's us-east-1 provider. */
  readonly provider: TerraformProvider;
  readonly distributionArn: string;
  /** The log bucket's ARN. */
  readonly bucketArn: string;
  /** Key prefix in the log bucket, e.g. "cloudfront/". */
  readonly prefix: string;
  /** What must exist before the first delivery (the log bucket policy admitting it). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

export class CloudFrontLogDelivery extends Construct {
  readonly source: CloudwatchLogDeliverySource;
  readonly delivery: CloudwatchLogDelivery;

  constructor(scope: Construct, id: string, props: CloudFrontLogDeliveryProps) {
    super(scope, id);
    new PropsCheck(`CloudFrontLogDelivery ${this.node.path}`)
      .that(typeof props.name === 'string' && /^[\w-]{1,54}$/.test(props.name), 'name', `expected letters, digits, _ and - (up to 54), got ${JSON.stringify(props.name)}`)
      .that(props.provider !== undefined && props.provider !== null, 'provider', "expected the account's us-east-1 AwsProvider (CloudFront log delivery sources live in us-east-1)")
      .arn(props.distributionArn, 'distributionArn', 'cloudfront', /^distribution\//)
      .arn(props.bucketArn, 'bucketArn', 's3')
      .that(typeof props.prefix === 'string' && /^[\w./-]*\/$/.test(props.prefix), 'prefix', `expected a key prefix ending in "/", got ${JSON.stringify(props.prefix)}`)
      .done();
    this.source = new CloudwatchLogDeliverySource(this, 'source', {
      provider: props.provider,
      name: `${props.name}-cloudfront`,
      logType: 'ACCESS_LOGS',
      resourceArn: props.distributionArn,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, 'destination', {
      provider: props.provider,
      name: `${props.name}-cloudfront-s3`,
      outputFormat: 'w3c',
      deliveryDestinationConfiguration: [{ destinationResourceArn: `${props.bucketArn}/${props.prefix.replace(/\/$/, '')}` }],
    });
    this.delivery = new CloudwatchLogDelivery(this, 'delivery', {
      provider: props.provider,
      deliverySourceName: this.source.name,
      deliveryDestinationArn: destination.arn,
      fieldDelimiter: '\t',
      recordFields: [...CLOUDFRONT_V2_RECORD_FIELDS],
      s3DeliveryConfiguration: [{ suffixPath: CLOUDFRONT_LOG_SUFFIX, enableHiveCompatiblePath: false }],
      dependsOn: props.dependsOn,
    });
  }
}
