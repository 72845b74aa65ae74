/**
 * Pure policy builders shared by the CDKTF stacks, the deployer and the doctor. Inputs may be
 * literal ARNs or Terraform tokens; outputs are JSON-ready policy documents.
 */
export * from './types';
export * from './arn';
export * from './bucket';
export * from './kms';
export * from './deploy-role';
