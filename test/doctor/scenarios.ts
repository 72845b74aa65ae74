/**
 * The scenarios the doctor must diagnose, each a healthy world with one thing broken, plus the
 * seed incident exactly as "A Tale of Two Buckets" tells it.
 */
import type { ResolvedEnvironment } from '../../src/config/schema';
import type { Reason } from '../../src/origin/doctor/reasons';
import { ACCOUNT, ALL_ON, BUCKET, DIST_ARN, ENV, KMS_KEY, OAI_CANONICAL, OAI_ID, OWNER_ID, TOOLS_ID, distribution, healthyWorld, oaiPolicy, type World } from './world';

function orgOf(w: World): Exclude<World['org'], string> {
  if (typeof w.org === 'string') throw new Error('this world has no readable organization');
  return w.org;
}

export interface Scenario {
  readonly name: string;
  readonly world: World;
  readonly env: ResolvedEnvironment;
  readonly key?: string;
  /** The check expected first. */
  readonly cause: string;
  /** Words the first result's summary must contain. */
  readonly says: RegExp;
  /** The reason code of the first result. */
  readonly reason: Reason;
}

/** The seed's MFA SCP, word for word. */
export const SEED_MFA_SCP = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'],
      Resource: '*',
      Condition: {
        BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' },
        'ForAnyValue:StringNotLike': { 'aws:PrincipalARN': ['arn:aws:iam::*:role/*'] },
      },
    },
  ],
};

/**
 * The seed: a cross-account deploy Lambda (tools account) uploaded objects with public-read; the
 * bucket has an OAI and a policy granting it; then Block Public Access was turned on. The bucket
 * owner (admin) gets AccessDenied on GetObjectAcl. The org has the MFA SCP (a red herring).
 */
export function seedWorld(): World {
  const w = healthyWorld();
  return {
    ...w,
    distribution: distribution({ oaiId: OAI_ID }, ['viewer-request']),
    oac: undefined,
    oaiCanonical: OAI_CANONICAL,
    bucketPolicy: oaiPolicy(),
    ownership: null,
    objects: {
      'index.html': {
        ownerId: TOOLS_ID,
        grants: [
          { Grantee: { Type: 'CanonicalUser', ID: TOOLS_ID }, Permission: 'FULL_CONTROL' },
          { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
        ],
      },
    },
    defaultEncryption: null,
    org: {
      ou: 'ou-hc01-prod',
      root: 'r-hc01',
      policies: [
        ...orgOf(w).policies.map((p) => ({ ...p, target: 'r-hc01' })),
        { id: 'p-mfa00001', name: 'DenyWithoutMFA', type: 'SERVICE_CONTROL_POLICY', target: 'ou-hc01-prod', content: SEED_MFA_SCP },
      ],
    },
  };
}

export const SEED_ENV: ResolvedEnvironment = { ...ENV, originAccess: 'oai', oaiCanonicalUserIds: [OAI_CANONICAL.slice(0, 64)] };

export function scenarios(): Scenario[] {
  const healthy = healthyWorld();
  return [
    { name: 'the seed incident: foreign-owned objects after Block Public Access', world: seedWorld(), env: SEED_ENV, cause: 'object-ownership', says: /owned by canonical user 79a59df9.*not by the bucket owner.*refused GetObjectAcl/s, reason: 'object-foreign-owner' },
    {
      name: 'the bucket policy names another OAI',
      world: { ...healthy, distribution: distribution({ oaiId: OAI_ID }), oac: undefined, bucketPolicy: oaiPolicy('E9OTHEROAI0XYZ') },
      env: { ...ENV, originAccess: 'oai' },
      cause: 'bucket-policy',
      says: /no statement grants origin access identity E1SEEDOAI0ABCD.*E9OTHEROAI0XYZ/s,
      reason: 'policy-missing-oai-allow',
    },
    {
      name: 'a website-endpoint origin',
      world: { ...healthy, distribution: distribution({ domain: `${BUCKET}.s3-website-eu-west-1.amazonaws.com`, website: true }), oac: undefined },
      env: ENV,
      cause: 'distribution',
      says: /website endpoint/,
      reason: 'origin-website-endpoint',
    },
    {
      name: 'an SSE-KMS key without the CloudFront principal',
      world: {
        ...healthy,
        objects: { 'index.html': { ownerId: OWNER_ID, sse: 'aws:kms', kmsKeyId: KMS_KEY } },
        defaultEncryption: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KMS_KEY },
        kms: {
          manager: 'CUSTOMER',
          policy: {
            Version: '2012-10-17',
            Id: 'key-default-1',
            Statement: [
              { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
              { Sid: 'AllowDeployer', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/edgelock-deploy` }, Action: ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' },
            ],
          },
        },
      },
      env: ENV,
      cause: 'encryption',
      says: /KMS key .*does not grant the distribution \(cloudfront\.amazonaws\.com\) kms:Decrypt/,
      reason: 'kms-key-lacks-cloudfront-grant',
    },
    {
      name: 'an organization policy denies the distribution (RCP data perimeter without the service-principal exemption)',
      world: {
        ...healthy,
        org: {
          ...orgOf(healthy),
          policies: [
            ...orgOf(healthy).policies,
            {
              id: 'p-rcp0perim',
              name: 'S3OrgPerimeter',
              type: 'RESOURCE_CONTROL_POLICY',
              target: 'ou-ab12-workload',
              content: {
                Version: '2012-10-17',
                Statement: [
                  { Sid: 'EnforceOrgIdentities', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-exampleorg' } } },
                ],
              },
            },
          ],
        },
      },
      env: ENV,
      cause: 'organizations',
      says: /RCP S3OrgPerimeter .*"EnforceOrgIdentities".*denies s3:GetObject/,
      reason: 'rcp-denies-distribution',
    },
    {
      name: 'a missing key without s3:ListBucket',
      world: healthy,
      env: ENV,
      key: 'about/team.html',
      cause: 'key',
      says: /about\/team\.html does not exist.*403 AccessDenied instead of 404/,
      reason: 'object-missing-403',
    },
    {
      name: 'Block Public Access against a site that relied on public-read',
      world: {
        ...healthy,
        distribution: distribution({}),
        oac: undefined,
        bucketPolicy: null,
        ownership: 'ObjectWriter',
        objects: {
          'index.html': {
            ownerId: OWNER_ID,
            grants: [
              { Grantee: { Type: 'CanonicalUser', ID: OWNER_ID }, Permission: 'FULL_CONTROL' },
              { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
            ],
          },
        },
        bucketPab: ALL_ON,
      },
      env: ENV,
      cause: 'block-public-access',
      says: /relies on public access .*ignores the public-read grant/,
      reason: 'bpa-ignores-public-grant',
    },
  ];
}

export { DIST_ARN };
