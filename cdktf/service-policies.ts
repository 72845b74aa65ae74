/**
 * Resource and trust policies for AWS services acting on the stacks' behalf, each with the
 * confused-deputy guards the service documents (aws:SourceAccount, aws:SourceArn). Pure: inputs
 * may be literal ARNs or Terraform tokens.
 */
import { policy, type PolicyDocument, type Statement } from '../src/origin/policy';

export interface WafLogDeliveryInput {
  /** The `aws-waf-logs-…` log group (ARN without the `:*` suffix). */
  readonly logGroupArn: string;
  readonly accountId: string;
  /** Where the web ACL and its log group live (us-east-1 for CloudFront). */
  readonly region: string;
}

/**
 * The CloudWatch Logs resource policy that lets WAF's log delivery write to one log group, only
 * for deliveries of this account in this region (AWS WAF Developer Guide, "Sending web ACL traffic
 * logs to an Amazon CloudWatch Logs log group").
 */
export function wafLogDeliveryPolicy(input: WafLogDeliveryInput): PolicyDocument {
  return policy({
    Sid: 'AllowWafLogDelivery',
    Effect: 'Allow',
    Principal: { Service: 'delivery.logs.amazonaws.com' },
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: `${input.logGroupArn}:*`,
    Condition: {
      ArnLike: { 'aws:SourceArn': `arn:aws:logs:${input.region}:${input.accountId}:*` },
      StringEquals: { 'aws:SourceAccount': input.accountId },
    },
  });
}

export interface LogDeliveryToS3Input {
  /** The log bucket's ARN. */
  readonly bucketArn: string;
  /** Key prefix the delivery writes under, e.g. "cloudfront/". */
  readonly prefix: string;
  /** The account whose delivery sources may write (the bucket's own account). */
  readonly accountId: string;
  /** ARN (or ARN pattern) of the delivery sources allowed, e.g. arn:aws:logs:us-east-1:<account>:delivery-source:<name>. */
  readonly deliverySourceArn: string;
}

/**
 * The bucket policy statement that lets CloudWatch Logs vended delivery (CloudFront standard
 * logging v2) write under one prefix, for one delivery source of this account. S3 accepts the
 * bucket-owner-full-control ACL the delivery sends on a BucketOwnerEnforced bucket; no ACL grant
 * is involved.
 */
export function logDeliveryToS3Statement(input: LogDeliveryToS3Input): Statement {
  return {
    Sid: 'AllowCloudWatchLogDelivery',
    Effect: 'Allow',
    Principal: { Service: 'delivery.logs.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `${input.bucketArn}/${input.prefix}*`,
    Condition: {
      StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': input.accountId },
      ArnLike: { 'aws:SourceArn': input.deliverySourceArn },
    },
  };
}

/**
 * A service role's trust, guarded against the confused deputy: the service may assume it only on
 * behalf of this account (aws:SourceAccount) and, where the service sends it, this resource
 * (aws:SourceArn). CodePipeline and CodeBuild document both keys for their service roles.
 */
export function guardedServiceTrustPolicy(service: string, accountId: string, sourceArn: string): PolicyDocument {
  return policy({
    Sid: 'AllowServiceForThisResource',
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceAccount': accountId }, ArnLike: { 'aws:SourceArn': sourceArn } },
  });
}

/** Adds aws:PrincipalOrgID to every Allow of a trust policy: only principals of that organization. */
export function withPrincipalOrg(document: PolicyDocument, organizationId: string): PolicyDocument {
  return policy(
    ...document.Statement.map((s): Statement =>
      s.Effect === 'Allow' ? { ...s, Condition: { ...s.Condition, StringEquals: { ...s.Condition?.StringEquals, 'aws:PrincipalOrgID': organizationId } } } : s,
    ),
  );
}

/** Denies every action on a queue over plain HTTP. */
export function queueTlsOnlyPolicy(queueArn: string): PolicyDocument {
  return policy({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 'sqs:*',
    Resource: queueArn,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
}

/**
 * The log bucket key's policy: the account administers it through IAM (the default key policy),
 * and CloudWatch Logs' vended delivery may create data keys only for this account's CloudFront
 * delivery sources in us-east-1.
 */
export function logKeyPolicy(accountId: string): PolicyDocument {
  return policy(
    { Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'AllowCloudFrontLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': accountId },
        ArnLike: { 'aws:SourceArn': `arn:aws:logs:us-east-1:${accountId}:delivery-source:*` },
      },
    },
  );
}
