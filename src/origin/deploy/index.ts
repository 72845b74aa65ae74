/**
 * `deploySite()`: the grant-aware deployer behind `edgelock deploy`, the pipeline's deploy Lambda
 * and `npm start`'s local bucket. Read (read.ts), decide (plan.ts, pure: the ACL from the bucket's
 * ownership, every step and why any is skipped), do (execute.ts: upload assets, check them, upload
 * HTML, check it, invalidate, probe, and only then prune), show (report.ts).
 */
import { connect } from './clients';
import { executePlan } from './execute';
import { checkSiteFolder, scanSite } from './local-files';
import { resolveDeployOptions } from './options';
import { planDeploy, planWrites, type DeployPlan, type RefusedDeploy } from './plan';
import { preflightSettings } from './preflight';
import { preflightSite } from './preflight-read';
import { readDeployFacts, readLastDeploy, readOwnershipFacts } from './read';
import type { S3Io } from './s3-io';
import type { DeploySummary } from './summary';
import type { DeployOptions } from './types';

export async function deploySite(options: DeployOptions): Promise<DeploySummary> {
  const started = Date.now();
  const { config } = options;
  const resolved = resolveDeployOptions(options, process.env);
  const { env } = resolved;
  const prefix = config.deploy.prefix;
  const emit = options.onEvent ?? (() => undefined);

  // No site folder is bad input, said before any AWS request.
  await checkSiteFolder(options.dir);
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
  // The last deploy is read while the site folder is: neither needs the other. A problem with the
  // folder (a link out of it, a secret) is said first; the reads only read.
  const last = readLastDeploy(io, prefix);
  last.catch(() => undefined); // awaited below, once the folder is read
  const site = await scanSite(options.dir, { include: config.deploy.include, exclude: config.deploy.exclude }, prefix, options.digestCacheDir ? { cacheDir: options.digestCacheDir } : {});
  const facts = await readDeployFacts(io, await last, {
    site,
    prefix,
    dryRun: resolved.plan.dryRun,
    adopt: resolved.plan.pruning.adopt,
    fullListing: options.fullListing ?? false,
    concurrency: resolved.concurrency,
  });
  // Pre-flight: the site's HTML must reference only files the site has (read locally, before any upload).
  // Pages parsed by an earlier deploy are not parsed again (reference-cache.ts, beside the digest
  // cache; loaded only with a cache folder, which the pipeline's function never has).
  const dir = options.digestCacheDir;
  const references = dir ? (await import('./reference-cache')).openReferenceCache(dir) : undefined;
  const checked = await preflightSite(facts.local, facts.skipped ?? [], prefix, preflightSettings(config, env), references?.cache);
  const note = references?.close();
  const preflight = { ...checked, ...(note ? { note } : {}) };
  // The bucket's ownership decides the ACL of every write: it is read only when the deploy writes.
  const unread = planDeploy({ ...facts, preflight, reading: { kind: 'unread' } }, resolved.plan);
  let plan: DeployPlan | RefusedDeploy = unread;
  if (unread.kind === 'refused' || planWrites(unread)) {
    const ownership = await readOwnershipFacts(io, clients, {
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(resolved.roleAccountId ? { roleAccountId: resolved.roleAccountId } : {}),
    });
    plan = planDeploy({ ...facts, preflight, ...ownership }, resolved.plan);
  }
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
