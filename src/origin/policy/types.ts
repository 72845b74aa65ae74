/** IAM policy documents as plain, JSON-ready objects. */
export type Principal = '*' | { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[] };

export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;

export interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  /** Absent in trust policies. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Statement[];
}

export function policy(...statements: readonly Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}
