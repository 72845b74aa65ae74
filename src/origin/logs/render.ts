/** Renders a log summary as plain-text tables. */
import type { BoundedCounter } from './counter';
import type { LogSummary } from './summary';

function table(title: string, c: BoundedCounter, top: number, out: string[]): void {
  if (c.total === 0) return;
  out.push(`${title} (${c.total}${c.pruned ? ', approximate' : ''})`);
  const rows = c.top(top);
  const rest = c.total - rows.reduce((s, [, n]) => s + n, 0);
  const width = Math.max(String(rest).length, ...rows.map(([, n]) => String(n).length));
  for (const [v, n] of rows) out.push(`  ${String(n).padStart(width)}  ${v}`);
  if (rest > 0) {
    const others = c.distinct - rows.length;
    out.push(`  ${String(rest).padStart(width)}  (${c.pruned ? 'other values' : `${others} other value${others === 1 ? '' : 's'}`})`);
  }
  out.push('');
}

export function renderSummary(s: LogSummary, options: { top?: number; skipped?: readonly { file: string; reason: string }[] } = {}): string {
  const top = options.top ?? 10;
  const out: string[] = [];
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '-');
  out.push(`${s.files} file(s), ${(s.bytes / 1e6).toFixed(1)} MB, ${s.s3Records} S3 access record(s), ${s.cloudFrontRecords} CloudFront record(s), ${s.malformed} malformed line(s)`);
  if (s.s3Records + s.cloudFrontRecords > 0) out.push(`from ${iso(s.first)} to ${iso(s.last)}${s.skippedBefore ? ` (${s.skippedBefore} record(s) before --since left out)` : ''}`);
  for (const k of options.skipped ?? []) out.push(`skipped ${k.file}: ${k.reason}`);
  out.push('');
  table('Requests by status', s.status, 50, out);
  table('S3 403s by key', s.s3Forbidden.byKey, top, out);
  table('S3 403s by requester', s.s3Forbidden.byRequester, top, out);
  table('S3 403s by user agent', s.s3Forbidden.byUserAgent, top, out);
  table('S3 403s by error code', s.s3Forbidden.byErrorCode, top, out);
  if (s.aclRequired.byKey.total > 0) {
    out.push('Requests that needed an ACL (aclRequired = Yes): they fail once ACLs are disabled (BucketOwnerEnforced); grant them in the bucket policy first.');
    table('  by key', s.aclRequired.byKey, top, out);
    table('  by requester', s.aclRequired.byRequester, top, out);
    table('  by operation', s.aclRequired.byOperation, top, out);
  } else if (s.aclFieldRecords > 0) {
    out.push(`No request needed an ACL (aclRequired = Yes) among ${s.aclFieldRecords} record(s) that log it: disabling ACLs breaks none of them.`, '');
  } else if (s.s3Records > 0) {
    out.push('These S3 records predate the aclRequired field: they cannot tell which requests need ACLs.', '');
  }
  table('CloudFront 403s by URI', s.cfForbidden.byUri, top, out);
  table('CloudFront 403s by client IP', s.cfForbidden.byClientIp, top, out);
  table('CloudFront 403s by user agent', s.cfForbidden.byUserAgent, top, out);
  table('CloudFront 403s by detailed result type', s.cfForbidden.byDetailedResultType, top, out);
  table('CloudFront errors by edge result type', s.cfErrors.byResultType, top, out);
  table('CloudFront errors by detailed result type', s.cfErrors.byDetailedResultType, top, out);
  return `${out.join('\n').trimEnd()}\n`;
}
