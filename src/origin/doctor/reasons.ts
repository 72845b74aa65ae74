/**
 * Why a check found a problem: each problem carries one of these stable reason codes (what tests,
 * scripts and `--json` readers match on), and this table is the one place that says how likely
 * each is the cause of the 403, 0-100 (horses before zebras). The ranking reads it; docs/doctor.md
 * lists the same reasons with the same likelihoods (a test keeps them equal).
 */
import type { CheckId } from './types';

interface ReasonEntry {
  readonly check: CheckId;
  readonly likelihood: number;
}

export const REASONS = {
  // Check 1, the distribution.
  /** The distribution does not exist. */
  'distribution-missing': { check: 'distribution', likelihood: 90 },
  /** The key's behaviour targets an origin the distribution does not define. */
  'origin-undefined': { check: 'distribution', likelihood: 90 },
  /** The origin is the bucket's website endpoint (no OAC or OAI there). */
  'origin-website-endpoint': { check: 'distribution', likelihood: 92 },
  /** The origin is not an S3 endpoint at all. */
  'origin-not-s3': { check: 'distribution', likelihood: 60 },
  /** The origin is another bucket than the environment's. */
  'origin-other-bucket': { check: 'distribution', likelihood: 90 },
  /** The origin's global endpoint does not serve buckets of the bucket's region (launched after March 2019). */
  'origin-global-endpoint': { check: 'distribution', likelihood: 75 },
  /** The origin's REST endpoint names another region than the bucket's. */
  'origin-wrong-region': { check: 'distribution', likelihood: 70 },
  /** The origin's OAC does not exist. */
  'oac-missing': { check: 'distribution', likelihood: 85 },
  /** The origin's OAC never signs. */
  'oac-never-signs': { check: 'distribution', likelihood: 85 },
  /** The OAC signs only requests without an Authorization header, and the behaviour forwards the viewer's. */
  'oac-no-override-forwards-authorization': { check: 'distribution', likelihood: 75 },
  /** The origin's OAC is for another origin type than s3. */
  'oac-not-for-s3': { check: 'distribution', likelihood: 85 },
  /** The origin is an access point whose network origin is VPC: CloudFront cannot reach it. */
  'access-point-vpc-only': { check: 'distribution', likelihood: 85 },
  /** The origin's OAI does not exist. */
  'oai-missing': { check: 'distribution', likelihood: 88 },
  /** The origin has neither OAC nor OAI: CloudFront's requests are anonymous. */
  'origin-access-none': { check: 'distribution', likelihood: 65 },

  // Check 2, the bucket policy.
  /** The bucket has no policy, so nothing grants the distribution. */
  'policy-absent': { check: 'bucket-policy', likelihood: 85 },
  /** The bucket has no policy, and CloudFront's requests are anonymous. */
  'policy-absent-anonymous': { check: 'bucket-policy', likelihood: 60 },
  /** A Deny of the bucket policy matches the distribution's request. */
  'policy-denies-distribution': { check: 'bucket-policy', likelihood: 88 },
  /** No statement grants the distribution's OAC s3:GetObject on the key. */
  'policy-missing-oac-allow': { check: 'bucket-policy', likelihood: 85 },
  /** No statement grants the distribution's OAI s3:GetObject on the key. */
  'policy-missing-oai-allow': { check: 'bucket-policy', likelihood: 85 },
  /** No statement grants anonymous requests s3:GetObject on the key. */
  'policy-missing-anonymous-allow': { check: 'bucket-policy', likelihood: 55 },

  /** The origin's access point has no policy, so nothing grants the distribution through it. */
  'access-point-policy-absent': { check: 'bucket-policy', likelihood: 85 },
  /** A Deny of the access point's policy matches the distribution's request. */
  'access-point-policy-denies': { check: 'bucket-policy', likelihood: 88 },
  /** No statement of the access point's policy grants the distribution s3:GetObject on the key. */
  'access-point-policy-missing-allow': { check: 'bucket-policy', likelihood: 85 },
  /** Through an access point: the bucket policy neither grants the distribution nor delegates to the account's access points. */
  'bucket-no-access-point-delegation': { check: 'bucket-policy', likelihood: 85 },

  /** The origin's Object Lambda access point has no policy. */
  'object-lambda-policy-absent': { check: 'bucket-policy', likelihood: 85 },
  /** A Deny of the Object Lambda access point's policy matches the distribution's request. */
  'object-lambda-policy-denies': { check: 'bucket-policy', likelihood: 88 },
  /** No statement of the Object Lambda access point's policy grants the distribution s3-object-lambda:GetObject. */
  'object-lambda-policy-missing-allow': { check: 'bucket-policy', likelihood: 85 },
  /** A function the Object Lambda access point invokes does not let the distribution lambda:InvokeFunction. */
  'object-lambda-function-not-invokable': { check: 'bucket-policy', likelihood: 80 },

  // Check 3, Block Public Access.
  /** The site relies on public access that Block Public Access now ignores. */
  'bpa-ignores-public-grant': { check: 'block-public-access', likelihood: 95 },
  /** The same, behind a website endpoint (check 1 names the endpoint first). */
  'bpa-ignores-public-grant-website': { check: 'block-public-access', likelihood: 80 },
  /** Anonymous requests, and Block Public Access would ignore any public grant answering them. */
  'bpa-blocks-anonymous': { check: 'block-public-access', likelihood: 50 },
  /** IgnorePublicAcls turned off the public-read ACL a foreign-owned object relied on (the trigger). */
  'bpa-blocks-acl-grant': { check: 'block-public-access', likelihood: 70 },

  // Check 4, Object Ownership.
  /** The object is owned by another account, so bucket-policy grants do not apply to it. */
  'object-foreign-owner': { check: 'object-ownership', likelihood: 100 },

  // Check 5, encryption.
  /** SSE-KMS behind an OAI, which cannot decrypt. */
  'kms-behind-oai': { check: 'encryption', likelihood: 80 },
  /** SSE-KMS with an AWS managed key, whose policy cannot grant CloudFront. */
  'kms-aws-managed-key': { check: 'encryption', likelihood: 80 },
  /** The KMS key is disabled or pending deletion. */
  'kms-key-disabled': { check: 'encryption', likelihood: 85 },
  /** The key policy denies the distribution kms:Decrypt. */
  'kms-key-denies-cloudfront': { check: 'encryption', likelihood: 80 },
  /** The key policy does not grant the distribution kms:Decrypt. */
  'kms-key-lacks-cloudfront-grant': { check: 'encryption', likelihood: 80 },

  // Check 6, the key.
  /** Requester Pays is on; CloudFront never pays. */
  'requester-pays': { check: 'key', likelihood: 75 },
  /** No DefaultRootObject: "/" asks S3 for the bucket itself. */
  'no-default-root-object': { check: 'key', likelihood: 70 },
  /** The key is missing and the distribution may not list the bucket: S3 answers 403. */
  'object-missing-403': { check: 'key', likelihood: 80 },
  /** The key is missing and the distribution may list the bucket: viewers get 404. */
  'object-missing-404': { check: 'key', likelihood: 30 },

  // Check 7, Organizations.
  /** A resource control policy denies the distribution s3:GetObject. */
  'rcp-denies-distribution': { check: 'organizations', likelihood: 60 },

  // Check 8, Lambda@Edge (a 502, not a 403).
  /** The origin guard was built for other bucket domains than the origin's. */
  'guard-domain-mismatch': { check: 'edge', likelihood: 40 },
  /** The origin guard was built for another access mode than the origin shows. */
  'guard-access-mismatch': { check: 'edge', likelihood: 40 },
} as const satisfies Record<string, ReasonEntry>;

export type Reason = keyof typeof REASONS;

/** The reasons a given check may give. */
export type ReasonOf<Id extends CheckId> = { [R in Reason]: (typeof REASONS)[R]['check'] extends Id ? R : never }[Reason];

/** How likely `reason` is the cause of the 403. */
export function likelihoodOf(reason: Reason): number {
  return REASONS[reason].likelihood;
}
