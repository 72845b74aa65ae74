/** Renders an ownership plan (dry run) for a terminal. */
import type { FixStep, OwnershipPlan } from './plan';

function describe(step: FixStep): string[] {
  switch (step.kind) {
    case 'put-bucket-policy':
      return [`put the bucket policy, adding ${step.added.length} statement(s) that carry the ACL grants:`, ...step.added.map((s) => `    ${JSON.stringify(s)}`)];
    case 'reset-bucket-acl':
      return [`reset the bucket ACL to private (removes ${step.removed.join(', ')})`];
    case 'put-ownership-controls':
      return [`set Object Ownership ${step.from} → ${step.to}${step.to === 'BucketOwnerEnforced' ? ' (ACLs disabled; the bucket owner owns every existing object)' : ''}`];
    case 'copy-in-place':
      return [`copy ${step.keys.length} foreign-owned object(s) in place (CopyObject, metadata kept), e.g. ${step.keys.slice(0, 3).join(', ')}`];
    case 'batch-copy':
      return [`create an S3 Batch Operations copy job for ${step.keys.length} foreign-owned objects (role ${step.roleArn}, manifest of ${step.keys.length} lines, confirmation required)`];
  }
}

export function renderPlan(plan: OwnershipPlan, dryRun: boolean): string {
  const out: string[] = [];
  out.push(`${dryRun ? 'Plan (dry run, nothing changed)' : 'Plan'} for s3://${plan.bucket}: ${plan.objectCount} object(s), ${plan.foreignCount} owned by another account; Object Ownership ${plan.from} → ${plan.to}`);
  if (plan.steps.length === 0) out.push('  nothing to change');
  plan.steps.forEach((s, i) => {
    const [first, ...rest] = describe(s);
    out.push(`  ${i + 1}. ${first}`, ...rest);
  });
  if (plan.notes.length) out.push('Notes:', ...plan.notes.map((n) => `  - ${n}`));
  if (plan.blockers.length) out.push('Blocked: the fix will not run until these are resolved:', ...plan.blockers.map((b) => `  - ${b}`));
  return `${out.join('\n')}\n`;
}
