/**
 * `edgelock logs`: summarise S3 server access logs and CloudFront standard logs.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { listSources, readSource, type LogSource } from './read';
import { LogSummary } from './summary';

export { LogSummary, type LogSummaryJson } from './summary';
export { listSources, readSource, type LogSource } from './read';
export { renderSummary } from './render';
export { parseSince } from './since';

export interface AnalyzeOptions {
  readonly since?: number;
  /** Creates the S3 client for s3:// targets. */
  readonly s3?: () => S3Client;
  /** Progress: called with bytes read so far (stored bytes) and the total. */
  readonly onProgress?: (done: number, total: number, file: string) => void;
  readonly maxDistinct?: number;
}

export interface AnalyzeResult {
  readonly summary: LogSummary;
  /** Files that were not logs, with the reason. */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/** Reads every log file the targets name into one summary. */
export async function analyzeLogs(targets: readonly string[], options: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const sources: LogSource[] = [];
  for (const t of targets) sources.push(...(await listSources(t, options.s3)));
  const summary = new LogSummary({ ...(options.since !== undefined ? { since: options.since } : {}), ...(options.maxDistinct ? { maxDistinct: options.maxDistinct } : {}) });
  const total = sources.reduce((s, x) => s + x.size, 0);
  const skipped: { file: string; reason: string }[] = [];
  let done = 0;
  for (const src of sources) {
    const reason = await readSource(src, summary, options.onProgress ? (n) => options.onProgress!((done += n), total, src.name) : undefined);
    if (reason) skipped.push({ file: src.name, reason });
  }
  return { summary, skipped };
}
