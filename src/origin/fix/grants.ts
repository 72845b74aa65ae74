/**
 * Turns ACL grants into bucket-policy statements, so access survives disabling ACLs
 * (BucketOwnerEnforced). Pure: grants in, statements and notes out.
 */
import type { Grant } from '@aws-sdk/client-s3';
import { bucketArn as arnOfBucket, type Statement } from '../policy';
import { grantsRead, grantsWrite, groupName, isPublicGroup, LOG_DELIVERY } from '../s3/acl';

/**
 * The canonical ID of awslogsdelivery, the account CloudFront's legacy standard logging writes
 * with: its grant on a bucket's ACL is how those logs arrive, and it works only while ACLs are on.
 */
export const CLOUDFRONT_LOG_DELIVERY_ID = 'c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0';

/** Most object ARNs one statement lists before the plan asks for a review instead. */
export const MAX_KEYS_PER_STATEMENT = 100;

export interface ObjectGrants {
  readonly key: string;
  readonly grants: readonly Grant[];
  /** The object's owner, from its ACL (another account's, for a foreign-owned object). */
  readonly ownerId?: string;
}

export interface GrantMove {
  readonly statements: Statement[];
  /** Grants that are not moved, and why (public grants, the owner's own). */
  readonly dropped: string[];
  /** Grants that cannot be moved safely: the fix refuses to run until they are resolved. */
  readonly blockers: string[];
}

function grantee(g: Grant): string {
  return g.Grantee?.ID ?? g.Grantee?.URI ?? g.Grantee?.EmailAddress ?? '(unknown grantee)';
}

/**
 * @param ownerId the bucket owner's canonical ID (its grants need no statement)
 * @param oaiIds canonical IDs of OAIs: object READ for them becomes one statement on the bucket's objects
 */
export function movedGrants(bucket: string, ownerId: string, bucketGrants: readonly Grant[], objects: readonly ObjectGrants[], oaiIds: readonly string[]): GrantMove {
  const statements: Statement[] = [];
  const dropped: string[] = [];
  const blockers: string[] = [];
  const bucketArn = arnOfBucket(bucket);
  const sid = (s: string) => `EdgelockFromAcl${s.replace(/[^A-Za-z0-9]/g, '').slice(0, 40)}`;

  // Bucket ACL.
  for (const g of bucketGrants) {
    const who = grantee(g);
    const perm = g.Permission ?? '';
    if (who === ownerId) continue;
    if (who === CLOUDFRONT_LOG_DELIVERY_ID) {
      blockers.push(
        `bucket ACL ${perm} to awslogsdelivery (${who}): CloudFront's legacy standard logging writes into this bucket through that grant, and disabling ACLs would stop its logs. ` +
          'Move the distribution to standard logging v2 (CloudWatch Logs vended log delivery to S3, which needs no ACL), remove the grant, then run the fix again',
      );
      continue;
    }
    if (isPublicGroup(who)) {
      dropped.push(`bucket ACL ${perm} to ${groupName(who)}: public access is not moved (serve through CloudFront)`);
      continue;
    }
    if (who === LOG_DELIVERY) {
      if (grantsWrite(perm)) {
        statements.push({ Sid: 'EdgelockFromAclS3LogDelivery', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: `${bucketArn}/*` } as Statement);
        dropped.push(`bucket ACL ${perm} to the S3 log delivery group: replaced by a bucket-policy grant to logging.s3.amazonaws.com (S3 server access logs)`);
      } else dropped.push(`bucket ACL ${perm} to the log delivery group: not needed once ACLs are disabled`);
      continue;
    }
    if (!g.Grantee?.ID) {
      blockers.push(`bucket ACL ${perm} to ${who}: an e-mail grantee cannot be named in a bucket policy; replace it with the account's canonical ID or an IAM principal first`);
      continue;
    }
    const actions: string[] = [];
    if (grantsRead(perm)) actions.push('s3:ListBucket');
    if (grantsWrite(perm)) actions.push('s3:PutObject', 's3:DeleteObject');
    if (actions.length === 0) {
      dropped.push(`bucket ACL ${perm} to ${who}: ACL permissions mean nothing once ACLs are disabled`);
      continue;
    }
    const resources = [...(actions.includes('s3:ListBucket') ? [bucketArn] : []), ...(actions.some((a) => a !== 's3:ListBucket') ? [`${bucketArn}/*`] : [])];
    statements.push({ Sid: sid(`Bucket${perm}${who.slice(0, 12)}`), Effect: 'Allow', Principal: { CanonicalUser: who }, Action: actions, Resource: resources.length === 1 ? resources[0]! : resources } as Statement);
  }

  // Object ACLs: READ (or FULL_CONTROL) becomes s3:GetObject.
  const readers = new Map<string, string[]>();
  const formerOwners = new Map<string, string[]>();
  for (const o of objects) {
    for (const g of o.grants) {
      const who = grantee(g);
      const perm = g.Permission ?? '';
      if (who === ownerId) continue;
      if (o.ownerId && who === o.ownerId && o.ownerId !== ownerId) {
        // The uploader's own access ends with its ownership: that is the fix, not a grant to keep.
        formerOwners.set(who, [...(formerOwners.get(who) ?? []), o.key]);
        continue;
      }
      if (isPublicGroup(who)) {
        dropped.push(`${o.key}: ${perm} to ${groupName(who)} (public-read) is not moved: serve it through CloudFront`);
        continue;
      }
      if (who === CLOUDFRONT_LOG_DELIVERY_ID) {
        dropped.push(`${o.key}: ${perm} to awslogsdelivery (CloudFront's log writer) is not moved: it needs no access once the log file is written`);
        continue;
      }
      if (!grantsRead(perm)) {
        dropped.push(`${o.key}: ${perm} to ${who}: ${perm} means nothing once ACLs are disabled (or the object is copied)`);
        continue;
      }
      if (!g.Grantee?.ID) {
        blockers.push(`${o.key}: ${perm} to ${who}: an e-mail grantee cannot be named in a bucket policy`);
        continue;
      }
      const list = readers.get(who) ?? [];
      list.push(o.key);
      readers.set(who, list);
    }
  }
  for (const [who, keys] of formerOwners) {
    dropped.push(`${keys.length} object(s) owned by canonical user ${who} (e.g. ${keys[0]}): its owner access ends when the bucket owner takes them over; grant it in the bucket policy if it still needs to read them`);
  }
  for (const [who, keys] of readers) {
    dropped.push(`${keys.length} object grant(s) of READ to ${oaiIds.includes(who) ? 'the OAI' : 'canonical user'} ${who} (e.g. ${keys[0]}): moved into the bucket policy`);
    if (oaiIds.includes(who)) {
      statements.push({ Sid: sid(`OaiRead${who.slice(0, 12)}`), Effect: 'Allow', Principal: { CanonicalUser: who }, Action: 's3:GetObject', Resource: `${bucketArn}/*` } as Statement);
      continue;
    }
    if (keys.length > MAX_KEYS_PER_STATEMENT) {
      blockers.push(`${keys.length} objects grant READ to canonical user ${who}: too many to list one by one; grant that principal a prefix in the bucket policy yourself, then run the fix again`);
      continue;
    }
    statements.push({ Sid: sid(`Read${who.slice(0, 12)}`), Effect: 'Allow', Principal: { CanonicalUser: who }, Action: 's3:GetObject', Resource: keys.map((k) => `${bucketArn}/${k}`) } as Statement);
  }
  return { statements, dropped, blockers };
}
