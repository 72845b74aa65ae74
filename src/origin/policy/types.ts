/**
 * IAM policy documents as plain, JSON-ready objects: one type for the documents edgelock builds
 * (bucket, key, role policies) and the documents it reads back from AWS and evaluates (bucket and
 * key policies, SCPs, RCPs). Builders always set `Sid`, `Action` and `Version`; a document read
 * from AWS may lack them or use the `Not...` elements instead.
 */

/** A `Principal` (or `NotPrincipal`) element. */
export type Principal =
  | '*'
  | {
      readonly AWS?: string | readonly string[];
      readonly Service?: string | readonly string[];
      readonly CanonicalUser?: string | readonly string[];
      readonly Federated?: string | readonly string[];
    };

/** A condition value as IAM accepts it: a string, a boolean or number, or a list of strings. */
export type ConditionValue = string | boolean | number | readonly string[];

/** `Condition`: operator → context key → value(s). */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, ConditionValue>>>>;

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly NotPrincipal?: Principal;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  /** Absent in trust policies. */
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  /** '2012-10-17' in every document edgelock builds. */
  readonly Version?: string;
  readonly Statement: readonly Statement[];
}

export function policy(...statements: readonly Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}
