/**
 * CloudFront invalidation: the fewest paths that cover every changed and deleted key, within
 * CloudFront's limits (3,000 paths and 15 wildcard paths in progress per distribution).
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { EdgelockError } from '../../errors';

/** CloudFront's limits for invalidations in progress. */
export const MAX_INVALIDATION_PATHS = 3000;
export const MAX_INVALIDATION_WILDCARDS = 15;

/** URL path of a key, each segment percent-encoded as CloudFront expects. */
export function keyToPath(key: string): string {
  return `/${key.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}`;
}

export interface PathOptions {
  /** origin.prettyUrls: `/dir` is served `dir/index.html` too. */
  readonly prettyUrls?: boolean;
}

/** The paths one key is served under: `dir/index.html` is also `/dir/` (and `/dir` with pretty URLs). */
export function pathsForKey(key: string, o: PathOptions = {}): string[] {
  const p = keyToPath(key);
  if (key === 'index.html') return ['/', p];
  if (key.endsWith('/index.html')) {
    const dir = p.slice(0, -'index.html'.length);
    return o.prettyUrls ? [dir.slice(0, -1), dir, p] : [dir, p];
  }
  return [p];
}

/**
 * Paths for the changed and deleted keys. Past `maxPaths`, keys are collapsed into folder wildcards
 * (deepest common folders first, at most 15); when that still does not fit, one `/*`.
 */
export function invalidationPaths(keys: readonly string[], maxPaths: number, o: PathOptions = {}): string[] {
  if (keys.length === 0) return [];
  const limit = Math.min(maxPaths, MAX_INVALIDATION_PATHS);
  const exact = [...new Set(keys.flatMap((k) => pathsForKey(k, o)))].sort();
  if (exact.length <= limit) return exact;
  // Collapse by top-level folder: files at the root stay exact, each folder becomes "/folder/*".
  const rootFiles = new Set<string>();
  const folders = new Set<string>();
  for (const k of keys) {
    const slash = k.indexOf('/');
    if (slash < 0) for (const p of pathsForKey(k, o)) rootFiles.add(p);
    else folders.add(`${keyToPath(k.slice(0, slash))}/*`);
  }
  if (folders.size <= MAX_INVALIDATION_WILDCARDS && rootFiles.size + folders.size <= limit) return [...rootFiles, ...folders].sort();
  return ['/*'];
}

export interface InvalidationResult {
  readonly id: string;
  readonly paths: readonly string[];
  readonly status: string;
}

export async function createInvalidation(cf: CloudFrontClient, distributionId: string, paths: readonly string[], callerReference: string): Promise<InvalidationResult> {
  const { CreateInvalidationCommand } = await import('@aws-sdk/client-cloudfront');
  const out = await cf.send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } },
    }),
  );
  const id = out.Invalidation?.Id;
  if (!id) throw new EdgelockError(`CloudFront accepted the invalidation for ${distributionId} but returned no ID`, { code: 'DEPLOY_FAILED' });
  return { id, paths, status: out.Invalidation?.Status ?? 'InProgress' };
}

/** An invalidation's status now (one GetInvalidation). */
export async function invalidationStatus(cf: CloudFrontClient, distributionId: string, id: string): Promise<string> {
  const { GetInvalidationCommand } = await import('@aws-sdk/client-cloudfront');
  const out = await cf.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }));
  return out.Invalidation?.Status ?? 'Unknown';
}

/** Polls until the invalidation is Completed, or throws after `timeoutMs`. */
export async function waitForInvalidation(
  cf: CloudFrontClient,
  distributionId: string,
  id: string,
  options: { timeoutMs: number; intervalMs?: number; sleep?: (ms: number) => Promise<void> },
): Promise<string> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const { GetInvalidationCommand } = await import('@aws-sdk/client-cloudfront');
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const out = await cf.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }));
    const status = out.Invalidation?.Status ?? 'Unknown';
    if (status === 'Completed') return status;
    if (Date.now() >= deadline) {
      throw new EdgelockError(`invalidation ${id} on ${distributionId} is still ${status} after ${Math.round(options.timeoutMs / 1000)} s; old content may still be served. Raise deploy.invalidation.waitSeconds or check the CloudFront console.`, { code: 'DEPLOY_FAILED' });
    }
    await sleep(options.intervalMs ?? 10_000);
  }
}
