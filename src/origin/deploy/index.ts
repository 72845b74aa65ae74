/**
 * `deploySite()`: the grant-aware deployer behind `edgelock deploy`, the pipeline's deploy Lambda
 * and `npm start`'s local bucket. Read (read.ts), decide (plan.ts, pure: the ACL from the bucket's
 * ownership, every step and why any is skipped), do (execute.ts: upload assets, check them, upload
 * HTML, check it, invalidate, probe, and only then prune), show (report.ts).
 */
import type { ResolvedConfig, ResolvedEnvironment } from '../../config/schema';
import { connectEnvironment } from './clients';
import { executePlan } from './execute';
import { checkSiteFolder, scanSite } from './local-files';
import { resolveDeployOptions } from './options';
import { planDeploy, planWrites, type DeployFacts, type DeployPlan, type PlanSettings, type RefusedDeploy } from './plan';
import { preflightSettings } from './preflight';
import { preflightSite } from './preflight-read';
import { readDeployFacts, readLastDeploy, readOwnershipFacts, type ComparedFacts, type OwnershipFacts } from './read';
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
  const clients = await connectEnvironment(options, env, config, 'deploy');
  const io: S3Io = { s3: clients.s3, bucket: env.bucket, attempts: config.deploy.maxAttempts };

  emit({ type: 'phase', phase: 'plan', total: 0 });
  // The last deploy is read while the site folder is: neither needs the other, and the reads only
  // read. A folder refused meanwhile (a link out of it, nothing to publish) is what the deploy
  // says, and it stops the reads, so no retry outlives the command.
  const early = new AbortController();
  const last = readLastDeploy({ ...io, signal: early.signal }, prefix);
  last.catch(() => undefined); // awaited below, once the folder is read
  const site = await scanSite(options.dir, { include: config.deploy.include, exclude: config.deploy.exclude }, prefix, options.digestCacheDir ? { cacheDir: options.digestCacheDir } : {}).catch((err: unknown) => {
    early.abort();
    throw err;
  });
  const facts = await readDeployFacts(io, await last, {
    site,
    prefix,
    dryRun: resolved.plan.dryRun,
    adopt: resolved.plan.pruning.adopt,
    fullListing: options.fullListing ?? false,
    concurrency: resolved.concurrency,
  });
  const plan = await planWithOwnership(
    facts,
    resolved.plan,
    () => preflight(facts, config, env, options.digestCacheDir),
    () =>
      readOwnershipFacts(io, clients, {
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(resolved.roleAccountId ? { roleAccountId: resolved.roleAccountId } : {}),
      }),
  );
  return executePlan(plan, { io, clients, concurrency: resolved.concurrency, emit, started });
}

type Preflight = NonNullable<DeployFacts['preflight']>;

/**
 * Pre-flight: the site's HTML must reference only files the site has (read locally, before any
 * upload). Pages parsed by an earlier deploy are not parsed again (reference-cache.ts, beside the
 * digest cache; loaded only with a cache folder, which the pipeline's function never has).
 */
async function preflight(facts: ComparedFacts, config: ResolvedConfig, env: ResolvedEnvironment, cacheDir: string | undefined): Promise<Preflight> {
  const references = cacheDir ? (await import('./reference-cache')).openReferenceCache(cacheDir) : undefined;
  const checked = await preflightSite(facts.local, facts.skipped ?? [], config.deploy.prefix, preflightSettings(config, env), references?.cache);
  const note = references?.close();
  return { ...checked, ...(note ? { note } : {}) };
}

const UNREAD = { reading: { kind: 'unread' } } as const;

/**
 * Plans the deploy. The bucket's ownership decides the ACL of every write, so it is read only for a
 * deploy that writes: a first plan, without the pre-flight, says whether this one does, and then
 * the reading runs beside the pre-flight. The pre-flight can only keep keys from the prune or
 * refuse, never add a write. Without the reading, a plan that writes is planned again with it, and
 * so is one refused for too many deletes (planDeploy decides the ACL first, and it may refuse
 * first); a refusal for secrets or missing references comes before the ACL and stands.
 */
async function planWithOwnership(facts: ComparedFacts, settings: PlanSettings, check: () => Promise<Preflight>, readOwnership: () => Promise<OwnershipFacts>): Promise<DeployPlan | RefusedDeploy> {
  const draft = planDeploy({ ...facts, ...UNREAD }, settings);
  const early = draft.kind === 'deploy' && planWrites(draft) ? readOwnership() : undefined;
  early?.catch(() => undefined); // awaited below, after the pre-flight
  const checked = await check();
  const plan = planDeploy({ ...facts, preflight: checked, ...(early ? await early : UNREAD) }, settings);
  const needsReading = !early && (plan.kind === 'deploy' ? planWrites(plan) : plan.refusal.code === 'DEPLOY_REFUSED_TOO_MANY_DELETES');
  return needsReading ? planDeploy({ ...facts, preflight: checked, ...(await readOwnership()) }, settings) : plan;
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
