/**
 * `deploySite()`: the grant-aware deployer behind `edgelock deploy`, the pipeline's deploy Lambda
 * and `npm start`'s local bucket. Plan, decide the ACL from the bucket's ownership, upload assets,
 * check them, upload HTML, check it, invalidate, probe, and only then prune.
 */
import { randomUUID } from 'node:crypto';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { ResolvedConfig, ResolvedEnvironment } from '../../config/schema';
import { ConfigError, EdgelockError } from '../../errors';
import { assumeRole, callerAccount, createClients, roleAccount, type DeployClients, type GivenClients } from './clients';
import { createInvalidation, invalidationPaths, keyToPath, waitForInvalidation } from './invalidation';
import { scanSite, type LocalFile } from './local-files';
import { cacheControlResolver, contentTypeFor } from './object-headers';
import { decideAcl, type AclDecision, type OwnershipReading } from './ownership';
import { isHtml, planDeploy, uploadWaves, type DeployPlan } from './plan';
import { runPool } from '../pool';
import { deleteKeys, listBucket, putFile, readBucketOwner, readOwnership, type S3Io } from './s3-io';
import { probePaths, verifyOwnership, type OwnershipCheck, type ProbeResult } from './verify';

export interface DeployOptions {
  readonly config: ResolvedConfig;
  /** Environment name. */
  readonly env: string;
  /** The site folder. */
  readonly dir: string;
  /** Print the plan, change nothing. @default false */
  readonly dryRun?: boolean;
  /** Parallel requests. @default config.deploy.concurrency */
  readonly concurrency?: number;
  /** Delete keys the site no longer has, once the new HTML is live. @default true */
  readonly prune?: boolean;
  /** Any S3 endpoint (e.g. s3rver on loopback): path-style, no CloudFront. */
  readonly endpoint?: string;
  /** Role to assume before deploying (its account must be the environment's). */
  readonly roleArn?: string;
  /** Explicit credentials (otherwise the SDK's default chain, or the assumed role's). */
  readonly credentials?: AwsCredentialIdentity;
  /** "user:password" for probing an environment with auth. @default process.env[config.deploy.verify.probeCredentialsEnv] */
  readonly probeCredentials?: string;
  /** Probe this base URL instead of the distribution (e.g. the local edge). */
  readonly probeBaseUrl?: string;
  /** Run the ownership and probe checks (each also switchable in the config). @default true */
  readonly verify?: boolean;
  /** Progress and warnings as they happen. */
  readonly onEvent?: (event: DeployEvent) => void;
  /** Ready-made clients (tests, the Lambda). */
  readonly clients?: GivenClients;
}

export type DeployPhase = 'plan' | 'upload-assets' | 'verify-assets' | 'upload-html' | 'verify-html' | 'invalidate' | 'probe' | 'prune';

export type DeployEvent =
  | { readonly type: 'phase'; readonly phase: DeployPhase; readonly total: number }
  | { readonly type: 'progress'; readonly phase: DeployPhase; readonly done: number; readonly total: number; readonly bytes: number }
  | { readonly type: 'warning'; readonly message: string }
  /** One object request going out (in order): lets tests record the order of uploads. */
  | { readonly type: 'request'; readonly key: string };

export interface DeploySummary {
  readonly ok: boolean;
  readonly environment: string;
  readonly bucket: string;
  readonly endpoint?: string;
  readonly dryRun: boolean;
  readonly ownership: { readonly reading: string; readonly acl: string };
  readonly counts: { readonly add: number; readonly change: number; readonly unchanged: number; readonly delete: number; readonly kept: number; readonly uploaded: number; readonly deleted: number };
  readonly bytes: { readonly toUpload: number; readonly uploaded: number };
  readonly durationMs: number;
  readonly invalidation: { readonly paths: readonly string[]; readonly id?: string; readonly status?: string; readonly skipped?: string };
  readonly verification: {
    readonly ownership: OwnershipCheck;
    readonly probe: { readonly results: readonly ProbeResult[]; readonly skipped?: string };
  };
  readonly plan?: { readonly add: readonly string[]; readonly change: readonly string[]; readonly delete: readonly string[] };
  readonly warnings: readonly string[];
  readonly error?: string;
}

/** A failed deploy: the message says what and how to fix; `summary` says how far it got. */
export class DeployError extends EdgelockError {
  override name = 'DeployError';
  constructor(message: string, readonly summary: DeploySummary, cause?: unknown) {
    // A deploy that stopped on one of edgelock's own refusals keeps that refusal's code.
    super(message, { code: cause instanceof EdgelockError ? cause.code : 'DEPLOY_FAILED', cause });
  }
}

function pickEnvironment(config: ResolvedConfig, name: string): ResolvedEnvironment {
  const env = config.environments[name];
  if (!env) {
    throw new ConfigError(config.configPath, [
      { path: 'environments', message: `no environment "${name}"; this config has ${Object.keys(config.environments).map((n) => `"${n}"`).join(', ')}` },
    ]);
  }
  return env;
}

function describeReading(r: OwnershipReading): string {
  return r.kind === 'read' ? r.mode : r.kind === 'denied' ? 'unreadable (AccessDenied)' : 'not implemented by the endpoint';
}

/** Chooses the probe targets: changed HTML first, then other changed files. */
function probeTargets(files: readonly LocalFile[], count: number): { path: string; md5: string }[] {
  const sorted = [...files].filter((f) => !f.multipart).sort((a, b) => Number(isHtml(b.key)) - Number(isHtml(a.key)));
  return sorted.slice(0, count).map((f) => ({ path: keyToPath(f.key), md5: f.md5 }));
}

export async function deploySite(options: DeployOptions): Promise<DeploySummary> {
  const started = Date.now();
  const { config } = options;
  const env = pickEnvironment(config, options.env);
  const settings = config.deploy;
  const concurrency = options.concurrency ?? settings.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new EdgelockError(`--concurrency must be a whole number from 1 to 256 (got ${String(options.concurrency)})`, { code: 'USAGE', exitCode: 2 });
  }
  const prune = options.prune ?? true;
  const dryRun = options.dryRun ?? false;
  const verify = options.verify ?? true;
  const emit = options.onEvent ?? (() => undefined);
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    emit({ type: 'warning', message });
  };

  // Clients, through the deploy role when one is given.
  let credentials = options.credentials;
  let roleAccountId: string | undefined;
  if (options.roleArn) {
    roleAccountId = roleAccount(options.roleArn);
    if (roleAccountId !== env.accountId) {
      throw new EdgelockError(`--role-arn ${options.roleArn} is in account ${roleAccountId}, but environment "${env.name}" lives in ${env.accountId}: pass that account's deploy role (arn:aws:iam::${env.accountId}:role/${settings.roleName})`, { code: 'USAGE', exitCode: 2 });
    }
    const base = await createClients({ region: env.region, maxAttempts: 3, ...(credentials ? { credentials } : {}) }, options.clients).sts();
    credentials = await assumeRole(base, options.roleArn, `edgelock-deploy-${config.project}-${env.name}`);
  }
  const clients: DeployClients = createClients(
    { region: env.region, maxAttempts: 3, ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(credentials ? { credentials } : {}) },
    options.clients,
  );
  const io: S3Io = { s3: clients.s3, bucket: env.bucket, attempts: settings.maxAttempts };

  // Plan.
  emit({ type: 'phase', phase: 'plan', total: 0 });
  const [local, remote, reading] = await Promise.all([scanSite(options.dir), listBucket(io), readOwnership(io)]);
  const plan = planDeploy(local, remote, { prune });
  const needsOwner = reading.kind === 'denied' || (reading.kind === 'read' && reading.mode !== 'BucketOwnerEnforced');
  const isObjectWriter = reading.kind === 'read' && reading.mode === 'ObjectWriter';
  // The caller's account decides ObjectWriter, and an unreadable ownership (which may hide ObjectWriter).
  const needsCaller = reading.kind === 'denied' || (isObjectWriter && !options.endpoint);
  const [bucketOwnerId, caller] = await Promise.all([
    needsOwner ? readBucketOwner(io) : Promise.resolve(undefined),
    needsCaller ? (roleAccountId ? Promise.resolve(roleAccountId) : clients.sts().then(callerAccount)) : Promise.resolve(undefined),
  ]);
  const acl: AclDecision = decideAcl({
    env,
    reading,
    ...(caller ? { callerAccountId: caller } : {}),
    ...(bucketOwnerId ? { bucketOwnerCanonicalId: bucketOwnerId } : {}),
  });
  for (const w of acl.warnings) warn(w);
  const checkingOwnership = verify && settings.verify.ownership;
  if (checkingOwnership && (acl.verify === 'owner' || acl.verify === 'owner-or-oai-grant') && !bucketOwnerId) {
    throw new EdgelockError(
      `cannot verify object ownership in ${env.bucket}: the bucket owner's canonical ID is unreadable (s3:GetBucketAcl denied). Nothing was written. ` +
        'Allow s3:GetBucketAcl to the deploy role, switch the bucket to BucketOwnerEnforced, or skip the check with --no-verify (deploy.verify.ownership: false).', { code: 'DEPLOY_REFUSED' }
    );
  }

  const waves = uploadWaves(plan);
  const toUpload = [...waves.assets, ...waves.html];
  const changedKeys = [...plan.change.map((f) => f.key), ...plan.delete];
  const paths = invalidationPaths(changedKeys, settings.invalidation.maxPaths);
  const noCloudFront = options.endpoint ? `--endpoint ${options.endpoint} is not behind CloudFront` : !env.distributionId ? `environment "${env.name}" has no distributionId yet` : undefined;

  let uploaded = 0;
  let uploadedBytes = 0;
  let deleted = 0;
  let invalidation: DeploySummary['invalidation'] = { paths, skipped: paths.length === 0 ? 'nothing changed or deleted' : noCloudFront ? `${noCloudFront}: no invalidation` : undefined };
  let ownershipCheck: OwnershipCheck = { checked: 0, problems: [], skipped: dryRun ? 'dry run' : !checkingOwnership ? 'turned off' : 'not reached' };
  let probe: DeploySummary['verification']['probe'] = { results: [], skipped: dryRun ? 'dry run' : 'not reached' };

  const summary = (ok: boolean, error?: string): DeploySummary => ({
    ok,
    environment: env.name,
    bucket: env.bucket,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    dryRun,
    ownership: { reading: describeReading(reading), acl: acl.description },
    counts: { add: plan.add.length, change: plan.change.length, unchanged: plan.unchanged.length, delete: plan.delete.length, kept: plan.kept.length, uploaded, deleted },
    bytes: { toUpload: toUpload.reduce((n, f) => n + f.size, 0), uploaded: uploadedBytes },
    durationMs: Date.now() - started,
    invalidation: Object.fromEntries(Object.entries(invalidation).filter(([, v]) => v !== undefined)) as DeploySummary['invalidation'],
    verification: { ownership: ownershipCheck, probe },
    ...(dryRun ? { plan: { add: plan.add.map((f) => f.key), change: plan.change.map((f) => f.key), delete: plan.delete } } : {}),
    warnings,
    ...(error ? { error } : {}),
  });

  if (dryRun) return summary(true);

  const fail = (message: string, cause?: unknown): never => {
    throw new DeployError(message, summary(false, message), cause);
  };

  const cacheControl = cacheControlResolver(settings.cacheControl);
  const uploadWave = async (phase: DeployPhase, files: readonly LocalFile[]): Promise<void> => {
    emit({ type: 'phase', phase, total: files.length });
    let done = 0;
    try {
      await runPool(files, concurrency, async (f) => {
        await putFile(io, f, { contentType: contentTypeFor(f.key), cacheControl: cacheControl(f.key), acl: acl.params }, (key) => emit({ type: 'request', key }));
        uploaded++;
        uploadedBytes += f.size;
        emit({ type: 'progress', phase, done: ++done, total: files.length, bytes: uploadedBytes });
      });
    } catch (err) {
      const html = phase === 'upload-html' ? 'some pages may be new and some old; rerun to converge' : 'no HTML was uploaded, so the live pages still reference the previous files';
      fail(`${(err as Error).message}. Stopped after ${uploaded} of ${toUpload.length} uploads; ${html}.`, err);
    }
  };
  const checkOwnership = async (phase: DeployPhase, keys: readonly string[]): Promise<void> => {
    if (!checkingOwnership) return;
    const perObject = acl.verify === 'owner' || acl.verify === 'owner-or-oai-grant';
    if (perObject) emit({ type: 'phase', phase, total: keys.length });
    let done = 0;
    const result = await verifyOwnership(io, keys, acl, {
      bucketOwnerId,
      oaiIds: env.oaiCanonicalUserIds ?? [],
      concurrency,
      onChecked: () => emit({ type: 'progress', phase, done: ++done, total: keys.length, bytes: uploadedBytes }),
    });
    ownershipCheck = {
      checked: ownershipCheck.checked + result.checked,
      problems: [...ownershipCheck.problems, ...result.problems],
      ...(result.skipped ? { skipped: result.skipped } : {}),
    };
    if (result.problems.length > 0) {
      const first = result.problems[0]!;
      const stage = phase === 'verify-assets' ? ' No HTML was uploaded.' : '';
      fail(
        `verification failed: ${result.problems.length} object(s) the distribution cannot rely on, e.g. s3://${env.bucket}/${first.key} ${first.problem}.${stage} ` +
          `Fix: switch the bucket to BucketOwnerEnforced (aws s3api put-bucket-ownership-controls --bucket ${env.bucket} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'), ` +
          'which makes the bucket owner own every object, or delete those objects and deploy again.',
      );
    }
  };

  // Assets, then their check, then HTML, then its check: a page only goes live once everything it references is readable.
  const siteAssets = local.filter((f) => !isHtml(f.key)).map((f) => f.key);
  const siteHtml = local.filter((f) => isHtml(f.key)).map((f) => f.key);
  await uploadWave('upload-assets', waves.assets);
  await checkOwnership('verify-assets', siteAssets);
  await uploadWave('upload-html', waves.html);
  await checkOwnership('verify-html', siteHtml);

  // Invalidation, and its wait when a probe or a prune depends on it.
  let probeBase = options.probeBaseUrl;
  if (!invalidation.skipped && env.distributionId) {
    emit({ type: 'phase', phase: 'invalidate', total: paths.length });
    try {
      const created = await createInvalidation(await clients.cloudfront(), env.distributionId, paths, `edgelock-${randomUUID()}`);
      invalidation = { paths, id: created.id, status: created.status };
      const willProbe = verify && settings.verify.probe && toUpload.length > 0;
      if (settings.invalidation.wait && (willProbe || plan.delete.length > 0)) {
        const status = await waitForInvalidation(await clients.cloudfront(), env.distributionId, created.id, { timeoutMs: settings.invalidation.waitSeconds * 1000 });
        invalidation = { ...invalidation, status };
      }
    } catch (err) {
      fail(`the new files are uploaded, but invalidating ${env.distributionId} failed: ${(err as Error).message}. Old cached copies may be served until they expire; rerun to invalidate (nothing was pruned).`, err);
    }
  }

  // Probe through the distribution (or the given base URL).
  if (!verify || !settings.verify.probe) probe = { results: [], skipped: 'turned off' };
  else if (toUpload.length === 0) probe = { results: [], skipped: 'nothing was uploaded' };
  else if (!probeBase && noCloudFront) probe = { results: [], skipped: `${noCloudFront}: no probe` };
  else {
    const creds = options.probeCredentials ?? process.env[settings.verify.probeCredentialsEnv];
    if (env.auth && !creds) {
      probe = { results: [], skipped: `environment "${env.name}" has auth and no probe credentials were given (--probe-credentials or $${settings.verify.probeCredentialsEnv})` };
      warn(`probe skipped: ${probe.skipped}`);
    } else {
      if (!probeBase) probeBase = env.domain ? `https://${env.domain}` : `https://${await distributionDomain(clients, env.distributionId!)}`;
      emit({ type: 'phase', phase: 'probe', total: 0 });
      const results = await probePaths(probeTargets(toUpload, settings.verify.probePaths), { baseUrl: probeBase, attempts: settings.verify.probeAttempts, ...(env.auth && creds ? { credentials: creds } : {}) });
      probe = { results };
      const bad = results.find((r) => !r.ok);
      if (bad) fail(`verification failed: ${bad.url.split('?')[0]} ${bad.problem}. Nothing was pruned. Run \`edgelock doctor --env ${env.name}\` to explain a 403.`);
    }
  }

  // Prune, only now that the new HTML is live. Behind CloudFront, "live" means the invalidation has
  // completed: until then edges may still serve cached old HTML that references the old keys.
  const invalidationPending = invalidation.id !== undefined && invalidation.status !== 'Completed';
  if (plan.delete.length > 0 && invalidationPending) {
    warn(
      `not pruning ${plan.delete.length} key(s) the site no longer has: invalidation ${invalidation.id} on ${env.distributionId} is still ${invalidation.status ?? 'in progress'} ` +
        `(deploy.invalidation.wait is false), so edges may still serve cached old pages that reference them. ` +
        'To prune, deploy again with deploy.invalidation.wait: true (it waits for the invalidation, then prunes), or delete those keys once the invalidation shows Completed.',
    );
  } else if (plan.delete.length > 0) {
    emit({ type: 'phase', phase: 'prune', total: plan.delete.length });
    try {
      await deleteKeys(io, plan.delete, concurrency);
      deleted = plan.delete.length;
    } catch (err) {
      fail(`${(err as Error).message}. The new site is live; rerun to finish pruning.`, err);
    }
  }
  return summary(true);
}

async function distributionDomain(clients: DeployClients, id: string): Promise<string> {
  const { GetDistributionCommand } = await import('@aws-sdk/client-cloudfront');
  const out = await (await clients.cloudfront()).send(new GetDistributionCommand({ Id: id }));
  const domain = out.Distribution?.DomainName;
  if (!domain) throw new EdgelockError(`distribution ${id} has no domain name`, { code: 'DEPLOY_REFUSED' });
  return domain;
}

export { planDeploy, type DeployPlan } from './plan';
export { invalidationPaths } from './invalidation';
export { decideAcl } from './ownership';
