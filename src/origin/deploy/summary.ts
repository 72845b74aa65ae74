/**
 * What a deploy reports: the summary (also the `--json` output), built from the plan and how far
 * the deploy got, and the error a failed deploy throws with that summary attached.
 */
import { EdgelockError, type ErrorCode } from '../../errors';
import type { OwnershipReading } from './ownership';
import type { PlannedFile } from './changes';
import type { DeployPlan } from './plan';
import type { KeptKey } from './prune';
import type { SkippedFile } from './site-filter';
import type { OwnershipCheck, ProbeResult } from './verify';

export interface DeploySummary {
  readonly ok: boolean;
  readonly environment: string;
  readonly bucket: string;
  readonly endpoint?: string;
  readonly dryRun: boolean;
  readonly ownership: { readonly reading: string; readonly acl: string };
  readonly counts: {
    readonly add: number;
    readonly change: number;
    readonly unchanged: number;
    readonly restamp: number;
    readonly delete: number;
    readonly kept: number;
    readonly skipped: number;
    readonly uploaded: number;
    readonly restamped: number;
    readonly deleted: number;
  };
  readonly bytes: { readonly toUpload: number; readonly uploaded: number };
  readonly durationMs: number;
  readonly invalidation: { readonly paths: readonly string[]; readonly id?: string; readonly status?: string; readonly skipped?: string };
  readonly verification: {
    readonly ownership: OwnershipCheck;
    readonly probe: { readonly results: readonly ProbeResult[]; readonly skipped?: string };
  };
  /** The record this deploy trusted (`previous`) and the one it writes (`key`, once written). */
  readonly record: { readonly id: string; readonly key?: string; readonly previous?: string; readonly untrusted?: string };
  /** Keys under the prefix the site no longer has that stay, and why (foreign keys: "not written by edgelock"). */
  readonly kept: readonly KeptKey[];
  /** Files of the site folder that are not published, and why. */
  readonly skipped: readonly SkippedFile[];
  /** A dry run's plan: every file with its headers. */
  readonly plan?: {
    readonly add: readonly PlanLine[];
    readonly change: readonly PlanLine[];
    readonly restamp: readonly PlanLine[];
    readonly delete: readonly string[];
  };
  /** What the plan compared the site against: a full listing (and why) or the last record (and the HEADs it took), and how many digests came from the digest cache. */
  readonly compared: DeployPlan['compared'];
  readonly warnings: readonly string[];
  readonly error?: string;
}

export interface PlanLine {
  readonly key: string;
  readonly size: number;
  readonly contentType: string;
  readonly contentEncoding?: string;
  readonly cacheControl: string;
}

/** A failed deploy: the message says what and how to fix; `summary` says how far it got. */
export class DeployError extends EdgelockError {
  override name = 'DeployError';
  /** @param code the stable code; by default the cause's, when it is edgelock's own error, else DEPLOY_FAILED */
  constructor(message: string, readonly summary: DeploySummary, cause?: unknown, code?: ErrorCode) {
    // A deploy that stopped on one of edgelock's own errors (a refusal, an AWS error it wrapped) keeps that error's code.
    super(message, { code: code ?? (cause instanceof EdgelockError ? cause.code : 'DEPLOY_FAILED'), cause });
  }
}

/** How far a deploy got: what the executor has done so far. */
export interface DeployProgress {
  readonly uploaded: number;
  readonly uploadedBytes: number;
  readonly deleted: number;
  readonly restamped: number;
  /** The record's key, once written. */
  readonly record?: string;
  readonly invalidation: DeploySummary['invalidation'];
  readonly ownership: OwnershipCheck;
  readonly probe: DeploySummary['verification']['probe'];
  readonly warnings: readonly string[];
}

/** Progress before the first step: nothing done, each check "not run" for the plan's reason. */
export function startProgress(plan: DeployPlan): DeployProgress {
  return {
    uploaded: 0,
    uploadedBytes: 0,
    deleted: 0,
    restamped: 0,
    invalidation: plan.invalidation,
    ownership: { checked: 0, problems: [], skipped: plan.notRun.ownership },
    probe: { results: [], skipped: plan.notRun.probe },
    warnings: [],
  };
}

export function describeReading(r: OwnershipReading): string {
  switch (r.kind) {
    case 'read':
      return r.mode;
    case 'denied':
      return 'unreadable (AccessDenied)';
    case 'unsupported':
      return 'not implemented by the endpoint';
    case 'unread':
      return 'not read (nothing to write)';
  }
}

function planLine(f: PlannedFile): PlanLine {
  return { key: f.key, size: f.size, contentType: f.contentType, ...(f.contentEncoding ? { contentEncoding: f.contentEncoding } : {}), cacheControl: f.cacheControl };
}

export function summarize(plan: DeployPlan, p: DeployProgress, result: { readonly ok: boolean; readonly durationMs: number; readonly error?: string }): DeploySummary {
  const c = plan.changes;
  return {
    ok: result.ok,
    environment: plan.env.name,
    bucket: plan.env.bucket,
    ...(plan.endpoint ? { endpoint: plan.endpoint } : {}),
    dryRun: plan.dryRun,
    ownership: { reading: describeReading(plan.reading), acl: plan.acl.description },
    counts: {
      add: c.add.length,
      change: c.change.length,
      unchanged: c.unchanged.length,
      restamp: c.restamp.length,
      delete: c.delete.length,
      kept: c.kept.length,
      skipped: plan.skipped.length,
      uploaded: p.uploaded,
      restamped: p.restamped,
      deleted: p.deleted,
    },
    bytes: { toUpload: plan.uploads.reduce((n, f) => n + f.size, 0), uploaded: p.uploadedBytes },
    durationMs: result.durationMs,
    invalidation: Object.fromEntries(Object.entries(p.invalidation).filter(([, v]) => v !== undefined)) as DeploySummary['invalidation'],
    verification: { ownership: p.ownership, probe: p.probe },
    record: {
      id: plan.record.id,
      ...(p.record ? { key: p.record } : {}),
      ...(plan.record.previous ? { previous: plan.record.previous } : {}),
      ...(plan.record.untrusted ? { untrusted: plan.record.untrusted } : {}),
    },
    kept: c.kept,
    skipped: plan.skipped,
    ...(plan.dryRun ? { plan: { add: c.add.map(planLine), change: c.change.map(planLine), restamp: c.restamp.map(planLine), delete: c.delete } } : {}),
    compared: plan.compared,
    warnings: [...p.warnings],
    ...(result.error ? { error: result.error } : {}),
  };
}
