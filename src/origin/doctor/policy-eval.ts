/**
 * The policy evaluator and the policy types now live in src/origin/policy (evaluate.ts, types.ts).
 * This re-export remains only for src/origin/fix, which still imports them from here; it goes once
 * fix imports src/origin/policy directly. The doctor itself does not use it.
 */
export { parsePolicy, type PolicyDocument } from '../policy';
export type { Statement as PolicyStatement } from '../policy';
