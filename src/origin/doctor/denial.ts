/**
 * What an AccessDenied answer says about who refused: AWS's detailed messages name the action and
 * the kind of policy that refused it ("... is not authorized to perform: s3:GetBucketAcl on
 * resource: ... because no identity-based policy allows the s3:GetBucketAcl action", "... with an
 * explicit deny in a service control policy"). A bare "Access Denied" (S3's usual answer) names
 * neither. Pure: the message in, the refusal out.
 */

/** The kind of policy that refused a call, as AWS's messages name it. */
export type PolicyKind =
  | 'identity-based policy'
  | 'resource-based policy'
  | 'service control policy'
  | 'resource control policy'
  | 'session policy'
  | 'permissions boundary'
  | 'VPC endpoint policy';

export interface Refusal {
  /** The action refused, e.g. s3:GetBucketAcl (from the message, else the call made). */
  readonly action?: string;
  /** The kind of policy, when the message names one. */
  readonly policy?: PolicyKind;
  /** An explicit Deny (`with an explicit deny in ...`) rather than no Allow (`because no ... allows`). */
  readonly explicit?: boolean;
}

const KINDS: readonly PolicyKind[] = [
  'identity-based policy',
  'resource-based policy',
  'service control policy',
  'resource control policy',
  'session policy',
  'permissions boundary',
  'VPC endpoint policy',
];

const ACTION = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)/i;
const NO_ALLOW = /because no (identity-based policy|resource-based policy|service control policy|resource control policy|session policy|permissions boundary|VPC endpoint policy) allows the ([a-z0-9-]+:[A-Za-z0-9*]+) action/i;
const EXPLICIT = /with an explicit deny in (?:an? )?(identity-based policy|resource-based policy|service control policy|resource control policy|session policy|permissions boundary|VPC endpoint policy)/i;

function kindOf(text: string): PolicyKind | undefined {
  return KINDS.find((k) => k.toLowerCase() === text.toLowerCase());
}

/** Reads a refusal message; `fallbackAction` stands in when the message names no action. */
export function parseRefusal(message: string, fallbackAction?: string): Refusal {
  const noAllow = NO_ALLOW.exec(message);
  const explicit = EXPLICIT.exec(message);
  const action = noAllow?.[2] ?? ACTION.exec(message)?.[1] ?? fallbackAction;
  const policy = noAllow ? kindOf(noAllow[1]!) : explicit ? kindOf(explicit[1]!) : undefined;
  return {
    ...(action ? { action } : {}),
    ...(policy ? { policy } : {}),
    ...(noAllow ? { explicit: false } : explicit ? { explicit: true } : {}),
  };
}

/** "no identity-based policy allows it" / "an explicit deny in a service control policy" / "" (bare). */
export function describeRefusal(r: Refusal): string {
  if (!r.policy) return 'AWS did not say which policy refused it';
  if (r.explicit) return `an explicit deny in ${r.policy === 'permissions boundary' ? 'the' : /^[aeiou]/i.test(r.policy) ? 'an' : 'a'} ${r.policy}`;
  return `no ${r.policy} allows it`;
}

/** What to do about a refusal, by the kind of policy that refused. */
export function refusalRemedy(r: Refusal): string {
  const what = r.action ?? 'the call';
  switch (r.policy) {
    case 'service control policy':
      return `a service control policy of the organization refuses ${what} to these credentials: run the doctor from a role the SCP exempts, or ask the organization's administrators`;
    case 'resource control policy':
      return `a resource control policy of the organization refuses ${what}: run the doctor from a principal the RCP exempts`;
    case 'resource-based policy':
      return `the resource's own policy (bucket policy, key policy) refuses ${what} to these credentials: run the doctor as a principal it admits, e.g. the account's admin role`;
    case 'permissions boundary':
    case 'session policy':
      return `the ${r.policy} of these credentials refuses ${what}: run the doctor without it, or widen it`;
    case 'VPC endpoint policy':
      return `the VPC endpoint's policy refuses ${what}: run the doctor outside that VPC endpoint, or widen its policy`;
    default:
      return `run the doctor with credentials that may call ${what} in this account (e.g. its admin role)`;
  }
}
