/**
 * `rollbackSite()`: the library's `edgelock rollback`. Restores an earlier deploy's objects from
 * the bucket's versions, deletes only what edgelock wrote since, writes a new record (a rollback
 * of that deploy), invalidates and verifies like a deploy. Read (rollback-read.ts), decide
 * (rollback-plan.ts, pure), do (rollback-execute.ts), show (rollback-report.ts).
 */
import type { ResolvedConfig } from '../../config/schema';
import { EdgelockError } from '../../errors';
import { connectEnvironment, type ReachOptions } from './clients';
import { invalidationPaths } from './invalidation';
import { decideAcl, type AclDecision } from './ownership';
import { resolveDeployOptions } from './options';
import { executeRollback, type RollbackEvent, type RollbackPlan, type RollbackSummary } from './rollback-execute';
import { planRollback } from './rollback-plan';
import { readRollbackFacts } from './rollback-read';
import type { S3Io } from './s3-io';

export interface RollbackOptions extends ReachOptions {
  readonly config: ResolvedConfig;
  /** Environment name. */
  readonly env: string;
  /** The deploy ID to restore. @default the deploy before the current one */
  readonly to?: string;
  /** Print the plan, change nothing. @default false */
  readonly dryRun?: boolean;
  /** Requests in flight at once. @default config.deploy.concurrency */
  readonly concurrency?: number;
  /** Delete more than deploy.maxDeletes allows. @default false */
  readonly allowDeletes?: boolean;
  /** "user:password" for probing an environment with auth. @default process.env[config.deploy.verify.probeCredentialsEnv] */
  readonly probeCredentials?: string;
  readonly probeBaseUrl?: string;
  /** Run the ownership check and the probe. @default true */
  readonly verify?: boolean;
  readonly onEvent?: (event: RollbackEvent) => void;
}

export async function rollbackSite(options: RollbackOptions): Promise<RollbackSummary> {
  const started = Date.now();
  const { config } = options;
  const resolved = resolveDeployOptions(
    {
      config,
      env: options.env,
      dir: '.',
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.roleArn ? { roleArn: options.roleArn } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.probeCredentials ? { probeCredentials: options.probeCredentials } : {}),
      ...(options.probeBaseUrl ? { probeBaseUrl: options.probeBaseUrl } : {}),
      ...(options.verify !== undefined ? { verify: options.verify } : {}),
      allowDeletes: options.allowDeletes ?? false,
      dryRun: options.dryRun ?? false,
    },
    process.env,
  );
  const { env } = resolved;
  const s = resolved.plan;
  const emit = options.onEvent ?? (() => undefined);
  const clients = await connectEnvironment(options, env, config, 'rollback');
  const io: S3Io = { s3: clients.s3, bucket: env.bucket, attempts: config.deploy.maxAttempts };
  const prefix = config.deploy.prefix;

  emit({ type: 'phase', phase: 'plan', total: 0 });
  const facts = await readRollbackFacts(io, clients, {
    prefix,
    concurrency: resolved.concurrency,
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(resolved.roleAccountId ? { roleAccountId: resolved.roleAccountId } : {}),
  });
  const acl: AclDecision = decideAcl({
    env,
    reading: facts.reading,
    ...(facts.callerAccountId ? { callerAccountId: facts.callerAccountId } : {}),
    ...(facts.bucketOwnerId ? { bucketOwnerCanonicalId: facts.bucketOwnerId } : {}),
  });
  const perObject = acl.verify === 'owner' || acl.verify === 'owner-or-oai-grant';
  if (s.verifyOwnership && perObject && !facts.bucketOwnerId) {
    throw new EdgelockError(
      `cannot verify object ownership in ${env.bucket}: the bucket owner's canonical ID is unreadable (s3:GetBucketAcl denied). Nothing was written. ` +
        'Allow s3:GetBucketAcl to the deploy role, switch the bucket to BucketOwnerEnforced, or skip the check with --no-verify (deploy.verify.ownership: false).',
      { code: 'DEPLOY_REFUSED' },
    );
  }
  const changes = planRollback({ choice: facts.choice, remote: facts.remote, versioning: facts.versioning, versions: facts.versions, bucket: env.bucket, pruning: s.pruning });
  if (changes instanceof Error) throw changes;

  const restored = [...changes.restore.assets, ...changes.restore.html].map((r) => r.object.key);
  const viewer = (k: string): string => k.slice(prefix.length);
  const paths = invalidationPaths([...restored, ...changes.delete].map(viewer), s.invalidation.maxPaths, { prettyUrls: s.prettyUrls ?? false });
  const noCloudFront = s.endpoint ? `--endpoint ${s.endpoint} is not behind CloudFront` : !env.distributionId ? `environment "${env.name}" has no distributionId yet` : undefined;
  const invalidationSkipped = paths.length === 0 ? 'nothing restored or deleted' : noCloudFront ? `${noCloudFront}: no invalidation` : undefined;
  const willProbe = s.verifyProbe && restored.length > 0;
  const probe: RollbackPlan['probe'] = !s.verifyProbe
    ? { skipped: 'turned off', warn: false }
    : restored.length === 0
      ? { skipped: 'nothing was restored', warn: false }
      : !s.probe.baseUrl && noCloudFront
        ? { skipped: `${noCloudFront}: no probe`, warn: false }
        : env.auth && !s.probe.credentials
          ? { skipped: `environment "${env.name}" has auth and no probe credentials were given (--probe-credentials or $${s.probe.credentialsEnv})`, warn: true }
          : {
              base: s.probe.baseUrl ? { url: s.probe.baseUrl } : env.domain ? { url: `https://${env.domain}` } : { distributionId: env.distributionId! },
              ...(env.auth && s.probe.credentials ? { credentials: s.probe.credentials } : {}),
              attempts: s.probe.attempts,
              paths: s.probe.paths,
            };
  const plan: RollbackPlan = {
    env,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    dryRun: s.dryRun,
    choice: facts.choice,
    changes,
    reading: facts.reading,
    acl,
    ...(facts.bucketOwnerId ? { bucketOwnerId: facts.bucketOwnerId } : {}),
    recordId: s.deployId,
    invalidation: { paths, ...(invalidationSkipped ? { skipped: invalidationSkipped } : {}), wait: s.invalidation.wait && (willProbe || changes.delete.length > 0), timeoutMs: s.invalidation.waitSeconds * 1000 },
    verifyOwnership: s.verifyOwnership,
    probe,
    warnings: acl.warnings,
  };
  return executeRollback(plan, { io, clients, concurrency: resolved.concurrency, emit, started });
}

export { RollbackError, type RollbackEvent, type RollbackPhase, type RollbackSummary, type RestoreLine } from './rollback-execute';
