/**
 * Check 4, Object Ownership and the object: who owns the key against who owns the bucket.
 * Bucket-policy grants apply only to objects the bucket owner owns; a foreign-owned object can be
 * granted only by its own ACL. A foreign owner needs positive evidence: an owner canonical ID (from
 * the listing or the object's ACL) that is not the bucket owner's. A refused GetObjectAcl is
 * consistent with a foreign owner (the seed incident) but never proof of one: the caller's own
 * policies may refuse it.
 */
import type { Grant } from '@aws-sdk/client-s3';
import { ALL_USERS, grantsRead } from '../../s3/acl';
import { NOT_FOUND } from '../../s3/errors';
import { MODE_WITHOUT_CONTROLS } from '../../s3/ownership';
import type { DoctorContext } from '../context';
import type { CheckResult, Evidence } from '../types';
import { ev, ok, onlyOnFacts, problem, refusedNote, unknown, type CheckMeta } from './result';

const META: CheckMeta<'object-ownership'> = { id: 'object-ownership', order: 4, title: 'Object Ownership and the object\'s owner' };

function describeGrant(g: Grant): string {
  const who = g.Grantee?.URI ?? g.Grantee?.ID ?? g.Grantee?.EmailAddress ?? '?';
  return `${g.Permission} to ${who === ALL_USERS ? 'AllUsers (public)' : who}`;
}

export async function checkOwnership(ctx: DoctorContext): Promise<CheckResult> {
  return onlyOnFacts(ctx, await walk(ctx));
}

async function walk(ctx: DoctorContext): Promise<CheckResult> {
  const { key } = await ctx.key();
  const [own, bacl, listing, ident] = await Promise.all([ctx.aws.ownershipControls(), ctx.aws.bucketAcl(), ctx.listing(), ctx.aws.callerIdentity()]);
  const facts = await ctx.ownership();
  const access = await ctx.access();
  const evidence: Evidence[] = [
    ev(own, (o) => (o.set ? `ObjectOwnership=${o.mode}` : `${NOT_FOUND.ownershipControls}: no ownership controls, so ${MODE_WITHOUT_CONTROLS} (ACLs enabled)`)),
  ];
  const fix = `run \`edgelock fix ownership --env ${ctx.env.name}\`: it moves needed ACL grants into the bucket policy and switches the bucket to BucketOwnerEnforced, which makes the bucket owner own every existing object`;
  if (facts.mode === 'BucketOwnerEnforced') {
    return ok(META, 'ACLs are disabled (BucketOwnerEnforced): the bucket owner owns every object, so the bucket policy governs all of them', evidence);
  }
  evidence.push(ev(bacl, (a) => `bucket owner canonical ID ${a.Owner?.ID}`));
  evidence.push(ev(listing, (c) => (c ? `${c.Key} owned by ${c.Owner?.ID ?? '(owner not returned)'}${c.Owner?.DisplayName ? ` (${c.Owner.DisplayName})` : ''}` : `no object with key ${key}`)));
  if (facts.exists === false) return ok(META, `no object at ${key}, so no owner to compare (see check 6)`, evidence);
  const acl = await ctx.objectAcl();
  evidence.push(
    ev(acl, (a) => `owner ${a.Owner?.ID}; grants: ${(a.Grants ?? []).map(describeGrant).join(', ') || '(none)'}`),
  );
  const sameAccount = ident.ok ? ident.value.Account === ctx.env.accountId : undefined;
  if (ident.ok) evidence.push(ev(ident, (i) => `caller ${i.Arn} in account ${i.Account}`));

  if (facts.foreign) {
    const owner = facts.objectOwnerId ? `canonical user ${facts.objectOwnerId}` : 'another account';
    const mark = facts.aclDenied ? ' The bucket owner is refused GetObjectAcl on it: only the object\'s owner can read its ACL.' : '';
    let grantNote = '';
    if (access.kind === 'oai' && facts.grants) {
      const oai = access.canonicalUserId;
      const toOai = facts.grants.some((g) => oai !== undefined && g.Grantee?.ID === oai && grantsRead(g.Permission));
      if (toOai) return ok(META, `${key} is owned by ${owner}, but its ACL grants the distribution's OAI read`, evidence);
    }
    const publicNote = 'a public-read grant is ignored once Block Public Access is on';
    if (access.kind === 'oac') grantNote = ' An origin access control cannot be named in an object ACL, so no grant can fix this object while it is foreign-owned.';
    else if (access.kind === 'oai' && facts.grants) {
      const readers = facts.grants.filter((g) => grantsRead(g.Permission) && g.Grantee?.ID !== facts.objectOwnerId).map((g) => (g.Grantee?.URI === ALL_USERS ? 'AllUsers (public)' : g.Grantee?.ID ?? g.Grantee?.URI ?? '?'));
      const who = readers.length ? `; it grants read to ${readers.join(', ')}` : '';
      grantNote = ` Its ACL does not grant read to the OAI's canonical user ${access.canonicalUserId ?? '(unknown)'}${who} (${publicNote}).`;
    }
    else if (access.kind === 'oai') grantNote = ` Unless its unreadable ACL grants the OAI's canonical user read, the OAI cannot read it either (${publicNote}).`;
    return problem(
      META,
      'object-foreign-owner',
      `${key} is owned by ${owner}, not by the bucket owner${facts.bucketOwnerId ? ` ${facts.bucketOwnerId}` : ''} (ObjectOwnership=${facts.mode ?? 'unknown'}): bucket-policy grants do not apply to it.${mark}${grantNote}`,
      evidence,
      fix,
    );
  }
  if (facts.aclDenied) {
    const unread = [!bacl.ok ? 'the bucket owner (GetBucketAcl)' : '', !listing.ok ? 'the object\'s owner (ListObjectsV2 with FetchOwner)' : ''].filter(Boolean).join(' and ');
    const hint = sameAccount && !(!acl.ok && acl.refusal?.policy)
      ? '; a bare AccessDenied to the bucket owner\'s account is what a foreign-owned object answers, but a refusal is not evidence of who owns it'
      : '';
    return unknown(
      META,
      `GetObjectAcl on ${key} was refused${refusedNote(acl)}, and ${unread || 'the owners'} could not be read, so the owner cannot be compared with the bucket owner${hint}`,
      evidence,
      `let the doctor call s3:ListBucket and s3:GetBucketAcl (the listing names each object's owner), then run it again`,
    );
  }
  if (facts.foreign === undefined) {
    return unknown(META, `the owner of ${key} could not be compared with the bucket owner`, evidence, 'grant the doctor s3:ListBucket and s3:GetBucketAcl, or run it as the bucket owner');
  }
  return ok(META, `${key} is owned by the bucket owner (ObjectOwnership=${facts.mode}); legacy ACLs are still enabled: BucketOwnerEnforced is recommended`, evidence);
}
