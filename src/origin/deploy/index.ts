/**
 * `deploySite()`: the grant-aware deployer behind `edgelock deploy`, the pipeline's deploy Lambda
 * and `npm start`'s local bucket. Read (read.ts), decide (plan.ts, pure: the ACL from the bucket's
 * ownership, every step and why any is skipped), do (execute.ts: upload assets, check them, upload
 * HTML, check it, invalidate, probe, and only then prune), show (report.ts).
 */
import { connect } from './clients';
import { executePlan } from './execute';
import { scanSite } from './local-files';
import { resolveDeployOptions } from './options';
import { planDeploy } from './plan';
import { preflightSettings } from './preflight';
import { preflightSite } from './preflight-read';
import { readDeployFacts } from './read';
import type { S3Io } from './s3-io';
import type { DeploySummary } from './summary';
import type { DeployOptions } from './types';

export async function deploySite(options: DeployOptions): Promise<DeploySummary> {
  const started = Date.now();
  const { config } = options;
  const resolved = resolveDeployOptions(options, process.env);
  const { env } = resolved;
  const emit = options.onEvent ?? (() => undefined);

  // The site folder first: a bad folder is bad input, found before any AWS request.
  const site = await scanSite(options.dir, { include: config.deploy.include, exclude: config.deploy.exclude }, config.deploy.prefix, options.digestCacheDir ? { cacheDir: options.digestCacheDir } : {});
  const clients = await connect({
    region: env.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.roleArn ? { roleArn: options.roleArn } : {}),
    sessionName: `edgelock-deploy-${config.project}-${env.name}`,
    ...(options.clients ? { given: options.clients } : {}),
  });
  const io: S3Io = { s3: clients.s3, bucket: env.bucket, attempts: config.deploy.maxAttempts };

  emit({ type: 'phase', phase: 'plan', total: 0 });
  const facts = await readDeployFacts(io, clients, {
    site,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(resolved.roleAccountId ? { roleAccountId: resolved.roleAccountId } : {}),
    prefix: config.deploy.prefix,
    dryRun: resolved.plan.dryRun,
    adopt: resolved.plan.pruning.adopt,
    fullListing: options.fullListing ?? false,
    concurrency: resolved.concurrency,
  });
  // Pre-flight: the site's HTML must reference only files the site has (read locally, before any upload).
  const preflight = await preflightSite(facts.local, facts.skipped ?? [], config.deploy.prefix, preflightSettings(config, env));
  const plan = planDeploy({ ...facts, preflight }, resolved.plan);
  return executePlan(plan, { io, clients, concurrency: resolved.concurrency, emit, started });
}

export { DeployError, type DeploySummary } from './summary';
export { listDeploys, type DeployHistoryEntry, type HistoryOptions } from './history';
export type { DeployRecord, RecordedObject } from './record';
export type { DeployEvent, DeployOptions, DeployPhase } from './types';
export { planDeploy, type DeployPlan, type DeployStep, type RefusedDeploy } from './plan';
export { invalidationPaths } from './invalidation';
export type { MissingReference } from './preflight';
export { decideAcl } from './ownership';
export { rollbackSite, RollbackError, type RollbackOptions, type RollbackSummary, type RollbackEvent } from './rollback';
