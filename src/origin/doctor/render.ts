/** Renders a doctor report for a terminal (plain text, no colour codes). */
import type { DoctorReport } from './types';

const MARK = { problem: 'PROBLEM', unknown: 'UNKNOWN', ok: 'ok' } as const;

export function renderReport(r: DoctorReport, options: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  out.push(`edgelock doctor: environment ${r.environment}, distribution ${r.distributionId}, s3://${r.bucket}/${r.key}`);
  out.push('');
  r.results.forEach((c, i) => {
    const lead = c.status === 'problem' && i === 0 ? 'LIKELIEST CAUSE' : MARK[c.status];
    out.push(`${i + 1}. [${lead}] ${c.title} (check ${c.order})`);
    out.push(`   ${c.summary}`);
    const showEvidence = options.verbose || c.status !== 'ok';
    if (showEvidence) for (const e of c.evidence) out.push(`     - ${e.call} → ${e.seen}`);
    if (c.fix && c.status !== 'ok') out.push(`   fix: ${c.fix}`);
    out.push('');
  });
  out.push(r.verdict);
  return `${out.join('\n')}\n`;
}
