/**
 * Bucket policies: the site bucket (only this distribution reads it, TLS only) and the
 * statements every edgelock bucket carries.
 */
import { RESERVED_KEY_PREFIX } from '../../edge/reserved-keys';
import { BUCKET_OWNER_FULL_CONTROL } from '../s3/acl';
import { policy, type PolicyDocument, type Statement } from './types';

/** How the distribution reaches the bucket. */
export type SiteReader =
  | { readonly kind: 'oac'; /** ARN of the one distribution allowed to read. */ readonly distributionArn: string }
  | { readonly kind: 'oai'; /** IAM ARN of the Origin Access Identity (see `oaiArn`). */ readonly oaiArn: string };

export interface SiteBucketPolicyInput {
  readonly bucketArn: string;
  readonly reader: SiteReader;
}

/** Denies every request that does not use TLS, on the bucket and its objects. */
export function tlsOnlyStatement(bucketArn: string): Statement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * Lets the distribution read objects: OAC pinned to one distribution ARN, or the legacy OAI
 * principal. Also the grant the doctor suggests for a bucket policy that lacks it.
 */
export function siteReadStatement(bucketArn: string, reader: SiteReader): Statement {
  if (reader.kind === 'oac') {
    return {
      Sid: 'AllowCloudFrontServicePrincipalReadOnly',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${bucketArn}/*`,
      Condition: { StringEquals: { 'AWS:SourceArn': reader.distributionArn } },
    };
  }
  return {
    Sid: 'AllowOriginAccessIdentityReadOnly',
    Effect: 'Allow',
    Principal: { AWS: reader.oaiArn },
    Action: 's3:GetObject',
    Resource: `${bucketArn}/*`,
  };
}

/**
 * Keeps edgelock's deploy records (`.edgelock/`) away from the distribution: an explicit Deny to the
 * same reader the site read grant names, which no Allow can override.
 */
export function denyReservedPrefixStatement(bucketArn: string, reader: SiteReader): Statement {
  return {
    Sid: 'DenyDistributionReadingEdgelockRecords',
    Effect: 'Deny',
    Principal: reader.kind === 'oac' ? { Service: 'cloudfront.amazonaws.com' } : { AWS: reader.oaiArn },
    Action: 's3:GetObject',
    Resource: `${bucketArn}/${RESERVED_KEY_PREFIX}*`,
  };
}

/**
 * Refuses uploads that would leave the object owned by another account (the seed's outage) in
 * legacy OAI setups: every PutObject must carry `bucket-owner-full-control`.
 */
export function requireBucketOwnerFullControlStatement(bucketArn: string): Statement {
  return {
    Sid: 'DenyPutObjectWithoutBucketOwnerFullControl',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: `${bucketArn}/*`,
    Condition: { StringNotEquals: { 's3:x-amz-acl': BUCKET_OWNER_FULL_CONTROL } },
  };
}

/** The site bucket's policy: TLS only, read by this distribution only, never edgelock's records (and, with OAI, owner-full-control uploads only). */
export function siteBucketPolicy(input: SiteBucketPolicyInput): PolicyDocument {
  const statements = [tlsOnlyStatement(input.bucketArn), siteReadStatement(input.bucketArn, input.reader), denyReservedPrefixStatement(input.bucketArn, input.reader)];
  if (input.reader.kind === 'oai') statements.push(requireBucketOwnerFullControlStatement(input.bucketArn));
  return policy(...statements);
}

export interface LogBucketPolicyInput {
  readonly bucketArn: string;
  /** Prefix S3 server access logs are written under, e.g. "s3/". */
  readonly accessLogPrefix: string;
  /** Buckets whose server access logs land here. */
  readonly sourceBucketArns: readonly string[];
  /** The account that owns the source buckets. */
  readonly sourceAccountId: string;
}

/** A log bucket: TLS only, and S3's logging service may write access logs for the named buckets. */
export function logBucketPolicy(input: LogBucketPolicyInput): PolicyDocument {
  return policy(tlsOnlyStatement(input.bucketArn), {
    Sid: 'AllowS3ServerAccessLogs',
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `${input.bucketArn}/${input.accessLogPrefix}*`,
    Condition: {
      ArnLike: { 'aws:SourceArn': [...input.sourceBucketArns] },
      StringEquals: { 'aws:SourceAccount': input.sourceAccountId },
    },
  });
}
