/**
 * The deploy plan: decided from what was read (the site, the bucket listing, the bucket's Object
 * Ownership, the accounts) and the resolved options, without any I/O. It names every step the
 * deploy takes, in order, and why each one it leaves out is left out; `execute.ts` carries it out.
 *
 * The order is the deployer's promise: assets, their ownership check, HTML, its check (a page goes
 * live only once everything it references is readable), header fixes on unchanged objects, the
 * invalidation, the probe, then the prune, and last the deploy record. Before any of it, a site
 * with secret-looking files or a prune past deploy.maxDeletes is refused.
 */
import type { ResolvedEnvironment } from '../../config/schema';
import { EdgelockError } from '../../errors';
import { compareSite, isHtml, uploadWaves, type PlannedFile, type RemoteObject, type SiteChanges } from './changes';
import { invalidationPaths, keyToPath } from './invalidation';
import type { LocalFile, ScannedSite } from './local-files';
import { cacheControlResolver, contentTypeFor, type CacheRule } from './object-headers';
import { decideAcl, type AclDecision, type OwnershipReading } from './ownership';
import { patternMatcher } from './patterns';
import { refuseMissingReferences, type MissingReference } from './preflight';
import { decidePrune, type PruneRules } from './prune';
import { PENDING_FORMAT, pendingKey, RECORDED_OBJECT_FIELDS, recordKey, writtenByEdgelock, type DeployRecord, type RecordedObject } from './record';
import type { SkippedFile } from './site-filter';
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
  /** This deploy's ID (record.ts newDeployId) and start time. */
  readonly deployId: string;
  readonly now: Date;
  /** origin.prettyUrls: a changed `dir/index.html` also invalidates `/dir`. */
  readonly prettyUrls?: boolean;
  /** deploy.cacheControl */
  readonly cacheControl?: readonly CacheRule[];
  /** deploy.allowSecrets: secret-looking files published on purpose. */
  readonly allowSecrets: readonly string[];
  /** deploy.prefix, --adopt, deploy.exclude, deploy.maxDeletes, --allow-deletes (prune is the field above). */
  readonly pruning: Omit<PruneRules, 'prune'>;
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

/** The last deploy record under the prefix, as read. */
export type RecordFact =
  | { readonly kind: 'none' }
  | { readonly kind: 'found'; readonly key: string; readonly record: DeployRecord }
  /** There is a record, but it is not one edgelock wrote (or not readable as one): it is not trusted. */
  | { readonly kind: 'invalid'; readonly key: string; readonly problem: string };

/** What was read before deciding (read.ts). */
export interface DeployFacts {
  /** The files to publish (keys with the prefix). */
  readonly local: readonly LocalFile[];
  /** Files of the site folder not published, and why. */
  readonly skipped?: readonly SkippedFile[];
  /** The bucket's keys under the prefix, edgelock's own records left out. */
  readonly remote: readonly RemoteObject[];
  readonly record?: RecordFact;
  readonly reading: OwnershipReading;
  /** The bucket owner's canonical ID, when it was needed and GetBucketAcl could read it. */
  readonly bucketOwnerId?: string;
  /** The deploying account, when it was needed and known. */
  readonly callerAccountId?: string;
  /**
   * The pre-flight (preflight-read.ts): references that lead to files the site does not have refuse
   * the deploy; keys the site still references without publishing them are never pruned.
   */
  readonly preflight?: {
    readonly missing: readonly MissingReference[];
    readonly held: ReadonlyMap<string, string>;
    /** How many documents' references came from the reference cache, and how many were parsed. */
    readonly documents?: { readonly cached: number; readonly parsed: number };
    /** Why the reference cache was not used or not written, when it was not. */
    readonly note?: string;
  };
  /** What `remote` came from: a full listing (and why one was needed), or the last record and a HEAD per recorded key the site dropped. @default a listing */
  readonly basis?: ComparisonBasis;
  /** How the local digests were found (digest-cache.ts). */
  readonly digests?: ScannedSite['digests'];
  /** Pending markers found beside the records (record.ts pendingKey). */
  readonly pendingMarkers?: readonly string[];
}

export type ComparisonBasis = { readonly kind: 'listing'; readonly reason: string } | { readonly kind: 'record'; readonly heads: number };

export type DeployStep =
  | { readonly kind: 'upload'; readonly phase: 'upload-assets' | 'upload-html'; readonly files: readonly PlannedFile[] }
  /** Unchanged objects get the headers the rules give them, by an in-place CopyObject (no re-upload). */
  | { readonly kind: 'restamp'; readonly files: readonly PlannedFile[] }
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
      /** What the record says about each key, carried into the new record when the prune does not happen. */
      readonly recorded: readonly RecordedObject[];
      /**
       * The invalidation the last deploy created on this distribution: prune only once it shows
       * Completed too (it may have been left in progress, with deploy.invalidation.wait false).
       */
      readonly previousInvalidation?: { readonly distributionId: string; readonly id: string };
    }
  /**
   * Before the first write: `<id>.pending` beside the records, so that a deploy that dies leaves a
   * trace. Its own record (same ID, written last) settles it (record.ts pendingKey).
   */
  | { readonly kind: 'mark-pending'; readonly key: string; readonly body: string }
  | {
      readonly kind: 'record';
      readonly key: string;
      /**
       * The record without the ETags of what this deploy uploads or restamps (the executor fills them
       * from S3's answers): `objects` in key order, their `etag` the listing's until then.
       */
      readonly record: DeployRecord;
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
  /** Files of the site folder not published, and why. */
  readonly skipped: readonly SkippedFile[];
  /** Every file to upload: assets, then HTML. */
  readonly uploads: readonly PlannedFile[];
  /** The record this plan trusted for pruning and change detection, and the one the deploy writes. */
  readonly record: { readonly previous?: string; readonly next: string; readonly id: string; readonly untrusted?: string };
  /** The invalidation's paths, and why there is none when there is none. */
  readonly invalidation: { readonly paths: readonly string[]; readonly skipped?: string };
  /** Why each check has not run, until it does ("dry run", "turned off", "not reached"). */
  readonly notRun: { readonly ownership: string; readonly probe: string };
  /** What the comparison was made against, and how many local digests came from the digest cache. */
  readonly compared: {
    readonly basis: ComparisonBasis;
    readonly digests?: { readonly cached: number; readonly hashed: number };
    /** The pre-flight's documents: references from the reference cache, or parsed. */
    readonly documents?: { readonly cached: number; readonly parsed: number };
  };
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

/** The refusal for secret-looking files `deploy.allowSecrets` does not name, if any. */
export function refuseSecrets(files: readonly LocalFile[], allowSecrets: readonly string[], prefix: string): EdgelockError | undefined {
  const allowed = patternMatcher(allowSecrets);
  const found = files.filter((f) => f.secret !== undefined && !allowed(f.key.slice(prefix.length)));
  if (found.length === 0) return undefined;
  const lines = found.map((f) => `  ${f.key.slice(prefix.length)}: ${f.secret}`).join('\n');
  return new EdgelockError(
    `refusing to deploy: ${found.length} file(s) in the site folder look like secrets, and nothing was written:\n${lines}\n` +
      'Remove them from the site folder (or add them to deploy.exclude). If one is meant to be public (say, a public certificate), ' +
      `name it in deploy.allowSecrets, e.g. allowSecrets: [${JSON.stringify(found[0]!.key.slice(prefix.length))}].`,
    { code: 'DEPLOY_REFUSED_SECRETS' },
  );
}

/** Each file with the headers the rules give it. */
export function withHeaders(files: readonly LocalFile[], rules: readonly CacheRule[] | undefined, prefix: string): PlannedFile[] {
  const cacheControl = cacheControlResolver(rules);
  return files.map((f) => ({ ...f, contentType: contentTypeFor(f.key), cacheControl: cacheControl(f.key.slice(prefix.length)) }));
}

export function planDeploy(facts: DeployFacts, s: PlanSettings): DeployPlan | RefusedDeploy {
  const { env } = s;
  const prefix = s.pruning.prefix;
  const secrets = refuseSecrets(facts.local, s.allowSecrets, prefix);
  if (secrets) return { kind: 'refused', refusal: secrets, warnings: [] };
  const broken = refuseMissingReferences(facts.preflight?.missing ?? []);
  if (broken) return { kind: 'refused', refusal: broken, warnings: [] };
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

  const recordFact = facts.record ?? { kind: 'none' };
  const previous = recordFact.kind === 'found' ? recordFact.record : undefined;
  const written = writtenByEdgelock(previous);
  const local = withHeaders(facts.local, s.cacheControl, prefix);
  const compared = compareSite(local, facts.remote, written);
  const pruned = decidePrune(compared.gone, written, previous !== undefined, facts.remote.length, { ...s.pruning, prune: s.prune, ...(facts.preflight ? { referenced: facts.preflight.held } : {}) });
  if (pruned.tooMany) return { kind: 'refused', refusal: new EdgelockError(pruned.tooMany, { code: 'DEPLOY_REFUSED_TOO_MANY_DELETES' }), warnings: acl.warnings };
  const changes: SiteChanges = { add: compared.add, change: compared.change, unchanged: compared.unchanged, restamp: compared.restamp, delete: pruned.delete, kept: pruned.kept };
  const warnings = [...acl.warnings];
  if (facts.digests?.note) warnings.push(facts.digests.note);
  if (facts.preflight?.note) warnings.push(facts.preflight.note);
  if (recordFact.kind === 'invalid') {
    warnings.push(`the last deploy record is not trusted, so nothing is pruned and it is not used to detect changes: ${recordFact.problem}. This deploy writes a new record.`);
  }
  const waves = uploadWaves(changes);
  const uploads = [...waves.assets, ...waves.html];
  // Added keys were never cached; changed, restamped and deleted ones may be.
  // Viewer paths are keys without deploy.prefix (the distribution's origin path adds it back).
  const viewerKey = (key: string): string => key.slice(prefix.length);
  const paths = invalidationPaths([...changes.change.map((f) => f.key), ...changes.restamp.map((f) => f.key), ...changes.delete].map(viewerKey), s.invalidation.maxPaths, {
    prettyUrls: s.prettyUrls ?? false,
  });
  const noCloudFront = s.endpoint ? `--endpoint ${s.endpoint} is not behind CloudFront` : !env.distributionId ? `environment "${env.name}" has no distributionId yet` : undefined;
  const invalidationSkipped = paths.length === 0 ? 'nothing changed or deleted' : noCloudFront ? `${noCloudFront}: no invalidation` : undefined;

  const steps: DeployStep[] = [];
  const basis: ComparisonBasis = facts.basis ?? { kind: 'listing', reason: 'listed' };
  if (!s.dryRun) {
    const writesObjects = uploads.length > 0 || changes.restamp.length > 0 || changes.delete.length > 0;
    const marker = pendingKey(prefix, s.deployId);
    if (writesObjects) steps.push({ kind: 'mark-pending', key: marker, body: `${JSON.stringify({ format: PENDING_FORMAT, id: s.deployId, time: s.now.toISOString(), environment: env.name, previous: recordFact.kind === 'found' ? recordFact.record.id : null })}\n` });
    const siteKeys = (html: boolean) => facts.local.filter((f) => isHtml(f.key) === html).map((f) => f.key);
    steps.push({ kind: 'upload', phase: 'upload-assets', files: waves.assets });
    if (s.verifyOwnership) steps.push({ kind: 'verify-ownership', phase: 'verify-assets', keys: siteKeys(false), perObject });
    steps.push({ kind: 'upload', phase: 'upload-html', files: waves.html });
    if (s.verifyOwnership) steps.push({ kind: 'verify-ownership', phase: 'verify-html', keys: siteKeys(true), perObject });
    if (changes.restamp.length > 0) steps.push({ kind: 'restamp', files: changes.restamp });

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

    steps.push(probeStep(s, uploads.map((f) => ({ ...f, key: viewerKey(f.key) })), noCloudFront));
    if (changes.delete.length > 0) {
      const before = previous?.invalidation;
      steps.push({
        kind: 'prune',
        keys: changes.delete,
        afterInvalidation: invalidates,
        recorded: changes.delete.flatMap((k) => written.get(k) ?? []),
        ...(invalidates && before && before.distributionId === env.distributionId ? { previousInvalidation: before } : {}),
      });
    }
    const next = nextRecord(s, local, facts.remote, pruned.retained, previous, recordFact);
    // A deploy that writes nothing leaves the last record true: no new one.
    const writesNothing = uploads.length === 0 && changes.restamp.length === 0 && changes.delete.length === 0;
    // A full listing that planned past a pending marker (a deploy that wrote objects and no record)
    // settles it by writing a record even when nothing else changed: markers older than the newest
    // record are settled (record.ts pendingKey).
    const lastId = previous?.id ?? '';
    const unsettled = (facts.pendingMarkers ?? []).some((k) => k > pendingKey(prefix, lastId));
    if (!(writesNothing && previous && sameContents(previous, next) && !unsettled)) steps.push({ kind: 'record', key: recordKey(prefix, s.deployId), record: next });
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
    skipped: facts.skipped ?? [],
    uploads,
    record: {
      ...(recordFact.kind !== 'none' ? { previous: recordFact.key } : {}),
      next: recordKey(prefix, s.deployId),
      id: s.deployId,
      ...(recordFact.kind === 'invalid' ? { untrusted: recordFact.problem } : {}),
    },
    invalidation: { paths, ...(invalidationSkipped ? { skipped: invalidationSkipped } : {}) },
    compared: {
      basis,
      ...(facts.digests ? { digests: { cached: facts.digests.cached, hashed: facts.digests.hashed } } : {}),
      ...(facts.preflight?.documents ? { documents: facts.preflight.documents } : {}),
    },
    notRun: {
      ownership: s.dryRun ? 'dry run' : !s.verifyOwnership ? 'turned off' : 'not reached',
      probe: s.dryRun ? 'dry run' : 'not reached',
    },
    warnings,
    steps,
  };
}

/**
 * Whether carrying out (or, for a dry run, showing) the plan writes anything to the bucket: only
 * then does the ACL matter, so only then is the bucket's Object Ownership read (index.ts).
 */
export function planWrites(plan: DeployPlan): boolean {
  const c = plan.changes;
  return plan.uploads.length > 0 || c.restamp.length > 0 || c.delete.length > 0 || plan.steps.some((s) => s.kind === 'record' || s.kind === 'mark-pending');
}

/** Two records list the same objects and retained keys, with the same ETags and headers. */
export function sameContents(a: DeployRecord, b: DeployRecord): boolean {
  return a.prefix === b.prefix && sameObjects(a.objects, b.objects) && sameObjects(a.retained, b.retained);
}


/** Field by field, in order (a record's objects are strict: these are all the fields they have). */
function sameObjects(a: readonly RecordedObject[], b: readonly RecordedObject[]): boolean {
  return a.length === b.length && a.every((o, i) => RECORDED_OBJECT_FIELDS.every((f) => o[f] === b[i]![f]));
}

/** The record this deploy will write, with the listing's ETags until the executor knows the stored ones. */
function nextRecord(s: PlanSettings, local: readonly PlannedFile[], remote: readonly RemoteObject[], retained: readonly RecordedObject[], previous: DeployRecord | undefined, fact: RecordFact): DeployRecord {
  const listed = new Map(remote.map((r) => [r.key, r.etag]));
  return {
    format: 'edgelock.deploy-record/1',
    id: s.deployId,
    time: s.now.toISOString(),
    environment: s.env.name,
    bucket: s.env.bucket,
    prefix: s.pruning.prefix,
    adopted: s.pruning.adopt,
    ...(fact.kind !== 'none' ? { previous: previous?.id ?? fact.key } : {}),
    objects: local.map((f) => ({
      key: f.key,
      md5: f.md5,
      etag: listed.get(f.key) ?? f.etag,
      size: f.size,
      contentType: f.contentType,
      cacheControl: f.cacheControl,
      ...(f.contentEncoding ? { contentEncoding: f.contentEncoding } : {}),
    })),
    retained: [...retained],
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
