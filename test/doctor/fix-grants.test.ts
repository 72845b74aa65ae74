/**
 * fix ownership keeps what it must: other accounts' object grants survive the copy (--keep-acls)
 * or the switch (moved into the bucket policy), CloudFront's legacy log delivery stops the plan
 * with the way out, and the notes name every grant the plan drops.
 */
import { planOwnershipFix, scanOwnership } from '../../src/origin/fix';
import { CLOUDFRONT_LOG_DELIVERY_ID } from '../../src/origin/fix/grants';
import { mockFixBucket, ownerGrant, type FixBucket } from './fix-world';
import { ACCOUNT, BUCKET, OWNER_ID, TOOLS_ID } from './world';

const PARTNER = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const read = (id: string) => ({ Grantee: { Type: 'CanonicalUser' as const, ID: id }, Permission: 'READ' as const });
const opts = { accountId: ACCOUNT, batchThreshold: 5, batchRoleName: 'edgelock-batch-operations', oaiCanonicalIds: [] };

async function plan(b: FixBucket, keepAcls = false) {
  const { s3 } = mockFixBucket(b);
  return planOwnershipFix(await scanOwnership(s3, BUCKET, { aclScanLimit: 1000 }), { ...opts, keepAcls });
}

test('--keep-acls: a partner account\'s READ on a copied object moves into the bucket policy before the copy', async () => {
  const p = await plan({ mode: 'ObjectWriter', objects: { 'feeds/partner.xml': { ownerId: TOOLS_ID, grants: [ownerGrant(TOOLS_ID), ownerGrant(), read(PARTNER)] }, 'index.html': { ownerId: OWNER_ID, grants: [ownerGrant(), read(PARTNER)] } } }, true);
  expect(p.steps.map((s) => s.kind)).toEqual(['put-bucket-policy', 'put-ownership-controls', 'copy-in-place']);
  const put = p.steps[0]!;
  // Only the copied object loses its ACL; index.html keeps its own grant under BucketOwnerPreferred.
  expect(put.kind === 'put-bucket-policy' && put.added).toEqual([expect.objectContaining({ Principal: { CanonicalUser: PARTNER }, Action: 's3:GetObject', Resource: [`arn:aws:s3:::${BUCKET}/feeds/partner.xml`] })]);
  expect(p.notes).toContainEqual(`1 object grant(s) of READ to canonical user ${PARTNER} (e.g. feeds/partner.xml): moved into the bucket policy`);
  expect(p.notes).toContainEqual(expect.stringMatching(new RegExp(`^1 object\\(s\\) owned by canonical user ${TOOLS_ID} \\(e\\.g\\. feeds/partner\\.xml\\): its owner access ends`)));
});

test('a bucket ACL grant to CloudFront\'s log delivery stops the plan and names standard logging v2', async () => {
  const p = await plan({ mode: 'BucketOwnerPreferred', bucketGrants: [{ Grantee: { Type: 'CanonicalUser', ID: CLOUDFRONT_LOG_DELIVERY_ID }, Permission: 'FULL_CONTROL' }], objects: { 'index.html': { ownerId: OWNER_ID } } });
  expect(p.blockers).toEqual([expect.stringMatching(/^bucket ACL FULL_CONTROL to awslogsdelivery \(c4c1ede6.*legacy standard logging writes into this bucket.*Move the distribution to standard logging v2/)]);
  // It is not turned into a policy statement.
  expect(p.steps.some((s) => s.kind === 'put-bucket-policy')).toBe(false);
});

test('the notes name every grant the plan drops', async () => {
  const p = await plan({
    mode: 'BucketOwnerPreferred',
    bucketGrants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'WRITE' }],
    objects: {
      'a.html': { ownerId: OWNER_ID, grants: [ownerGrant(), { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] },
      'b.html': { ownerId: OWNER_ID, grants: [ownerGrant(), { Grantee: { Type: 'CanonicalUser', ID: PARTNER }, Permission: 'WRITE_ACP' }] },
      'logs/x.gz': { ownerId: OWNER_ID, grants: [ownerGrant(), { Grantee: { Type: 'CanonicalUser', ID: CLOUDFRONT_LOG_DELIVERY_ID }, Permission: 'FULL_CONTROL' }] },
    },
  });
  const notes = p.notes.join('\n');
  expect(notes).toMatch(/bucket ACL WRITE to the S3 log delivery group: replaced by a bucket-policy grant to logging\.s3\.amazonaws\.com/);
  expect(notes).toMatch(/a\.html: READ to AllUsers \(public-read\) is not moved/);
  expect(notes).toMatch(new RegExp(`b\\.html: WRITE_ACP to ${PARTNER}: WRITE_ACP means nothing once ACLs are disabled`));
  expect(notes).toMatch(/logs\/x\.gz: FULL_CONTROL to awslogsdelivery \(CloudFront's log writer\) is not moved/);
  expect(p.blockers).toEqual([]);
});

test('a WRITE_ACP grant to the S3 log delivery group is not taken for WRITE: no PutObject statement is made of it', async () => {
  const p = await plan({
    mode: 'BucketOwnerPreferred',
    bucketGrants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'WRITE_ACP' }],
    objects: { 'index.html': { ownerId: OWNER_ID } },
  });
  expect(p.notes.join('\n')).toMatch(/bucket ACL WRITE_ACP to the log delivery group: not needed once ACLs are disabled/);
  expect(JSON.stringify(p)).not.toContain('EdgelockFromAclS3LogDelivery');
});
