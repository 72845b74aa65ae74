/**
 * Carries out a rollback in the deploy's order: restore everything that is not HTML, check its
 * ownership, restore the HTML, check it, invalidate, probe, delete what edgelock wrote since (only
 * once the invalidation has completed), and last write the new record. A step that fails stops
 * the rollback with a {@link RollbackError} whose message says what was written and that a rerun
 * converges, and whose summary says how far it got.
 */
import { randomUUID } from 'node:crypto';
import type { ResolvedEnvironment } from '../../config/schema';
import { EdgelockError, type ErrorCode } from '../../errors';
import { runPool } from '../pool';
import { distributionDomain, type DeployClients } from './clients';
import { createInvalidation, keyToPath, waitForInvalidation } from './invalidation';
import type { AclDecision, OwnershipReading } from './ownership';
import type { KeptKey } from './prune';
import { recordKey, serializeRecord, type DeployRecord, type RecordedObject } from './record';
import { copyVersion } from './rollback-io';
import { probeable, type Restore, type RollbackChanges, type RollbackChoice } from './rollback-plan';
import { deleteKeys, putRecordObject, type S3Io } from './s3-io';
import { describeReading } from './summary';
import { probePaths, verifyOwnership, type OwnershipCheck, type ProbeResult } from './verify';

export type RollbackPhase = 'plan' | 'restore-assets' | 'verify-assets' | 'restore-html' | 'verify-html' | 'invalidate' | 'probe' | 'delete' | 'record';

export type RollbackEvent =
  | { readonly type: 'phase'; readonly phase: RollbackPhase; readonly total: number }
  | { readonly type: 'progress'; readonly phase: RollbackPhase; readonly done: number; readonly total: number }
  | { readonly type: 'warning'; readonly message: string };

export interface RestoreLine {
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
  readonly contentType: string;
  readonly contentEncoding?: string;
  readonly cacheControl: string;
}

export interface RollbackSummary {
  readonly ok: boolean;
  readonly environment: string;
  readonly bucket: string;
  readonly endpoint?: string;
  readonly dryRun: boolean;
  /** The deploy restored, and why it was picked. */
  readonly target: { readonly id: string; readonly key: string; readonly why: string };
  /** The newest record before the rollback. */
  readonly current: { readonly id: string; readonly key: string };
  readonly ownership: { readonly reading: string; readonly acl: string };
  readonly counts: { readonly restore: number; readonly unchanged: number; readonly delete: number; readonly kept: number; readonly restored: number; readonly deleted: number };
  /** Every object put back, with the version it comes from and its headers. */
  readonly restore: readonly RestoreLine[];
  /** Keys edgelock wrote after the target that it did not have: deleted (or to delete, in a dry run). */
  readonly delete: readonly string[];
  /** Keys under the prefix the target does not have that stay, and why ("not written by edgelock"). */
  readonly kept: readonly KeptKey[];
  readonly durationMs: number;
  readonly invalidation: { readonly paths: readonly string[]; readonly id?: string; readonly status?: string; readonly skipped?: string };
  readonly verification: { readonly ownership: OwnershipCheck; readonly probe: { readonly results: readonly ProbeResult[]; readonly skipped?: string } };
  /** The record this rollback writes (`key` once written): a rollback of `target.id`, after `current.id`. */
  readonly record: { readonly id: string; readonly key?: string; readonly rollbackOf: string; readonly previous: string };
  readonly warnings: readonly string[];
  readonly error?: string;
}

/** A rollback that stopped part-way: the message says what and how to converge; `summary` how far it got. */
export class RollbackError extends EdgelockError {
  override name = 'RollbackError';
  constructor(message: string, readonly summary: RollbackSummary, cause?: unknown, code?: ErrorCode) {
    super(message, { code: code ?? (cause instanceof EdgelockError ? cause.code : 'ROLLBACK_FAILED'), cause });
  }
}

/** Everything the executor needs, decided before any write. */
export interface RollbackPlan {
  readonly env: ResolvedEnvironment;
  readonly endpoint?: string;
  readonly dryRun: boolean;
  readonly choice: RollbackChoice;
  readonly changes: RollbackChanges;
  readonly reading: OwnershipReading;
  readonly acl: AclDecision;
  readonly bucketOwnerId?: string;
  readonly recordId: string;
  readonly invalidation: { readonly paths: readonly string[]; readonly skipped?: string; readonly wait: boolean; readonly timeoutMs: number };
  readonly verifyOwnership: boolean;
  /** The probe's base, credentials and attempts, or why there is none. */
  readonly probe: { readonly base: { readonly url: string } | { readonly distributionId: string }; readonly credentials?: string; readonly attempts: number; readonly paths: number } | { readonly skipped: string; readonly warn: boolean };
  readonly warnings: readonly string[];
}

export interface RollbackContext {
  readonly io: S3Io;
  readonly clients: DeployClients;
  readonly concurrency: number;
  readonly emit: (event: RollbackEvent) => void;
  readonly started: number;
}

const line = (r: Restore): RestoreLine => ({
  key: r.object.key,
  versionId: r.versionId,
  size: r.object.size,
  contentType: r.object.contentType,
  ...(r.object.contentEncoding ? { contentEncoding: r.object.contentEncoding } : {}),
  cacheControl: r.object.cacheControl,
});

/** Whether the rollback writes anything at all. */
export function writesNothing(c: RollbackChanges): boolean {
  return c.restore.assets.length + c.restore.html.length + c.delete.length === 0;
}

export async function executeRollback(plan: RollbackPlan, ctx: RollbackContext): Promise<RollbackSummary> {
  const { env, acl, changes, choice } = plan;
  const { emit } = ctx;
  const restores = [...changes.restore.assets, ...changes.restore.html];
  const prefix = choice.target.record.prefix;
  const warnings = [...plan.warnings];
  for (const message of plan.warnings) emit({ type: 'warning', message });
  const warn = (message: string): void => {
    warnings.push(message);
    emit({ type: 'warning', message });
  };
  let restored = 0;
  let deleted = 0;
  let writtenKey: string | undefined;
  let invalidation: RollbackSummary['invalidation'] = { paths: plan.invalidation.paths, ...(plan.invalidation.skipped ? { skipped: plan.invalidation.skipped } : {}) };
  let ownership: OwnershipCheck = { checked: 0, problems: [], skipped: plan.dryRun ? 'dry run' : !plan.verifyOwnership ? 'turned off' : 'not reached' };
  let probe: RollbackSummary['verification']['probe'] = { results: [], skipped: plan.dryRun ? 'dry run' : 'not reached' };
  const stored = new Map<string, string>();
  let unpruned: readonly RecordedObject[] = [];

  const summary = (ok: boolean, error?: string): RollbackSummary => ({
    ok,
    environment: env.name,
    bucket: env.bucket,
    ...(plan.endpoint ? { endpoint: plan.endpoint } : {}),
    dryRun: plan.dryRun,
    target: { id: choice.target.id, key: choice.target.key, why: choice.why },
    current: { id: choice.current.id, key: choice.current.key },
    ownership: { reading: describeReading(plan.reading), acl: acl.description },
    counts: { restore: restores.length, unchanged: changes.unchanged.length, delete: changes.delete.length, kept: changes.kept.length, restored, deleted },
    restore: restores.map(line),
    delete: changes.delete,
    kept: changes.kept,
    durationMs: Date.now() - ctx.started,
    invalidation,
    verification: { ownership, probe },
    record: { id: plan.recordId, ...(writtenKey ? { key: writtenKey } : {}), rollbackOf: choice.target.id, previous: choice.current.id },
    warnings: [...warnings],
    ...(error ? { error } : {}),
  });
  const fail = (message: string, cause?: unknown, code?: ErrorCode): never => {
    throw new RollbackError(message, summary(false, message), cause, code);
  };
  if (plan.dryRun || writesNothing(changes)) {
    if (!plan.dryRun) probe = { results: [], skipped: 'nothing was restored' };
    return summary(true);
  }

  const restore = async (phase: 'restore-assets' | 'restore-html', items: readonly Restore[]): Promise<void> => {
    emit({ type: 'phase', phase, total: items.length });
    let done = 0;
    try {
      await runPool(items, ctx.concurrency, async (r) => {
        stored.set(r.object.key, await copyVersion(ctx.io, r.object, r.versionId, acl.params));
        restored++;
        emit({ type: 'progress', phase, done: ++done, total: items.length });
      });
    } catch (err) {
      const html = phase === 'restore-html' ? 'some pages may be restored and some not' : 'no HTML was restored, so the live pages still reference the current files';
      fail(`${(err as Error).message}. Stopped after restoring ${restored} of ${restores.length} object(s); ${html}. Nothing was deleted; rerun the same rollback (--to ${choice.target.id}) to converge.`, err);
    }
  };

  const check = async (phase: 'verify-assets' | 'verify-html', items: readonly Restore[]): Promise<void> => {
    if (!plan.verifyOwnership) return;
    const keys = items.map((r) => r.object.key);
    const perObject = acl.verify === 'owner' || acl.verify === 'owner-or-oai-grant';
    if (perObject) emit({ type: 'phase', phase, total: keys.length });
    const result = await verifyOwnership(ctx.io, keys, acl, { bucketOwnerId: plan.bucketOwnerId, oaiIds: env.oaiCanonicalUserIds ?? [], concurrency: ctx.concurrency });
    ownership = { checked: ownership.checked + result.checked, problems: [...ownership.problems, ...result.problems], ...(result.skipped ? { skipped: result.skipped } : {}) };
    if (result.problems.length > 0) {
      const first = result.problems[0]!;
      fail(`verification failed: ${result.problems.length} restored object(s) the distribution cannot rely on, e.g. s3://${env.bucket}/${first.key} ${first.problem}. Nothing was deleted and no record was written.`, undefined, 'DEPLOY_VERIFY_FAILED');
    }
  };

  await restore('restore-assets', changes.restore.assets);
  await check('verify-assets', changes.restore.assets);
  await restore('restore-html', changes.restore.html);
  await check('verify-html', changes.restore.html);

  const distributionId = env.distributionId;
  if (!plan.invalidation.skipped && distributionId) {
    emit({ type: 'phase', phase: 'invalidate', total: plan.invalidation.paths.length });
    try {
      const cf = await ctx.clients.cloudfront();
      const created = await createInvalidation(cf, distributionId, plan.invalidation.paths, `edgelock-rollback-${randomUUID()}`);
      invalidation = { paths: plan.invalidation.paths, id: created.id, status: created.status };
      if (plan.invalidation.wait) invalidation = { ...invalidation, status: await waitForInvalidation(cf, distributionId, created.id, { timeoutMs: plan.invalidation.timeoutMs }) };
    } catch (err) {
      fail(`the objects are restored, but invalidating ${distributionId} failed: ${(err as Error).message}. Cached copies of the current files may be served until they expire; rerun to invalidate (nothing was deleted).`, err);
    }
  }

  if ('skipped' in plan.probe) {
    probe = { results: [], skipped: plan.probe.skipped };
    if (plan.probe.warn) warn(`probe skipped: ${plan.probe.skipped}`);
  } else {
    const targets = restores.map((r) => r.object).filter(probeable).sort((a, b) => Number(b.key.endsWith('.html')) - Number(a.key.endsWith('.html'))).slice(0, plan.probe.paths);
    if (targets.length === 0) probe = { results: [], skipped: 'no restored object small enough to probe' };
    else {
      const base = 'url' in plan.probe.base ? plan.probe.base.url : `https://${await distributionDomain(ctx.clients, plan.probe.base.distributionId, 'ROLLBACK_FAILED')}`;
      emit({ type: 'phase', phase: 'probe', total: 0 });
      const results = await probePaths(targets.map((o) => ({ path: keyToPath(o.key.slice(prefix.length)), md5: o.md5 })), { baseUrl: base, attempts: plan.probe.attempts, ...(plan.probe.credentials ? { credentials: plan.probe.credentials } : {}) });
      probe = { results };
      const bad = results.find((r) => !r.ok);
      if (bad) fail(`verification failed: ${bad.url.split('?')[0]} ${bad.problem}. Nothing was deleted and no record was written. Run \`edgelock doctor --env ${env.name}\` to explain a 403.`, undefined, 'DEPLOY_VERIFY_FAILED');
    }
  }

  if (changes.delete.length > 0) {
    const behindCloudFront = invalidation.id !== undefined;
    if (behindCloudFront && invalidation.status !== 'Completed') {
      warn(
        `not deleting ${changes.delete.length} key(s) edgelock wrote after ${choice.target.id}: invalidation ${invalidation.id} is still ${invalidation.status ?? 'in progress'} (deploy.invalidation.wait is false), ` +
          'so edges may still serve cached pages that reference them. The next deploy or rollback deletes them once they are no longer referenced.',
      );
      const written = new Map([...choice.current.record.retained, ...choice.current.record.objects].map((o) => [o.key, o]));
      unpruned = changes.delete.flatMap((k) => written.get(k) ?? []);
    } else {
      emit({ type: 'phase', phase: 'delete', total: changes.delete.length });
      try {
        await deleteKeys(ctx.io, changes.delete, ctx.concurrency);
        deleted = changes.delete.length;
      } catch (err) {
        fail(`${(err as Error).message}. The restored site is live; rerun the same rollback (--to ${choice.target.id}) to finish deleting.`, err);
      }
    }
  }

  emit({ type: 'phase', phase: 'record', total: 1 });
  const key = recordKey(prefix, plan.recordId);
  const record: DeployRecord = {
    format: 'edgelock.deploy-record/1',
    id: plan.recordId,
    time: new Date().toISOString(),
    environment: env.name,
    bucket: env.bucket,
    prefix,
    adopted: false,
    previous: choice.current.id,
    rollbackOf: choice.target.id,
    objects: choice.target.record.objects.map((o) => {
      const etag = stored.get(o.key);
      if (etag !== undefined) return { ...o, etag };
      // Unchanged: the bucket holds the ETag the current record vouches for.
      const current = choice.current.record.objects.find((c) => c.key === o.key) ?? choice.current.record.retained.find((c) => c.key === o.key);
      return current ? { ...o, etag: current.etag } : o;
    }),
    retained: [...changes.retained, ...unpruned],
  };
  try {
    await putRecordObject(ctx.io, key, serializeRecord(record), acl.params);
    writtenKey = key;
  } catch (err) {
    fail(`${(err as Error).message}. The rollback is live, but without its record the next deploy or rollback does not know it; rerun the same rollback (--to ${choice.target.id}) to write it.`, err);
  }
  return summary(true);
}
