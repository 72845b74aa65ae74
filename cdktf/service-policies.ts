/**
 * Resource and trust policies for AWS services acting on the stacks' behalf, each with the
 * confused-deputy guards the service documents (aws:SourceAccount, aws:SourceArn). Pure: inputs
 * may be literal ARNs or Terraform tokens.
 */
import { policy, type PolicyDocument } from '../src/origin/policy';

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
