/** ARN builders. `partition` is 'aws' unless the account lives in another partition. */
import { oaiPrincipalArn } from '../s3/oai';

export const bucketArn = (bucket: string, partition = 'aws'): string => `arn:${partition}:s3:::${bucket}`;
export const roleArn = (accountId: string, name: string, partition = 'aws'): string => `arn:${partition}:iam::${accountId}:role/${name}`;
export const accountRootArn = (accountId: string, partition = 'aws'): string => `arn:${partition}:iam::${accountId}:root`;
export const distributionArn = (accountId: string, distributionId: string, partition = 'aws'): string =>
  `arn:${partition}:cloudfront::${accountId}:distribution/${distributionId}`;
/** The IAM ARN S3 bucket policies use for a legacy Origin Access Identity. */
export const oaiArn = (oaiId: string, partition = 'aws'): string => oaiPrincipalArn(oaiId, partition);
