/**
 * Ownership awareness: which ACL (if any) every PUT carries, decided once from the bucket's Object
 * Ownership, the caller's account and the environment's origin access. The seed's outage came from
 * objects the bucket owner's distribution could not read; every branch here either prevents that
 * or refuses before anything is written.
 */
import type { ResolvedEnvironment } from '../../config/schema';
import { EdgelockError } from '../../errors';
import { BUCKET_OWNER_FULL_CONTROL, namesPublicGroup } from '../s3/acl';
import { enforceOwnershipCommand, type OwnershipMode } from '../s3/ownership';

/** What reading the bucket's Object Ownership gave. */
export type OwnershipReading =
  | { readonly kind: 'read'; readonly mode: OwnershipMode }
  /** GetBucketOwnershipControls was denied. */
  | { readonly kind: 'denied' }
  /** The endpoint does not implement ownership controls (not AWS S3, e.g. s3rver). */
  | { readonly kind: 'unsupported' }
  /** Not read, because the deploy writes nothing (a plan with this reading never runs a write: execute.ts refuses it). */
  | { readonly kind: 'unread' };

/** ACL fields added to every PutObject / CreateMultipartUpload. */
export interface AclParams {
  readonly ACL?: typeof BUCKET_OWNER_FULL_CONTROL;
  readonly GrantFullControl?: string;
  readonly GrantRead?: string;
}

export interface AclDecision {
  readonly params: AclParams;
  /** How objects will be checked after upload ('nothing-written': a deploy that writes nothing checks nothing). */
  readonly verify: 'none-needed' | 'owner-or-oai-grant' | 'owner' | 'unsupported' | 'nothing-written';
  /** One line for the summary, e.g. "BucketOwnerEnforced: no ACL sent". */
  readonly description: string;
  readonly warnings: readonly string[];
}

export interface AclContext {
  readonly env: ResolvedEnvironment;
  readonly reading: OwnershipReading;
  /** The deploying account, when known (STS). */
  readonly callerAccountId?: string;
  /** The bucket owner's canonical user ID, when GetBucketAcl could read it. */
  readonly bucketOwnerCanonicalId?: string;
}

/** Decides the ACL for every object of this deploy, or throws before anything is written. */
export function decideAcl(ctx: AclContext): AclDecision {
  const { env, reading } = ctx;
  if (reading.kind === 'unread') return { params: {}, verify: 'nothing-written', description: 'not read: this deploy writes nothing', warnings: [] };
  if (reading.kind === 'unsupported') {
    return { params: {}, verify: 'unsupported', description: 'the endpoint does not implement Object Ownership (not AWS S3): no ACL sent, ownership not checked', warnings: [] };
  }
  if (reading.kind === 'denied') {
    // The bucket may be ObjectWriter: a PUT from another account would then replace a live object
    // with one the bucket owner does not own, and checking afterwards is too late. Only a deploy from
    // the bucket's own account is safe without knowing the mode.
    if (ctx.callerAccountId === undefined || ctx.callerAccountId !== env.accountId) {
      const who = ctx.callerAccountId ? `account ${ctx.callerAccountId}` : 'an account STS could not name';
      throw new EdgelockError(
        `refusing to deploy to ${env.bucket}: its Object Ownership is unreadable (s3:GetBucketOwnershipControls denied) and the deploy runs from ${who}, not the bucket owner ${env.accountId}. ` +
          'If the bucket is ObjectWriter, every changed object would be replaced by one the bucket owner does not own, which the distribution may not be able to read. Nothing was written. ' +
          `Fix: allow s3:GetBucketOwnershipControls on arn:aws:s3:::${env.bucket} to the deploy role, or deploy through a role in account ${env.accountId}.`,
        { code: 'DEPLOY_REFUSED_OWNERSHIP_UNREADABLE' },
      );
    }
    return {
      params: { ACL: BUCKET_OWNER_FULL_CONTROL },
      verify: 'owner',
      description: 'Object Ownership unreadable, same account: sending bucket-owner-full-control (accepted by every ownership mode) and checking each object\'s owner',
      warnings: [
        `could not read the Object Ownership of bucket ${env.bucket} (AccessDenied): deploying from the bucket's own account with bucket-owner-full-control, the strictest choice every mode accepts, and checking each object's owner afterwards. Allow s3:GetBucketOwnershipControls to the deploy role so edgelock can decide instead of assuming.`,
      ],
    };
  }
  switch (reading.mode) {
    case 'BucketOwnerEnforced':
      // With an OAI, edgelock's bucket policy refuses any PutObject without bucket-owner-full-control
      // (the legacy guard against foreign-owned objects); S3 accepts that ACL on an enforced bucket.
      return env.originAccess === 'oai'
        ? { params: { ACL: BUCKET_OWNER_FULL_CONTROL }, verify: 'none-needed', description: 'BucketOwnerEnforced with an OAI: bucket-owner-full-control sent, as the OAI bucket policy requires; the bucket owner owns every object', warnings: [] }
        : { params: {}, verify: 'none-needed', description: 'BucketOwnerEnforced: no ACL sent; the bucket owner owns every object', warnings: [] };
    case 'BucketOwnerPreferred':
      return {
        params: { ACL: BUCKET_OWNER_FULL_CONTROL },
        verify: 'owner',
        description: 'BucketOwnerPreferred: bucket-owner-full-control, so the bucket owner owns each object',
        warnings: [`bucket ${env.bucket} uses BucketOwnerPreferred; BucketOwnerEnforced (ACLs disabled) is simpler and safer: ${enforceOwnershipCommand(env.bucket)}`],
      };
    case 'ObjectWriter':
      return decideObjectWriter(ctx);
  }
}

function decideObjectWriter(ctx: AclContext): AclDecision {
  const { env, callerAccountId, bucketOwnerCanonicalId } = ctx;
  const warning = `bucket ${env.bucket} uses the legacy ObjectWriter ownership: objects belong to the account that wrote them. Switch it to BucketOwnerEnforced, which also makes the bucket owner own every existing object: ${enforceOwnershipCommand(env.bucket)}`;
  if (callerAccountId !== undefined && callerAccountId === env.accountId) {
    return { params: { ACL: BUCKET_OWNER_FULL_CONTROL }, verify: 'owner', description: 'ObjectWriter, same account: the bucket owner writes and owns each object', warnings: [warning] };
  }
  const who = callerAccountId ? `account ${callerAccountId}` : 'this (unknown) account';
  if (env.originAccess === 'oac') {
    throw new EdgelockError(
      `refusing to deploy to ${env.bucket}: it uses ObjectWriter ownership and the deploy runs from ${who}, not the bucket owner ${env.accountId}, ` +
        'so every object would belong to the deploying account and the bucket policy that lets CloudFront (OAC) read could not cover it (the outage in the "Tale of Two Buckets"). ' +
        `Nothing was written. Fix: switch the bucket to BucketOwnerEnforced: ${enforceOwnershipCommand(env.bucket)}`,
      { code: 'DEPLOY_REFUSED_CROSS_ACCOUNT_OBJECT_WRITER' },
    );
  }
  const oais = env.oaiCanonicalUserIds ?? [];
  if (oais.length === 0) {
    throw new EdgelockError(
      `refusing to deploy to ${env.bucket}: it uses ObjectWriter ownership, the deploy runs from ${who}, and the distribution reads through an OAI, ` +
        `so objects need a read grant for the OAI, but environments.${env.name}.oaiCanonicalUserIds is empty. Nothing was written. ` +
        `Fix: set oaiCanonicalUserIds to the OAI's S3CanonicalUserId (aws cloudfront list-cloud-front-origin-access-identities), or better, switch the bucket to BucketOwnerEnforced: ${enforceOwnershipCommand(env.bucket)}`,
      { code: 'DEPLOY_REFUSED_CROSS_ACCOUNT_OBJECT_WRITER' },
    );
  }
  if (!bucketOwnerCanonicalId) {
    throw new EdgelockError(
      `refusing to deploy to ${env.bucket}: it uses ObjectWriter ownership and the deploy runs from ${who}; edgelock must grant the bucket owner full control by canonical ID, ` +
        'but could not read it (s3:GetBucketAcl denied). Nothing was written. Allow s3:GetBucketAcl to the deploy role, or switch the bucket to BucketOwnerEnforced: ' +
        enforceOwnershipCommand(env.bucket),
      { code: 'DEPLOY_REFUSED_CROSS_ACCOUNT_OBJECT_WRITER' },
    );
  }
  return {
    params: {
      GrantFullControl: `id=${bucketOwnerCanonicalId}`,
      GrantRead: oais.map((id) => `id=${id}`).join(', '),
    },
    verify: 'owner-or-oai-grant',
    description: `ObjectWriter, cross-account: full control to the bucket owner and read to ${oais.length} OAI${oais.length > 1 ? 's' : ''} on every object`,
    warnings: [warning],
  };
}

/** Last line of defence: no PUT ever carries a public canned ACL or a grant to a public group. */
export function assertNoPublicGrant(params: { ACL?: string; GrantRead?: string; GrantFullControl?: string; GrantReadACP?: string; GrantWriteACP?: string }, key: string): void {
  const acl = params.ACL;
  if (acl !== undefined && acl !== BUCKET_OWNER_FULL_CONTROL && acl !== 'private') {
    throw new EdgelockError(`refusing to upload ${key} with ACL "${acl}": edgelock never makes objects public; the distribution reads them through OAC or an OAI grant`, { code: 'DEPLOY_REFUSED_PUBLIC_ACL' });
  }
  for (const field of ['GrantRead', 'GrantFullControl', 'GrantReadACP', 'GrantWriteACP'] as const) {
    const v = params[field];
    if (v && namesPublicGroup(v)) {
      throw new EdgelockError(`refusing to upload ${key} with ${field} to a public group (${v}): edgelock never makes objects public`, { code: 'DEPLOY_REFUSED_PUBLIC_ACL' });
    }
  }
}
