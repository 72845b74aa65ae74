/**
 * Human-readable output of a deploy: the plan (for --dry-run) and the summary. `--json` prints the
 * {@link DeploySummary} itself.
 */
import type { DeploySummary, PlanLine } from './summary';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A titled, counted list of lines, the first `max` of them shown (the rollback's report uses it too). */
export function list(title: string, keys: readonly string[], max = 50): string[] {
  if (keys.length === 0) return [];
  const shown = keys.slice(0, max).map((k) => `    ${k}`);
  if (keys.length > max) shown.push(`    ... and ${keys.length - max} more`);
  return [`  ${title} (${keys.length}):`, ...shown];
}

/** An object's headers as a plan shows them: `(type; encoding; cache control)`. */
export function headersText(h: { readonly contentType: string; readonly contentEncoding?: string; readonly cacheControl: string }): string {
  return `(${h.contentType}; ${h.contentEncoding ? `Content-Encoding ${h.contentEncoding}` : 'no Content-Encoding'}; ${h.cacheControl})`;
}

function fileLine(f: PlanLine): string {
  return `${f.key}  ${headersText(f)}`;
}

export function reasoned(title: string, items: readonly { key: string; reason: string }[], max = 50): string[] {
  return list(title, items.map((i) => `${i.key}: ${i.reason}`), max);
}

export function formatSummary(s: DeploySummary): string {
  const c = s.counts;
  const where = s.endpoint ? `${s.bucket} at ${s.endpoint}` : `s3://${s.bucket}`;
  const lines: string[] = [];
  if (s.dryRun) {
    lines.push(`dry run: deploying to ${where} (${s.environment}) would`);
    lines.push(
      ...list('add', (s.plan?.add ?? []).map(fileLine)),
      ...list('change', (s.plan?.change ?? []).map(fileLine)),
      ...list('update headers in place (unchanged content)', (s.plan?.restamp ?? []).map(fileLine)),
      ...list('delete (written by edgelock, unchanged since)', s.plan?.delete ?? []),
      ...reasoned('keep', s.kept),
      ...reasoned('skip (not published)', s.skipped),
    );
    lines.push(`  leave ${c.unchanged} unchanged, upload ${bytes(s.bytes.toUpload)}`);
    lines.push(`  record: ${s.record.previous ? `last deploy record ${s.record.previous}${s.record.untrusted ? ' (not trusted)' : ''}` : 'no deploy record yet'}; this deploy would write ${s.record.id}`);
    lines.push(`  ACL: ${s.ownership.acl}`);
    if (s.invalidation.paths.length) lines.push(...list(`invalidate${s.invalidation.skipped ? ` (skipped: ${s.invalidation.skipped})` : ''}`, s.invalidation.paths));
    lines.push('nothing was changed');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`deployed ${s.environment} to ${where} in ${(s.durationMs / 1000).toFixed(1)} s`);
  lines.push(
    `  files: ${c.add} added, ${c.change} changed, ${c.unchanged} unchanged${c.restamped ? ` (${c.restamped} with new headers)` : ''}, ${c.deleted} deleted, ${c.kept} kept, ${c.skipped} skipped; ${bytes(s.bytes.uploaded)} uploaded`,
  );
  lines.push(...reasoned('kept', s.kept, 20), ...reasoned('skipped', s.skipped, 20));
  lines.push(`  ownership: ${s.ownership.reading}; ${s.ownership.acl}`);
  lines.push(`  record: ${s.record.key ?? 'not written'}`);
  lines.push(...afterLines(s));
  return `${lines.join('\n')}\n`;
}

/** The invalidation and the checks after the writes, as a deploy's and a rollback's summaries end. */
export function afterLines(s: Pick<DeploySummary, 'invalidation' | 'verification'>): string[] {
  const inv = s.invalidation;
  const own = s.verification.ownership;
  const probe = s.verification.probe;
  return [
    `  invalidation: ${inv.id ? `${inv.id} (${inv.status}), ${inv.paths.length} path(s)` : `skipped: ${inv.skipped}`}`,
    `  verified ownership: ${own.skipped ? `skipped: ${own.skipped}` : `${own.checked} object(s), ${own.problems.length} problem(s)`}`,
    `  probe: ${probe.skipped ? `skipped: ${probe.skipped}` : probe.results.map((r) => `${r.path} ${r.ok ? 'ok' : r.problem}`).join('; ')}`,
  ];
}
