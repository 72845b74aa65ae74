/** KMS key policies: the site key (admits only the distribution) and the pipeline's artifact key. */
import { accountRootArn } from './arn';
import { policy, type PolicyDocument, type Statement } from './types';

function adminStatement(accountId: string, partition: string): Statement {
  return {
    Sid: 'EnableIamPoliciesOfThisAccount',
    Effect: 'Allow',
    Principal: { AWS: accountRootArn(accountId, partition) },
    Action: 'kms:*',
    Resource: '*',
  };
}

export interface SiteKeyPolicyInput {
  readonly accountId: string;
  /** The one distribution allowed to decrypt (OAC). */
  readonly distributionArn: string;
  readonly partition?: string;
}

/**
 * The site bucket's key: the account administers it (IAM policies such as the deploy role's apply),
 * and CloudFront may decrypt only on behalf of this distribution.
 */
export function siteKeyPolicy(input: SiteKeyPolicyInput): PolicyDocument {
  const partition = input.partition ?? 'aws';
  return policy(adminStatement(input.accountId, partition), siteKeyReadStatement(input.distributionArn));
}

/**
 * Lets CloudFront use the site key on behalf of one distribution (OAC): the statement of
 * {@link siteKeyPolicy}, and the grant the doctor suggests for a key policy that lacks it.
 */
export function siteKeyReadStatement(distributionArn: string): Statement {
  return {
    Sid: 'AllowCloudFrontServicePrincipalDecrypt',
    Effect: 'Allow',
    Principal: { Service: 'cloudfront.amazonaws.com' },
    Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
    Resource: '*',
    Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
  };
}

export interface ArtifactKeyPolicyInput {
  readonly accountId: string;
  /** Roles that read and write pipeline artifacts (pipeline, build, deploy function). */
  readonly userRoleArns: readonly string[];
  readonly partition?: string;
}

/** The pipeline's artifact key: the account administers it; the pipeline's roles use it. */
export function artifactKeyPolicy(input: ArtifactKeyPolicyInput): PolicyDocument {
  const partition = input.partition ?? 'aws';
  return policy(adminStatement(input.accountId, partition), {
    Sid: 'AllowPipelineRolesToUseTheKey',
    Effect: 'Allow',
    Principal: { AWS: [...input.userRoleArns] },
    Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
    Resource: '*',
  });
}
