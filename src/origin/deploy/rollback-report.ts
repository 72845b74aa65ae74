/** Human-readable output of a rollback; `--json` prints the {@link RollbackSummary} itself. */
import type { RestoreLine, RollbackSummary } from './rollback-execute';

function list(title: string, items: readonly string[], max = 50): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, max).map((k) => `    ${k}`);
  if (items.length > max) shown.push(`    ... and ${items.length - max} more`);
  return [`  ${title} (${items.length}):`, ...shown];
}

function restoreLine(r: RestoreLine): string {
  return `${r.key}  from version ${r.versionId}  (${r.contentType}; ${r.contentEncoding ? `Content-Encoding ${r.contentEncoding}` : 'no Content-Encoding'}; ${r.cacheControl})`;
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
      ...list('keep', s.kept.map((k) => `${k.key}: ${k.reason}`)),
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
  lines.push(...list('kept', s.kept.map((k) => `${k.key}: ${k.reason}`), 20));
  lines.push(`  ownership: ${s.ownership.reading}; ${s.ownership.acl}`);
  lines.push(`  record: ${s.record.key ?? 'not written'} (a rollback of ${s.record.rollbackOf})`);
  const inv = s.invalidation;
  lines.push(`  invalidation: ${inv.id ? `${inv.id} (${inv.status}), ${inv.paths.length} path(s)` : `skipped: ${inv.skipped}`}`);
  const own = s.verification.ownership;
  lines.push(`  verified ownership: ${own.skipped ? `skipped: ${own.skipped}` : `${own.checked} object(s), ${own.problems.length} problem(s)`}`);
  const probe = s.verification.probe;
  lines.push(`  probe: ${probe.skipped ? `skipped: ${probe.skipped}` : probe.results.map((r) => `${r.path} ${r.ok ? 'ok' : r.problem}`).join('; ')}`);
  return `${lines.join('\n')}\n`;
}
