/**
 * Carries out a deploy plan, step by step, and reports as it goes. A step that fails stops the
 * deploy with a {@link DeployError} whose message says what was written and how to converge, and
 * whose summary says how far it got.
 */
import { randomUUID } from 'node:crypto';
import { EdgelockError, type ErrorCode } from '../../errors';
import { runPool } from '../pool';
import { enforceOwnershipCommand } from '../s3/ownership';
import { distributionDomain, type DeployClients } from './clients';
import { createInvalidation, invalidationStatus, waitForInvalidation } from './invalidation';
import { planWrites, type DeployPlan, type DeployStep, type RefusedDeploy } from './plan';
import { serializeRecord, type RecordedObject } from './record';
import { RequestSlots } from './request-slots';
import { copyHeadersInPlace, deleteKeys, MAX_PARTS_IN_FLIGHT, putFile, putRecordObject, type S3Io } from './s3-io';
import { DeployError, startProgress, summarize, type DeployProgress, type DeploySummary } from './summary';
import type { DeployEvent } from './types';
import { probePaths, verifyOwnership } from './verify';

export interface ExecuteContext {
  readonly io: S3Io;
  readonly clients: DeployClients;
  readonly concurrency: number;
  readonly emit: (event: DeployEvent) => void;
  /** When the deploy started (Date.now()), for the summary's duration. */
  readonly started: number;
}

type Step<K extends DeployStep['kind']> = Extract<DeployStep, { kind: K }>;

/** Says the plan's warnings, then throws a refusal or runs every step; returns the summary. */
export async function executePlan(plan: DeployPlan | RefusedDeploy, ctx: ExecuteContext): Promise<DeploySummary> {
  const { emit } = ctx;
  for (const message of plan.warnings) emit({ type: 'warning', message });
  if (plan.kind === 'refused') throw plan.refusal;
  if (plan.reading.kind === 'unread' && planWrites(plan)) {
    // index.ts reads the ownership for any plan that writes; a write with an unknown ACL is never sent.
    throw new EdgelockError(`refusing to write to ${plan.env.bucket}: the plan writes, but the bucket's Object Ownership was not read. Nothing was written.`, { code: 'DEPLOY_FAILED' });
  }

  const { env, acl } = plan;
  let progress: DeployProgress = { ...startProgress(plan), warnings: [...plan.warnings] };
  const update = (change: Partial<DeployProgress>): void => {
    progress = { ...progress, ...change };
  };
  const warn = (message: string): void => {
    update({ warnings: [...progress.warnings, message] });
    emit({ type: 'warning', message });
  };
  const summary = (ok: boolean, error?: string): DeploySummary => summarize(plan, progress, { ok, durationMs: Date.now() - ctx.started, ...(error ? { error } : {}) });
  const fail = (message: string, cause?: unknown, code?: ErrorCode): never => {
    throw new DeployError(message, summary(false, message), cause, code);
  };
  const slots = new RequestSlots(ctx.concurrency);
  // The ETag S3 stored for each object this deploy wrote (SSE-KMS ETags are not MD5s): they go in the record.
  const stored = new Map<string, string>();
  // Keys edgelock wrote that stay in the bucket because the prune did not run: the record carries them.
  let unpruned: readonly RecordedObject[] = [];

  const upload = async (step: Step<'upload'>): Promise<void> => {
    const { phase, files } = step;
    emit({ type: 'phase', phase, total: files.length });
    let done = 0;
    try {
      await runPool(files, ctx.concurrency, async (f) => {
        // A multipart upload holds a slot per part in flight, so --concurrency bounds requests, not files.
        const parts = f.multipart ? Math.min(MAX_PARTS_IN_FLIGHT, ctx.concurrency) : 1;
        const etag = await slots.use(parts, () =>
          putFile(ctx.io, f, { contentType: f.contentType, cacheControl: f.cacheControl, acl: acl.params }, (key) => emit({ type: 'request', key }), parts),
        );
        stored.set(f.key, etag);
        update({ uploaded: progress.uploaded + 1, uploadedBytes: progress.uploadedBytes + f.size });
        emit({ type: 'progress', phase, done: ++done, total: files.length, bytes: progress.uploadedBytes });
      });
    } catch (err) {
      const html = phase === 'upload-html' ? 'some pages may be new and some old; rerun to converge' : 'no HTML was uploaded, so the live pages still reference the previous files';
      fail(`${(err as Error).message}. Stopped after ${progress.uploaded} of ${plan.uploads.length} uploads; ${html}.`, err);
    }
  };

  const checkOwnership = async (step: Step<'verify-ownership'>): Promise<void> => {
    const { phase, keys } = step;
    if (step.perObject) emit({ type: 'phase', phase, total: keys.length });
    let done = 0;
    const result = await verifyOwnership(ctx.io, keys, acl, {
      bucketOwnerId: plan.bucketOwnerId,
      oaiIds: env.oaiCanonicalUserIds ?? [],
      concurrency: ctx.concurrency,
      onChecked: () => emit({ type: 'progress', phase, done: ++done, total: keys.length, bytes: progress.uploadedBytes }),
    });
    update({
      ownership: {
        checked: progress.ownership.checked + result.checked,
        problems: [...progress.ownership.problems, ...result.problems],
        ...(result.skipped ? { skipped: result.skipped } : {}),
      },
    });
    if (result.problems.length > 0) {
      const first = result.problems[0]!;
      const stage = phase === 'verify-assets' ? ' No HTML was uploaded.' : '';
      fail(
        `verification failed: ${result.problems.length} object(s) the distribution cannot rely on, e.g. s3://${env.bucket}/${first.key} ${first.problem}.${stage} ` +
          `Fix: switch the bucket to BucketOwnerEnforced (${enforceOwnershipCommand(env.bucket)}), ` +
          'which makes the bucket owner own every object, or delete those objects and deploy again.',
        undefined,
        'DEPLOY_VERIFY_FAILED',
      );
    }
  };

  const restamp = async (step: Step<'restamp'>): Promise<void> => {
    emit({ type: 'phase', phase: 'restamp', total: step.files.length });
    let done = 0;
    try {
      await runPool(step.files, ctx.concurrency, async (f) => {
        stored.set(f.key, await copyHeadersInPlace(ctx.io, f, { contentType: f.contentType, cacheControl: f.cacheControl, acl: acl.params }));
        update({ restamped: progress.restamped + 1 });
        emit({ type: 'progress', phase: 'restamp', done: ++done, total: step.files.length, bytes: progress.uploadedBytes });
      });
    } catch (err) {
      fail(`${(err as Error).message}. The new files are uploaded; ${progress.restamped} of ${step.files.length} unchanged object(s) got their new headers; rerun to finish (nothing was pruned).`, err);
    }
  };

  const writeRecord = async (step: Step<'record'>): Promise<void> => {
    emit({ type: 'phase', phase: 'record', total: 1 });
    const record = {
      ...step.record,
      time: new Date().toISOString(),
      objects: step.record.objects.map((o) => ({ ...o, etag: stored.get(o.key) ?? o.etag })),
      retained: [...step.record.retained, ...unpruned],
      ...(progress.invalidation.id && env.distributionId ? { invalidation: { distributionId: env.distributionId, id: progress.invalidation.id } } : {}),
    };
    try {
      await putRecordObject(ctx.io, step.key, serializeRecord(record), acl.params);
      update({ record: step.key });
    } catch (err) {
      fail(`${(err as Error).message}. The site is deployed, but without its record the next deploy prunes nothing it wrote now; rerun to write it.`, err);
    }
  };

  const invalidate = async (step: Step<'invalidate'>): Promise<void> => {
    const { distributionId, paths } = step;
    emit({ type: 'phase', phase: 'invalidate', total: paths.length });
    try {
      const created = await createInvalidation(await ctx.clients.cloudfront(), distributionId, paths, `edgelock-${randomUUID()}`);
      update({ invalidation: { paths, id: created.id, status: created.status } });
      if (step.wait) {
        const status = await waitForInvalidation(await ctx.clients.cloudfront(), distributionId, created.id, { timeoutMs: step.timeoutMs });
        update({ invalidation: { ...progress.invalidation, status } });
      }
    } catch (err) {
      fail(`the new files are uploaded, but invalidating ${distributionId} failed: ${(err as Error).message}. Old cached copies may be served until they expire; rerun to invalidate (nothing was pruned).`, err);
    }
  };

  const probe = async (step: Step<'probe'>): Promise<void> => {
    const baseUrl = 'url' in step.base ? step.base.url : `https://${await distributionDomain(ctx.clients, step.base.distributionId, 'DEPLOY_REFUSED')}`;
    emit({ type: 'phase', phase: 'probe', total: 0 });
    const results = await probePaths(step.targets, { baseUrl, attempts: step.attempts, ...(step.credentials ? { credentials: step.credentials } : {}) });
    update({ probe: { results } });
    const bad = results.find((r) => !r.ok);
    if (bad) fail(`verification failed: ${bad.url.split('?')[0]} ${bad.problem}. Nothing was pruned. Run \`edgelock doctor --env ${env.name}\` to explain a 403.`, undefined, 'DEPLOY_VERIFY_FAILED');
  };

  const prune = async (step: Step<'prune'>): Promise<void> => {
    // Behind CloudFront, "live" means the invalidation has completed: until then edges may still
    // serve cached old HTML that references the old keys.
    const inv = progress.invalidation;
    if (step.afterInvalidation && inv.status !== 'Completed') {
      warn(
        `not pruning ${step.keys.length} key(s) the site no longer has: invalidation ${inv.id} on ${env.distributionId} is still ${inv.status ?? 'in progress'} ` +
          `(deploy.invalidation.wait is false), so edges may still serve cached old pages that reference them. ` +
          'To prune, deploy again with deploy.invalidation.wait: true (it waits for the invalidation, then prunes), or delete those keys once the invalidation shows Completed.',
      );
      unpruned = step.recorded;
      return;
    }
    // The last deploy's invalidation may have been left in progress: its predecessor's pages may still be cached.
    const before = step.previousInvalidation;
    if (before) {
      let status: string;
      try {
        status = await invalidationStatus(await ctx.clients.cloudfront(), before.distributionId, before.id);
      } catch (err) {
        status = `unknown (${(err as Error).message})`;
      }
      if (status !== 'Completed') {
        warn(
          `not pruning ${step.keys.length} key(s) the site no longer has: the last deploy's invalidation ${before.id} on ${before.distributionId} is ${status}, ` +
            'so edges may still serve cached pages that reference them. They stay in the record as edgelock\'s; the next deploy prunes them once it shows Completed.',
        );
        unpruned = step.recorded;
        return;
      }
    }
    emit({ type: 'phase', phase: 'prune', total: step.keys.length });
    try {
      await deleteKeys(ctx.io, step.keys, ctx.concurrency);
      update({ deleted: step.keys.length });
    } catch (err) {
      fail(`${(err as Error).message}. The new site is live; rerun to finish pruning.`, err);
    }
  };

  const markPending = async (step: Step<'mark-pending'>): Promise<void> => {
    try {
      await putRecordObject(ctx.io, step.key, step.body, acl.params);
    } catch (err) {
      fail(`${(err as Error).message}. Nothing was written.`, err);
    }
  };

  for (const step of plan.steps) {
    switch (step.kind) {
      case 'mark-pending':
        await markPending(step);
        break;
      case 'upload':
        await upload(step);
        break;
      case 'verify-ownership':
        await checkOwnership(step);
        break;
      case 'invalidate':
        await invalidate(step);
        break;
      case 'probe':
        await probe(step);
        break;
      case 'skip-probe':
        update({ probe: { results: [], skipped: step.reason } });
        if (step.warn) warn(`probe skipped: ${step.reason}`);
        break;
      case 'prune':
        await prune(step);
        break;
      case 'restamp':
        await restamp(step);
        break;
      case 'record':
        await writeRecord(step);
        break;
    }
  }
  return summary(true);
}
