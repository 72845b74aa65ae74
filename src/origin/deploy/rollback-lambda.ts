/**
 * A rollback through the pipeline's deploy function, without a pipeline run: invoke the function
 * directly (`aws lambda invoke`) with `{"action":"rollback","env":"dev"}` and optionally `"to"`,
 * `"dryRun"`, `"allowDeletes"`, `"roleArn"`, `"siteParameter"`, `"region"`. It assumes the
 * environment's deploy role and runs the same `rollbackSite()` as `edgelock rollback`, and answers
 * `{ ok: true, summary }` or `{ ok: false, code, error, summary? }` (never a stack trace).
 */
import type { ResolvedConfig } from '../../config/schema';
import { EdgelockError } from '../../errors';
import type { RollbackOptions } from './rollback';
import type { RollbackSummary } from './rollback-execute';

export interface RollbackInvocation {
  readonly action: 'rollback';
  readonly env: string;
  readonly to?: string;
  readonly dryRun?: boolean;
  readonly allowDeletes?: boolean;
  readonly roleArn?: string;
  readonly siteParameter?: string;
  readonly region?: string;
}

export type RollbackInvocationResult =
  | { readonly ok: true; readonly summary: RollbackSummary }
  | { readonly ok: false; readonly code: string; readonly error: string; readonly summary?: RollbackSummary };

/** Whether a Lambda event is a rollback invocation (not a CodePipeline job). */
export function isRollbackInvocation(event: unknown): event is { readonly action: 'rollback' } {
  return typeof event === 'object' && event !== null && (event as { action?: unknown }).action === 'rollback';
}

const FIELDS: Record<string, 'string' | 'boolean'> = { action: 'string', env: 'string', to: 'string', dryRun: 'boolean', allowDeletes: 'boolean', roleArn: 'string', siteParameter: 'string', region: 'string' };

/** Checks a rollback invocation's fields against the baked config; throws a refusal naming the field. */
export function parseRollbackInvocation(config: ResolvedConfig, event: Record<string, unknown>): RollbackInvocation {
  for (const [k, v] of Object.entries(event)) {
    const type = FIELDS[k];
    if (!type) throw new EdgelockError(`the rollback invocation has an unknown field "${k}"; it takes ${Object.keys(FIELDS).join(', ')}`, { code: 'USAGE', exitCode: 2 });
    if (typeof v !== type) throw new EdgelockError(`the rollback invocation's "${k}" must be a ${type} (got ${JSON.stringify(v)})`, { code: 'USAGE', exitCode: 2 });
  }
  const env = event.env as string | undefined;
  if (!env) throw new EdgelockError('the rollback invocation must name the environment, e.g. {"action":"rollback","env":"dev"}', { code: 'USAGE', exitCode: 2 });
  if (!config.environments[env]) {
    throw new EdgelockError(`the rollback invocation names environment "${env}", but this deploy function was built with ${Object.keys(config.environments).map((n) => `"${n}"`).join(', ')}`, { code: 'USAGE', exitCode: 2 });
  }
  const to = event.to as string | undefined;
  if (to !== undefined && !/^\d{8}T\d{9}Z-[0-9a-f]{6}$/.test(to)) {
    throw new EdgelockError(`the rollback invocation's "to" must be a deploy ID such as 20261201T220628123Z-a1b2c3 (got "${to}")`, { code: 'USAGE', exitCode: 2 });
  }
  return event as unknown as RollbackInvocation;
}

/** The library options for an invocation (the caller adds config, credentials and events). */
export function rollbackOptionsOf(inv: RollbackInvocation): Pick<RollbackOptions, 'env' | 'to' | 'dryRun' | 'allowDeletes'> {
  return { env: inv.env, ...(inv.to ? { to: inv.to } : {}), ...(inv.dryRun !== undefined ? { dryRun: inv.dryRun } : {}), ...(inv.allowDeletes !== undefined ? { allowDeletes: inv.allowDeletes } : {}) };
}
