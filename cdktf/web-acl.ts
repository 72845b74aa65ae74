/**
 * EdgeWebAcl: the WAF web ACL in front of a distribution (us-east-1, scope CLOUDFRONT). AWS
 * managed rule groups (IP reputation, Common, KnownBadInputs, and any optional ones), a per-IP rate
 * limit on requests that carry Authorization (password guessing costs a Lambda@Edge invocation
 * each) and one on all requests, and logging to an `aws-waf-logs-` CloudWatch log group with
 * retention, the Authorization header redacted.
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { LOG_GROUP_RETENTION_DAYS, OPTIONAL_MANAGED_RULE_GROUPS } from '../src/config/schema';
import { wafLogDeliveryPolicy } from './service-policies';
import { PropsCheck } from './props';

/** The AWS managed rule groups every edgelock web ACL has, in evaluation order. */
export const BASELINE_MANAGED_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

export interface EdgeWebAclProps {
  /** `<project>-<env>`: names the web ACL, its metrics and its log group. */
  readonly name: string;
  /** The account the web ACL lives in (the only one whose log delivery the log group admits). */
  readonly accountId: string;
  /** The account's us-east-1 provider (CloudFront web ACLs live there). */
  readonly provider: TerraformProvider;
  /** Requests per 5 minutes from one IP. */
  readonly rateLimit: number;
  /** Requests per 5 minutes from one IP that carry an Authorization header. */
  readonly authRateLimit: number;
  /** Optional AWS managed rule groups, evaluated after the baseline. @default [] */
  readonly managedRuleGroups?: readonly string[];
  /** Days the log group keeps WAF logs (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** A KMS key for the log group. @default CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
}

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

/** The web ACL's rules, in priority order (pure: the statements are Terraform's snake_case JSON). */
export function webAclRules(name: string, props: Pick<EdgeWebAclProps, 'rateLimit' | 'authRateLimit' | 'managedRuleGroups'>): Wafv2WebAclRule[] {
  const managed = (group: string, priority: number): Wafv2WebAclRule => ({
    name: group,
    priority,
    overrideAction: { none: {} },
    statement: { managed_rule_group_statement: { name: group, vendor_name: 'AWS' } },
    visibilityConfig: visibility(`${name}-${group}`),
  });
  return [
    managed(BASELINE_MANAGED_RULE_GROUPS[0], 0),
    {
      name: 'rate-limit-authorization-per-ip',
      priority: 1,
      action: { block: {} },
      statement: {
        rate_based_statement: {
          limit: props.authRateLimit,
          aggregate_key_type: 'IP',
          evaluation_window_sec: 300,
          scope_down_statement: {
            size_constraint_statement: {
              field_to_match: { single_header: { name: 'authorization' } },
              comparison_operator: 'GT',
              size: 0,
              text_transformation: [{ priority: 0, type: 'NONE' }],
            },
          },
        },
      },
      visibilityConfig: visibility(`${name}-rate-limit-authorization`),
    },
    {
      name: 'rate-limit-per-ip',
      priority: 2,
      action: { block: {} },
      statement: { rate_based_statement: { limit: props.rateLimit, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
      visibilityConfig: visibility(`${name}-rate-limit`),
    },
    managed(BASELINE_MANAGED_RULE_GROUPS[1], 3),
    managed(BASELINE_MANAGED_RULE_GROUPS[2], 4),
    ...(props.managedRuleGroups ?? []).map((group, i) => managed(group, 5 + i)),
  ];
}

export class EdgeWebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps) {
    super(scope, id);
    const check = new PropsCheck(`EdgeWebAcl ${this.node.path}`)
      .that(typeof props.name === 'string' && /^[A-Za-z0-9-]{1,100}$/.test(props.name), 'name', `expected letters, digits and hyphens (up to 100), got ${JSON.stringify(props.name)}`)
      .accountId(props.accountId, 'accountId')
      .that(props.provider !== undefined && props.provider !== null, 'provider', "expected the account's us-east-1 AwsProvider (CloudFront web ACLs live in us-east-1)")
      .that(Number.isInteger(props.rateLimit) && props.rateLimit >= 10, 'rateLimit', 'expected a whole number of requests per 5 minutes, at least 10')
      .that(Number.isInteger(props.authRateLimit) && props.authRateLimit >= 10, 'authRateLimit', 'expected a whole number of requests per 5 minutes, at least 10')
      .that((LOG_GROUP_RETENTION_DAYS as readonly number[]).includes(props.logRetentionDays), 'logRetentionDays', `expected one of ${LOG_GROUP_RETENTION_DAYS.join(', ')}`);
    const groups = props.managedRuleGroups ?? [];
    const unknown = groups.filter((g) => !(OPTIONAL_MANAGED_RULE_GROUPS as readonly string[]).includes(g));
    check.that(unknown.length === 0, 'managedRuleGroups', `unknown or not optional: ${JSON.stringify(unknown)}; expected some of ${OPTIONAL_MANAGED_RULE_GROUPS.join(', ')}`);
    check.that(new Set(groups).size === groups.length, 'managedRuleGroups', 'lists a rule group twice');
    if (props.logKmsKeyArn !== undefined) check.arn(props.logKmsKeyArn, 'logKmsKeyArn', 'kms', /^key\//);
    check.done();

    this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
      provider: props.provider,
      name: props.name,
      description: `edgelock ${props.name}: managed rule groups and per-IP rate limits`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rule: webAclRules(props.name, props),
    });
    // WAF requires the "aws-waf-logs-" prefix on a CloudWatch Logs destination.
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider: props.provider,
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });
    const policy = new CloudwatchLogResourcePolicy(this, 'log-delivery-policy', {
      provider: props.provider,
      policyName: `aws-waf-logs-${props.name}`,
      policyDocument: JSON.stringify(wafLogDeliveryPolicy({ logGroupArn: this.logGroup.arn, accountId: props.accountId, region: 'us-east-1' })),
    });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      provider: props.provider,
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      // Basic credentials are in this header: never write them to a log.
      redactedFields: [{ singleHeader: { name: 'authorization' } }],
      dependsOn: [policy],
    });
  }
}
