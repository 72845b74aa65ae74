/**
 * The deploy plan: decided from what was read (the site, the bucket listing, the bucket's Object
 * Ownership, the accounts) and the resolved options, without any I/O. It names every step the
 * deploy takes, in order, and why each one it leaves out is left out; `execute.ts` carries it out.
 *
 * The order is the deployer's promise: assets, their ownership check, HTML, its check (a page goes
 * live only once everything it references is readable), the invalidation, the probe, and only
 * then the prune.
 */
import type { ResolvedEnvironment } from '../../config/schema';
import { EdgelockError } from '../../errors';
import { compareSite, isHtml, uploadWaves, type RemoteObject, type SiteChanges } from './changes';
import { invalidationPaths, keyToPath } from './invalidation';
import type { LocalFile } from './local-files';
import { decideAcl, type AclDecision, type OwnershipReading } from './ownership';
import type { ProbeTarget } from './verify';

/** The options the planner needs, resolved (see options.ts). */
export interface PlanSettings {
  readonly env: ResolvedEnvironment;
  /** A plain S3 endpoint: no CloudFront behind it. */
  readonly endpoint?: string;
  readonly dryRun: boolean;
  readonly prune: boolean;
  /** The ownership check is on (the option and the config). */
  readonly verifyOwnership: boolean;
  /** The probe is on (the option and the config). */
  readonly verifyProbe: boolean;
  readonly invalidation: { readonly maxPaths: number; readonly wait: boolean; readonly waitSeconds: number };
  readonly probe: {
    readonly paths: number;
    readonly attempts: number;
    /** The environment variable that may hold the probe credentials (named in the skip reason). */
    readonly credentialsEnv: string;
    /** Probe this base URL instead of the distribution. */
    readonly baseUrl?: string;
    /** "user:password", from the option or the environment variable. */
    readonly credentials?: string;
  };
}

/** What was read before deciding (read.ts). */
export interface DeployFacts {
  readonly local: readonly LocalFile[];
  readonly remote: readonly RemoteObject[];
  readonly reading: OwnershipReading;
  /** The bucket owner's canonical ID, when it was needed and GetBucketAcl could read it. */
  readonly bucketOwnerId?: string;
  /** The deploying account, when it was needed and known. */
  readonly callerAccountId?: string;
}

export type DeployStep =
  | { readonly kind: 'upload'; readonly phase: 'upload-assets' | 'upload-html'; readonly files: readonly LocalFile[] }
  | {
      readonly kind: 'verify-ownership';
      readonly phase: 'verify-assets' | 'verify-html';
      /** Every site key of this wave, uploaded or not. */
      readonly keys: readonly string[];
      /** One GetObjectAcl per key; otherwise the ownership mode (or the endpoint) settles it without a request. */
      readonly perObject: boolean;
    }
  | {
      readonly kind: 'invalidate';
      readonly distributionId: string;
      readonly paths: readonly string[];
      /** Wait for Completed, because a probe or a prune depends on it (and deploy.invalidation.wait is on). */
      readonly wait: boolean;
      readonly timeoutMs: number;
    }
  | {
      readonly kind: 'probe';
      readonly targets: readonly ProbeTarget[];
      /** The base URL, or the distribution whose domain is the base URL (read from CloudFront). */
      readonly base: { readonly url: string } | { readonly distributionId: string };
      readonly credentials?: string;
      readonly attempts: number;
    }
  | { readonly kind: 'skip-probe'; readonly reason: string; /** Also said as a warning. */ readonly warn: boolean }
  | {
      readonly kind: 'prune';
      readonly keys: readonly string[];
      /** Prune only once the invalidation shows Completed: until then edges may serve old pages that reference these keys. */
      readonly afterInvalidation: boolean;
    };

export interface DeployPlan {
  readonly kind: 'deploy';
  readonly env: ResolvedEnvironment;
  readonly endpoint?: string;
  readonly dryRun: boolean;
  readonly reading: OwnershipReading;
  readonly acl: AclDecision;
  readonly bucketOwnerId?: string;
  readonly changes: SiteChanges;
  /** Every file to upload: assets, then HTML. */
  readonly uploads: readonly LocalFile[];
  /** The invalidation's paths, and why there is none when there is none. */
  readonly invalidation: { readonly paths: readonly string[]; readonly skipped?: string };
  /** Why each check has not run, until it does ("dry run", "turned off", "not reached"). */
  readonly notRun: { readonly ownership: string; readonly probe: string };
  /** Said once planning is done, before anything is written. */
  readonly warnings: readonly string[];
  /** Empty for a dry run. */
  readonly steps: readonly DeployStep[];
}

/** A deploy refused before anything is written. */
export interface RefusedDeploy {
  readonly kind: 'refused';
  readonly refusal: EdgelockError;
  /** Said before the refusal. */
  readonly warnings: readonly string[];
}

/**
 * What to read after the ownership: the bucket owner's canonical ID unless the bucket is
 * BucketOwnerEnforced (or ownership is unsupported), and the caller's account where it decides:
 * an ObjectWriter bucket on AWS, and an unreadable ownership (which may hide ObjectWriter).
 */
export function ownershipReadsNeeded(reading: OwnershipReading, o: { readonly endpoint?: string }): { readonly bucketOwner: boolean; readonly callerAccount: boolean } {
  const isObjectWriter = reading.kind === 'read' && reading.mode === 'ObjectWriter';
  return {
    bucketOwner: reading.kind === 'denied' || (reading.kind === 'read' && reading.mode !== 'BucketOwnerEnforced'),
    callerAccount: reading.kind === 'denied' || (isObjectWriter && !o.endpoint),
  };
}

/** Chooses the probe targets: changed HTML first, then other changed files (never a multipart one). */
export function probeTargets(files: readonly LocalFile[], count: number): ProbeTarget[] {
  const sorted = [...files].filter((f) => !f.multipart).sort((a, b) => Number(isHtml(b.key)) - Number(isHtml(a.key)));
  return sorted.slice(0, count).map((f) => ({ path: keyToPath(f.key), md5: f.md5 }));
}

function perObjectCheck(acl: AclDecision): boolean {
  return acl.verify === 'owner' || acl.verify === 'owner-or-oai-grant';
}

export function planDeploy(facts: DeployFacts, s: PlanSettings): DeployPlan | RefusedDeploy {
  const { env } = s;
  let acl: AclDecision;
  try {
    acl = decideAcl({
      env,
      reading: facts.reading,
      ...(facts.callerAccountId ? { callerAccountId: facts.callerAccountId } : {}),
      ...(facts.bucketOwnerId ? { bucketOwnerCanonicalId: facts.bucketOwnerId } : {}),
    });
  } catch (err) {
    if (err instanceof EdgelockError) return { kind: 'refused', refusal: err, warnings: [] };
    throw err;
  }
  const perObject = perObjectCheck(acl);
  if (s.verifyOwnership && perObject && !facts.bucketOwnerId) {
    return {
      kind: 'refused',
      warnings: acl.warnings,
      refusal: new EdgelockError(
        `cannot verify object ownership in ${env.bucket}: the bucket owner's canonical ID is unreadable (s3:GetBucketAcl denied). Nothing was written. ` +
          'Allow s3:GetBucketAcl to the deploy role, switch the bucket to BucketOwnerEnforced, or skip the check with --no-verify (deploy.verify.ownership: false).',
        { code: 'DEPLOY_REFUSED' },
      ),
    };
  }

  const changes = compareSite(facts.local, facts.remote, { prune: s.prune });
  const waves = uploadWaves(changes);
  const uploads = [...waves.assets, ...waves.html];
  // Added keys were never cached; changed and deleted ones may be.
  const paths = invalidationPaths([...changes.change.map((f) => f.key), ...changes.delete], s.invalidation.maxPaths);
  const noCloudFront = s.endpoint ? `--endpoint ${s.endpoint} is not behind CloudFront` : !env.distributionId ? `environment "${env.name}" has no distributionId yet` : undefined;
  const invalidationSkipped = paths.length === 0 ? 'nothing changed or deleted' : noCloudFront ? `${noCloudFront}: no invalidation` : undefined;

  const steps: DeployStep[] = [];
  if (!s.dryRun) {
    const siteKeys = (html: boolean) => facts.local.filter((f) => isHtml(f.key) === html).map((f) => f.key);
    steps.push({ kind: 'upload', phase: 'upload-assets', files: waves.assets });
    if (s.verifyOwnership) steps.push({ kind: 'verify-ownership', phase: 'verify-assets', keys: siteKeys(false), perObject });
    steps.push({ kind: 'upload', phase: 'upload-html', files: waves.html });
    if (s.verifyOwnership) steps.push({ kind: 'verify-ownership', phase: 'verify-html', keys: siteKeys(true), perObject });

    const invalidates = !invalidationSkipped && env.distributionId !== undefined;
    if (invalidates) {
      const willProbe = s.verifyProbe && uploads.length > 0;
      steps.push({
        kind: 'invalidate',
        distributionId: env.distributionId!,
        paths,
        wait: s.invalidation.wait && (willProbe || changes.delete.length > 0),
        timeoutMs: s.invalidation.waitSeconds * 1000,
      });
    }

    steps.push(probeStep(s, uploads, noCloudFront));
    if (changes.delete.length > 0) steps.push({ kind: 'prune', keys: changes.delete, afterInvalidation: invalidates });
  }

  return {
    kind: 'deploy',
    env,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    dryRun: s.dryRun,
    reading: facts.reading,
    acl,
    ...(facts.bucketOwnerId ? { bucketOwnerId: facts.bucketOwnerId } : {}),
    changes,
    uploads,
    invalidation: { paths, ...(invalidationSkipped ? { skipped: invalidationSkipped } : {}) },
    notRun: {
      ownership: s.dryRun ? 'dry run' : !s.verifyOwnership ? 'turned off' : 'not reached',
      probe: s.dryRun ? 'dry run' : 'not reached',
    },
    warnings: acl.warnings,
    steps,
  };
}

/** The probe through the distribution (or the given base URL), or why there is none. */
function probeStep(s: PlanSettings, uploads: readonly LocalFile[], noCloudFront: string | undefined): DeployStep {
  const { env } = s;
  if (!s.verifyProbe) return { kind: 'skip-probe', reason: 'turned off', warn: false };
  if (uploads.length === 0) return { kind: 'skip-probe', reason: 'nothing was uploaded', warn: false };
  if (!s.probe.baseUrl && noCloudFront) return { kind: 'skip-probe', reason: `${noCloudFront}: no probe`, warn: false };
  if (env.auth && !s.probe.credentials) {
    return { kind: 'skip-probe', reason: `environment "${env.name}" has auth and no probe credentials were given (--probe-credentials or $${s.probe.credentialsEnv})`, warn: true };
  }
  const url = s.probe.baseUrl ?? (env.domain ? `https://${env.domain}` : undefined);
  return {
    kind: 'probe',
    targets: probeTargets(uploads, s.probe.paths),
    // Without a base URL or a domain, CloudFront is there (noCloudFront is unset), so the distribution ID is too.
    base: url ? { url } : { distributionId: env.distributionId! },
    ...(env.auth && s.probe.credentials ? { credentials: s.probe.credentials } : {}),
    attempts: s.probe.attempts,
  };
}
