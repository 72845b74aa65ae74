/**
 * The deploy role each environment account offers to the tools account's deploy function: its
 * trust policy and the least permissions the deployer needs.
 */
import { BUCKET_OWNER_FULL_CONTROL } from '../s3/acl';
import { policy, type PolicyDocument, type Statement } from './types';

export interface DeployTrustInput {
  /** The deploy function's execution role in the tools account. */
  readonly trustedRoleArn: string;
}

/** A trust policy letting AWS services assume a role (e.g. lambda and edgelambda). */
export function serviceTrustPolicy(services: readonly string[]): PolicyDocument {
  return policy({ Sid: 'AllowServices', Effect: 'Allow', Principal: { Service: [...services] }, Action: 'sts:AssumeRole' });
}

/** Trusts exactly one role (the tools account's deploy function), not the whole tools account. */
export function deployRoleTrustPolicy(input: DeployTrustInput): PolicyDocument {
  return policy({
    Sid: 'AllowToolsDeployFunction',
    Effect: 'Allow',
    Principal: { AWS: input.trustedRoleArn },
    Action: 'sts:AssumeRole',
  });
}

export interface DeployPermissionsInput {
  readonly bucketArn: string;
  readonly distributionArn: string;
  /** The site key, when the bucket uses SSE-KMS. */
  readonly kmsKeyArn?: string;
  /** An SSM parameter describing the site (bucket, distribution), readable by the deployer. */
  readonly siteParameterArn?: string;
  /**
   * Buckets with ACLs enabled (legacy OAI setups) require `bucket-owner-full-control` on every
   * upload; sending that canned ACL needs s3:PutObjectAcl, allowed for that one ACL only.
   */
  readonly requireBucketOwnerFullControl?: boolean;
}

/**
 * list/get/put/delete on this bucket; the reads the deployer's ownership checks need (ownership
 * setting, bucket and object ACLs); invalidations on this distribution and reading its domain;
 * the versions a rollback restores from.
 */
export function deployRolePermissions(input: DeployPermissionsInput): PolicyDocument {
  const objects = `${input.bucketArn}/*`;
  const statements: Statement[] = [
    { Sid: 'ReadSiteBucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:GetBucketOwnershipControls', 's3:GetBucketAcl'], Resource: input.bucketArn },
    { Sid: 'WriteSiteObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectAcl', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Resource: objects },
    { Sid: 'InvalidateDistribution', Effect: 'Allow', Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation', 'cloudfront:GetDistribution'], Resource: input.distributionArn },
    // `edgelock rollback`: read the versioning status, list a key's versions, copy one back.
    { Sid: 'RollBackFromVersions', Effect: 'Allow', Action: ['s3:GetBucketVersioning', 's3:ListBucketVersions', 's3:GetObjectVersion'], Resource: [input.bucketArn, objects] },
  ];
  if (input.requireBucketOwnerFullControl) {
    statements.push({
      Sid: 'SendBucketOwnerFullControlOnly',
      Effect: 'Allow',
      Action: 's3:PutObjectAcl',
      Resource: objects,
      Condition: { StringEquals: { 's3:x-amz-acl': BUCKET_OWNER_FULL_CONTROL } },
    });
  }
  if (input.kmsKeyArn) {
    statements.push({ Sid: 'UseSiteKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: input.kmsKeyArn });
  }
  if (input.siteParameterArn) {
    statements.push({ Sid: 'ReadSiteParameter', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: input.siteParameterArn });
  }
  return policy(...statements);
}
