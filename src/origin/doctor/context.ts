/**
 * What the doctor knows about one environment, and the only way a check learns anything: every
 * AWS answer comes from the read module ({@link AwsReads}, each call made at most once and shared
 * by the checks), and every derived fact (the key, the origin serving it, the CloudFront principal,
 * the request S3 evaluates, the object's ownership) from the pure functions in facts.ts. A check
 * is a function of this context alone.
 */
import type { PolicySummary, PolicyType } from '@aws-sdk/client-organizations';
import type { AccessPoint } from '@aws-sdk/client-s3-control';
import type { ResolvedEnvironment } from '../../config/schema';
import type { EdgeConfig } from '../../edge/config';
import { bucketArn, distributionArn, type EvalRequest } from '../policy';
import { seenError, type DoctorClients, type Fetched } from './aws';
import { describeRefusal } from './denial';
import { cloudFrontFunctionName, readInvoke, readTestResult } from './replay';
import { cloudFrontRequest, configuredAccess, isAccessPointAlias, type AccessPointFacts, type ObjectLambdaFacts, type ObjectLambdaRef, keyToCheck, originFacts, ownershipFacts, requestAccess, routeFor, type OriginAccess, type OriginFacts, type OwnershipFacts } from './facts';
import { AwsReads } from './read';
import { deriveKey, type DerivedKey, type Replayer, type ReplayResult } from './request-path';

export { describeAccess, type EndpointKind, type OriginAccess, type OriginFacts, type OwnershipFacts } from './facts';

export interface DoctorOptions {
  readonly env: ResolvedEnvironment;
  readonly distributionId: string;
  /** Object key without a leading slash; undefined: the distribution's root object. */
  readonly key?: string;
  readonly clients: DoctorClients;
  /** What the environment's edge bundles were built with (for the guard check). */
  readonly edge?: EdgeConfig;
  /** Run functions that are not edgelock's where they live (TestFunction, Lambda Invoke) to follow the key past them. */
  readonly replay?: boolean;
}

/** An Organizations policy attached to the account, one of its OUs or the root. */
export interface AttachedPolicy {
  readonly target: string;
  readonly summary: PolicySummary;
  /** The policy document as JSON text. */
  readonly content: string;
}

/** One step of the walk through the organization, in the order it was made. */
export type OrganizationStep =
  | { readonly kind: 'parents'; readonly fetched: Fetched<{ Parents?: { Id?: string; Type?: string }[] }> }
  | { readonly kind: 'policies'; readonly fetched: Fetched<{ Policies?: PolicySummary[] }> };

export interface OrganizationPolicies {
  /** The ListParents and ListPoliciesForTarget answers, in order (the evidence). */
  readonly steps: readonly OrganizationStep[];
  /** The attached policies, or the answer that stopped the walk. */
  readonly result: Fetched<AttachedPolicy[]>;
}

/** An Object Lambda access point origin, and what S3 Control says about it. */
export interface ObjectLambdaLookup {
  readonly ref: ObjectLambdaRef;
  /** The calls made to resolve it, in order (the evidence). */
  readonly steps: readonly Fetched<unknown>[];
  /** The answer that stopped the lookup, when one did. */
  readonly failed?: Fetched<unknown> & { ok: false };
  readonly found?: ObjectLambdaFacts;
}

/** The access point the origin reaches S3 through, and what the account's access points say about it. */
export interface AccessPointLookup {
  /** How the origin names it, for sentences ("access point alias x-s3alias"). */
  readonly ref: string;
  readonly list: Fetched<AccessPoint[]>;
  readonly found?: AccessPointFacts;
}

export class DoctorContext {
  readonly env: ResolvedEnvironment;
  readonly bucket: string;
  readonly distributionId: string;
  readonly distributionArn: string;
  readonly edge?: EdgeConfig;
  /** Every AWS answer the checks use. */
  readonly aws: AwsReads;
  private readonly givenKey?: string;
  private readonly replay: boolean;
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(o: DoctorOptions) {
    this.env = o.env;
    this.bucket = o.env.bucket;
    this.distributionId = o.distributionId;
    this.distributionArn = distributionArn(o.env.accountId, o.distributionId);
    this.aws = new AwsReads({ clients: o.clients, accountId: o.env.accountId, bucket: o.env.bucket, distributionId: o.distributionId });
    if (o.edge) this.edge = o.edge;
    this.replay = !!o.replay;
    if (o.key !== undefined) this.givenKey = o.key.replace(/^\/+/, '');
  }

  private once<T>(id: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(id) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(id, p);
    }
    return p;
  }

  /** The path the viewer asks for (without its leading slash): --key, else the distribution's root object. */
  async viewer(): Promise<{ key: string; source: string }> {
    if (this.givenKey !== undefined) return { key: this.givenKey, source: '--key' };
    return keyToCheck(undefined, await this.aws.distributionConfig());
  }

  /**
   * The S3 key CloudFront asks for: the viewer's path through the behaviour's functions and the
   * origin's OriginPath (see request-path.ts). `derived` is undefined when the distribution could
   * not be read (the viewer's path stands in) or the path is empty.
   */
  key(): Promise<{ key: string; source: string; derived?: DerivedKey }> {
    return this.once('key', async () => {
      const viewer = await this.viewer();
      const o = await this.origin();
      if (!o || viewer.key === '') return viewer;
      const access = o.access.kind === 'oai' ? 'oai' : 'oac';
      const derived = await deriveKey({
        viewerPath: `/${viewer.key}`,
        behavior: o.behavior.value,
        ...(o.origin ? { origin: o.origin } : {}),
        ...(this.edge ? { edge: this.edge } : {}),
        accountId: this.env.accountId,
        bucket: this.bucket,
        region: this.env.region,
        access,
        distribution: await this.replayDistribution(),
        ...(this.replay ? { replay: this.replayer() } : {}),
      });
      return { key: derived.key, source: viewer.source, derived };
    });
  }

  /** The distribution synthesized events name: its ID, and its first alias as the Host (else the documented example host). */
  private async replayDistribution() {
    const d = await this.aws.distributionConfig();
    const alias = d.ok ? d.value.Aliases?.Items?.[0] : undefined;
    return { distributionId: this.distributionId, host: alias ?? 'd111111abcdef8.cloudfront.net' };
  }

  /** Replays through AwsReads: every call is evidence; a refusal names the action refused. */
  private replayer(): Replayer {
    const step = (f: Fetched<unknown>, seen: string) => ({ step: f.call, seen: f.ok ? seen : seenError(f) });
    const why = (f: Fetched<unknown> & { ok: false }) => (f.refusal ? `refused ${f.refusal.action ?? f.call}: ${describeRefusal(f.refusal)}` : `${f.code}${f.status ? ` (HTTP ${f.status})` : ''}`);
    return {
      cloudFrontFunction: async (arn, event, what): Promise<ReplayResult> => {
        const name = cloudFrontFunctionName(arn);
        if (!name) return { ok: false, why: `${arn} is not a CloudFront Function ARN`, calls: [] };
        const d = await this.aws.describeFunction(name);
        const calls = [step(d, d.ok ? `ETag ${d.value.etag}, Status ${d.value.summary?.Status ?? '?'}, Runtime ${d.value.summary?.FunctionConfig?.Runtime ?? '?'}` : '')];
        if (!d.ok) return { ok: false, why: why(d), calls };
        const t = await this.aws.testFunction(name, d.value.etag, event, what);
        calls.push(step(t, t.ok ? (t.value.FunctionErrorMessage ? `FunctionErrorMessage: ${t.value.FunctionErrorMessage}` : `FunctionOutput ${t.value.FunctionOutput ?? '(none)'}`) : ''));
        if (!t.ok) return { ok: false, why: why(t), calls };
        return { ok: true, outcome: readTestResult(t.value), calls };
      },
      lambda: async (arn, event, what): Promise<ReplayResult> => {
        const r = await this.aws.invoke(arn, event, what);
        const calls = [step(r, r.ok ? `StatusCode ${r.value.StatusCode ?? '?'}${r.value.FunctionError ? `, FunctionError ${r.value.FunctionError}` : ''}, Payload ${r.value.Payload ? new TextDecoder().decode(r.value.Payload).slice(0, 300) : '(none)'}` : '')];
        if (!r.ok) return { ok: false, why: why(r), calls };
        return { ok: true, outcome: readInvoke(r.value), calls };
      },
    };
  }

  /** Which behaviour and origin serve the key, and how the origin is accessed. Undefined when the distribution is unreadable. */
  origin(): Promise<OriginFacts | undefined> {
    return this.once('origin', async () => {
      const d = await this.aws.distributionConfig();
      if (!d.ok) return undefined;
      const route = routeFor(d.value, (await this.viewer()).key);
      const ref = route.accessRef;
      const oac = ref.kind === 'oac' ? await this.aws.originAccessControl(ref.id) : undefined;
      const oai = ref.kind === 'oai' ? await this.aws.originAccessIdentity(ref.id) : undefined;
      return originFacts(route, oac, oai);
    });
  }

  /**
   * The access the checks evaluate policies for: the distribution's (an OAC that never signs is
   * anonymous), else what the config says.
   */
  async access(): Promise<OriginAccess> {
    const o = await this.origin();
    return o ? requestAccess(o.access) : configuredAccess(this.env.originAccess);
  }

  /** The request S3 (or KMS, or an RCP) evaluates when CloudFront fetches the key (through the origin's access point, when it has one). */
  async request(action: string, resource: string): Promise<EvalRequest> {
    const ap = await this.accessPoint();
    const via = ap ? (ap.found ?? 'unresolved') : undefined;
    const calledVia = (await this.origin())?.objectLambda ? 's3-object-lambda.amazonaws.com' : undefined;
    return cloudFrontRequest(await this.access(), { distributionArn: this.distributionArn, accountId: this.env.accountId, ...(via ? { via } : {}), ...(calledVia ? { calledVia } : {}) }, action, resource);
  }

  /**
   * The access point the origin names by its alias (`...-s3alias`), resolved among the account's
   * access points; undefined when the origin is not an access point alias. `found` is undefined
   * when the list could not be read or holds no access point with that alias.
   */
  accessPoint(): Promise<AccessPointLookup | undefined> {
    return this.once('access-point', async () => {
      const o = await this.origin();
      if (!o) return undefined;
      let match: (a: AccessPoint) => boolean;
      let ref: string;
      if (o.objectLambda) {
        // Through an Object Lambda access point, S3 is reached through its supporting access point.
        const ol = await this.objectLambda();
        const arn = ol?.found?.supportingAccessPoint;
        if (!arn) return { ref: 'the Object Lambda access point\'s supporting access point', list: { ok: false, call: 'supporting access point', code: 'Unresolved', denied: false, message: 'the Object Lambda access point could not be resolved' } };
        ref = `supporting access point ${arn}`;
        match = (a) => a.AccessPointArn === arn || a.Name === arn.replace(/^.*:accesspoint\//, '');
      } else if (isAccessPointAlias(o.originBucket)) {
        ref = `access point alias ${o.originBucket}`;
        match = (a) => a.Alias === o.originBucket;
      } else return undefined;
      const list = await this.aws.accessPoints();
      const ap = list.ok ? list.value.find(match) : undefined;
      const found: AccessPointFacts | undefined = ap
        ? {
            name: ap.Name!,
            arn: ap.AccessPointArn ?? `arn:aws:s3:${o.originRegion ?? this.env.region}:${this.env.accountId}:accesspoint/${ap.Name}`,
            alias: ap.Alias ?? '',
            bucket: ap.Bucket!,
            ...(ap.BucketAccountId ? { bucketAccountId: ap.BucketAccountId } : {}),
            networkOrigin: ap.NetworkOrigin ?? 'Internet',
            accountId: this.env.accountId,
          }
        : undefined;
      return { ref, list, ...(found ? { found } : {}) };
    });
  }

  /**
   * The S3 Object Lambda access point the origin names, with its configuration; undefined when the
   * origin is not one. `found` is undefined when it could not be resolved (see `steps`).
   */
  objectLambda(): Promise<ObjectLambdaLookup | undefined> {
    return this.once('object-lambda', async () => {
      const o = await this.origin();
      const ref = o?.objectLambda;
      if (!ref) return undefined;
      const steps: Fetched<unknown>[] = [];
      let name: string | undefined;
      if ('alias' in ref) {
        const list = await this.aws.objectLambdaAccessPoints();
        steps.push(list);
        if (!list.ok) return { ref, steps, failed: list };
        name = list.value.find((a) => a.Alias?.Value === ref.alias)?.Name;
        if (!name) return { ref, steps };
      } else {
        if (ref.accountId !== this.env.accountId) return { ref, steps };
        name = ref.name;
      }
      const config = await this.aws.objectLambdaConfiguration(name);
      steps.push(config);
      if (!config.ok) return { ref, steps, failed: config };
      const region = o!.originRegion ?? this.env.region;
      const found: ObjectLambdaFacts = {
        name,
        arn: `arn:aws:s3-object-lambda:${region}:${this.env.accountId}:accesspoint/${name}`,
        supportingAccessPoint: config.value.SupportingAccessPoint ?? '',
        functionArns: (config.value.TransformationConfigurations ?? []).map((t) => t.ContentTransformation?.AwsLambda?.FunctionArn).filter((f): f is string => !!f),
      };
      return { ref, steps, found };
    });
  }

  /** The key's listing entry with its owner (undefined: no such key). */
  async listing() {
    return this.aws.listObject((await this.key()).key);
  }

  async objectAcl() {
    return this.aws.objectAcl((await this.key()).key);
  }

  async headObject() {
    return this.aws.headObject((await this.key()).key);
  }

  /** Who owns the key against who owns the bucket (the object's ACL is read only when the key may exist). */
  async ownership(): Promise<OwnershipFacts> {
    const [own, bacl, listing] = await Promise.all([this.aws.ownershipControls(), this.aws.bucketAcl(), this.listing()]);
    const acl = listing.ok && listing.value === undefined ? undefined : await this.objectAcl();
    return ownershipFacts(own, bacl, listing, acl);
  }

  /** The SCPs and RCPs attached to the account and its parents (OUs, root), walking up from the account. */
  organizationPolicies(): Promise<OrganizationPolicies> {
    return this.once('organizations', async () => {
      const steps: OrganizationStep[] = [];
      const stop = (result: Fetched<never>): OrganizationPolicies => ({ steps, result });
      const targets = [this.env.accountId];
      // Walk up: account → OUs → root.
      for (let child = this.env.accountId, depth = 0; depth < 6; depth++) {
        const parents = await this.aws.listParents(child);
        steps.push({ kind: 'parents', fetched: parents });
        if (!parents.ok) return stop(parents);
        const p = parents.value.Parents?.[0];
        if (!p?.Id) break;
        targets.push(p.Id);
        if (p.Type === 'ROOT') break;
        child = p.Id;
      }
      const out: AttachedPolicy[] = [];
      for (const target of targets) {
        for (const type of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as PolicyType[]) {
          const list = await this.aws.listPoliciesForTarget(target, type);
          steps.push({ kind: 'policies', fetched: list });
          if (!list.ok) {
            // RCPs may simply not be enabled in the organization.
            if (type === 'RESOURCE_CONTROL_POLICY' && list.code === 'PolicyTypeNotEnabledException') continue;
            return stop(list);
          }
          for (const summary of list.value.Policies ?? []) {
            const d = await this.aws.describePolicy(summary.Id!);
            if (!d.ok) return stop(d);
            out.push({ target, summary: { ...summary, Type: summary.Type ?? type }, content: d.value.Policy?.Content ?? '{"Statement":[]}' });
          }
        }
      }
      return { steps, result: { ok: true, value: out, call: 'organizations policies' } };
    });
  }

  objectArn(key: string): string {
    return `${bucketArn(this.bucket)}/${key}`;
  }
}
