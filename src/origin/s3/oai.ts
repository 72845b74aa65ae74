/**
 * How S3 bucket policies name a legacy CloudFront Origin Access Identity: an IAM user ARN of the
 * `cloudfront` account with this prefix, then the OAI's ID (e.g. E2QWRUHAPOMQZL).
 */

/** The principal prefix in partition `partition`. */
export function oaiPrincipalPrefix(partition = 'aws'): string {
  return `arn:${partition}:iam::cloudfront:user/CloudFront Origin Access Identity `;
}

/** The prefix in the standard partition. */
export const OAI_PRINCIPAL_PREFIX = oaiPrincipalPrefix();

/** The bucket-policy principal ARN of one OAI. */
export function oaiPrincipalArn(oaiId: string, partition = 'aws'): string {
  return `${oaiPrincipalPrefix(partition)}${oaiId}`;
}

/**
 * How a CloudFront S3 origin names its OAI (`S3OriginConfig.OriginAccessIdentity`, Terraform's
 * `cloudfront_access_identity_path`): this prefix, then the OAI's ID.
 */
export const ORIGIN_OAI_PATH_PREFIX = 'origin-access-identity/cloudfront/';

/** The OAI ID in an origin's access identity path (the path itself when it has no prefix). */
export function oaiIdOfOriginPath(path: string): string {
  return path.replace(ORIGIN_OAI_PATH_PREFIX, '');
}

/** The OAI ID a principal ARN names, or undefined when it is not an OAI principal. */
export function oaiIdOf(principalArn: string): string | undefined {
  const m = /^arn:[a-z-]+:iam::cloudfront:user\/CloudFront Origin Access Identity (\S+)$/.exec(principalArn);
  return m?.[1];
}
