/** `edgelock fix ownership`: scan, plan, and (unless --dry-run) apply. */
export { applyOwnershipFix, writeBatchFiles, type ApplyOptions, type ApplyResult } from './apply';
export { batchJobDefinition, manifestCsv } from './batch';
export { movedGrants } from './grants';
export { planOwnershipFix, type FixStep, type OwnershipPlan, type PlanOptions } from './plan';
export { renderPlan } from './render';
export { scanOwnership, type OwnershipScan } from './scan';
