/** The sweep's report as text: what was swept, problems by cause, what could not be decided, the Athena query. */
import type { SweepReport } from './types';

export function renderSweep(r: SweepReport): string {
  const lines: string[] = [];
  const where = `s3://${r.bucket}/${r.prefix}`;
  lines.push(`Sweep of ${where} for distribution ${r.distributionId} (environment ${r.environment}), by ${r.source === 'inventory' ? `S3 Inventory ${r.inventory!.manifest}` : 'listing'}`);
  for (const n of r.notes) lines.push(`  - ${n}`);
  lines.push('');
  const problems = r.groups.filter((g) => g.kind === 'problem');
  const unknowns = r.groups.filter((g) => g.kind === 'unknown');
  if (problems.length) {
    lines.push(`PROBLEMS: ${r.objectsWithProblems} of ${r.objects} objects cannot be read by CloudFront`);
    for (const g of problems) {
      lines.push(`  ${g.code}: ${g.count} object(s), ${g.detail}`);
      lines.push(`    e.g. ${g.examples.join(', ')}${g.count > g.examples.length ? ', ...' : ''}`);
      lines.push(`    Fix: ${g.fix}`);
    }
    lines.push('');
  }
  if (unknowns.length) {
    lines.push(`COULD NOT DECIDE for ${r.objectsUndecided} object(s) without a problem (and for some with one):`);
    for (const g of unknowns) {
      lines.push(`  ${g.code}: ${g.count} object(s), ${g.detail}`);
      lines.push(`    e.g. ${g.examples.join(', ')}${g.count > g.examples.length ? ', ...' : ''}`);
      lines.push(`    To decide: ${g.fix}`);
    }
    lines.push('');
  }
  const clean = r.objects - r.objectsWithProblems - r.objectsUndecided;
  lines.push(
    problems.length
      ? `${r.objectsWithProblems} object(s) with problems, ${r.objectsUndecided} undecided, ${clean} readable, of ${r.objects}.`
      : r.objects === 0
        ? `No objects under ${where}.`
        : `No problem found in ${r.objects} object(s)${r.objectsUndecided ? `; ${r.objectsUndecided} could not be decided (see above)` : ''}.`,
  );
  if (r.athena) {
    lines.push('', 'For a bucket too big for one machine, the same sweep in Athena over this inventory:', '', r.athena.createTable, '', r.athena.select);
  }
  return `${lines.join('\n')}\n`;
}
