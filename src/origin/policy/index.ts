/**
 * Policies as data: the pure builders the CDKTF stacks deploy and the doctor builds its suggested
 * fixes from, and the evaluator the doctor checks policies read from AWS with. Inputs may be
 * literal ARNs or Terraform tokens; outputs are JSON-ready policy documents of one type.
 */
export * from './types';
export * from './arn';
export * from './bucket';
export * from './kms';
export * from './deploy-role';
export * from './evaluate';
