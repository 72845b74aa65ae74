/** Human-readable output of a rollback; `--json` prints the {@link RollbackSummary} itself. */
import { afterLines, headersText, list, reasoned } from './report';
import type { RestoreLine, RollbackSummary } from './rollback-execute';

function restoreLine(r: RestoreLine): string {
  return `${r.key}  from version ${r.versionId}  ${headersText(r)}`;
}

export function formatRollback(s: RollbackSummary): string {
  const where = s.endpoint ? `${s.bucket} at ${s.endpoint}` : `s3://${s.bucket}`;
  const c = s.counts;
  const lines: string[] = [];
  const head = `${s.target.id}: ${s.target.why}; current deploy ${s.current.id}`;
  if (s.dryRun) {
    lines.push(`dry run: rolling ${s.environment} (${where}) back to ${head}; it would`);
    lines.push(
      ...list('restore', s.restore.map(restoreLine)),
      ...list('delete (written by edgelock after the target, unchanged since)', s.delete),
      ...reasoned('keep', s.kept),
    );
    lines.push(`  leave ${c.unchanged} unchanged`);
    lines.push(`  record: would write ${s.record.id}, a rollback of ${s.record.rollbackOf}`);
    lines.push(`  ACL: ${s.ownership.acl}`);
    if (s.invalidation.paths.length) lines.push(...list(`invalidate${s.invalidation.skipped ? ` (skipped: ${s.invalidation.skipped})` : ''}`, s.invalidation.paths));
    lines.push('nothing was changed');
    return `${lines.join('\n')}\n`;
  }
  if (c.restore + c.delete === 0) {
    return `rolled back ${s.environment} (${where}) to ${head}\n  nothing to do: the bucket already holds its ${c.unchanged} object(s) as recorded; no record written\n`;
  }
  lines.push(`rolled back ${s.environment} (${where}) to ${head} in ${(s.durationMs / 1000).toFixed(1)} s`);
  lines.push(`  objects: ${c.restored} restored from their versions, ${c.unchanged} unchanged, ${c.deleted} deleted, ${c.kept} kept`);
  lines.push(...reasoned('kept', s.kept, 20));
  lines.push(`  ownership: ${s.ownership.reading}; ${s.ownership.acl}`);
  lines.push(`  record: ${s.record.key ?? 'not written'} (a rollback of ${s.record.rollbackOf})`);
  lines.push(...afterLines(s));
  return `${lines.join('\n')}\n`;
}
