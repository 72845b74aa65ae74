/**
 * The S3 key CloudFront really asks for, derived from the viewer's path: the behaviour its path
 * pattern selects, the functions associated with that behaviour (viewer-request, origin-request),
 * and the origin's OriginPath, which CloudFront puts in front of the path after origin-request.
 *
 * edgelock's own Lambda@Edge functions (named `<project>-<environment>-<event>`) are replayed
 * locally from source with the environment's config: the viewer-request check passes a request on
 * unchanged (or answers 401), the origin-request guard maps directories and, when configured,
 * extensionless paths to their index document. Any other function, a CloudFront Function or
 * someone else's Lambda@Edge, may rewrite the path in a way the doctor cannot know: with a
 * {@link Replayer} (`--replay`) it is run where it lives on a synthesized event and its answer
 * followed; without one, or when the replay is refused or fails, the key is unknown past that
 * function, and the doctor says so rather than guess.
 */
import type { CacheBehavior, DefaultCacheBehavior, Origin } from '@aws-sdk/client-cloudfront';
import type { EdgeConfig } from '../../edge/config';
import { originRequestEvent } from '../../edge/cloudfront';
import { createHandler as createOriginRequest } from '../../edge/origin-request';
import { cloudFrontFunctionEvent, lambdaEdgeEvent, type ReplayDistribution, type ReplayOutcome } from './replay';

export interface KeyStep {
  readonly step: string;
  readonly seen: string;
}

export type DerivedKey =
  | { readonly known: true; readonly key: string; readonly steps: readonly KeyStep[] }
  | {
      readonly known: false;
      /** The key if the function did not rewrite the path (never a finding). */
      readonly key: string;
      readonly unknownPast: string;
      /** `--replay` could run that function where it lives (it was not asked to). */
      readonly replayable?: true;
      readonly steps: readonly KeyStep[];
    };

/** A replay where the function lives: its outcome, or why there is none; `calls` are the evidence. */
export type ReplayResult = { readonly ok: true; readonly outcome: ReplayOutcome; readonly calls: readonly KeyStep[] } | { readonly ok: false; readonly why: string; readonly calls: readonly KeyStep[] };

/** Runs functions that are not edgelock's where they live (see replay.ts; the calls are made by the doctor's context). */
export interface Replayer {
  cloudFrontFunction(arn: string, event: object, what: string): Promise<ReplayResult>;
  lambda(arn: string, event: object, what: string): Promise<ReplayResult>;
}

export interface DeriveInput {
  /** The viewer's path, with its leading slash, percent-encoded as sent. */
  readonly viewerPath: string;
  readonly behavior: DefaultCacheBehavior | CacheBehavior;
  readonly origin?: Origin;
  /** The environment's edge config (from edgelock.config), to replay edgelock's own functions. */
  readonly edge?: EdgeConfig;
  readonly accountId: string;
  readonly bucket: string;
  readonly region: string;
  readonly access: 'oac' | 'oai';
  /** The distribution synthesized events name. */
  readonly distribution?: ReplayDistribution;
  /** Set with --replay: functions that are not edgelock's are run where they live. */
  readonly replay?: Replayer;
}

/** `arn:aws:lambda:us-east-1:123:function:name:7` → { account, name, version }. */
function lambdaOf(arn: string): { account?: string; name?: string; version?: string } {
  const m = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(arn);
  return m ? { account: m[1]!, name: m[2]!, ...(m[3] ? { version: m[3] } : {}) } : {};
}

/** Whether `arn` is edgelock's own function for `event` in the environment's account (`<project>-<environment>-<event>`). */
export function isEdgelockFunction(edge: EdgeConfig, accountId: string, event: string, arn: string): boolean {
  const l = lambdaOf(arn);
  return l.account === accountId && l.name === `${edge.project}-${edge.environment}-${event}`;
}

/** The S3 key of a path at the origin: OriginPath in front, percent-decoding as S3 does, no leading slash. */
export function keyAtOrigin(uri: string, originPath: string | undefined): string {
  const full = `${(originPath ?? '').replace(/\/+$/, '')}${uri}`;
  let decoded = full;
  try {
    decoded = decodeURIComponent(full);
  } catch {
    // A malformed escape reaches S3 as sent.
  }
  return decoded.replace(/^\/+/, '');
}

export async function deriveKey(i: DeriveInput): Promise<DerivedKey> {
  const steps: KeyStep[] = [{ step: 'viewer path', seen: i.viewerPath }];
  let uri = i.viewerPath;
  const unknownPast = (what: string, replayable = false): DerivedKey => {
    const key = keyAtOrigin(uri, i.origin?.OriginPath);
    steps.push({ step: 'S3 key', seen: `unknown past ${what}; ${key} if it does not rewrite the path` });
    return { known: false, key, unknownPast: what, ...(replayable ? { replayable: true as const } : {}), steps };
  };
  const distribution: ReplayDistribution = i.distribution ?? { distributionId: 'EDFDVBD6EXAMPLE', host: 'd111111abcdef8.cloudfront.net' };
  /** Follows a replay's answer: the URI it passes on, or the reason the key is unknown past it. */
  const follow = (what: string, label: string, r: ReplayResult): DerivedKey | undefined => {
    steps.push(...r.calls);
    if (!r.ok) return unknownPast(`${what}, which could not be replayed (${r.why})`);
    const o = r.outcome;
    for (const note of o.notes) steps.push({ step: `${label} said`, seen: note });
    if (o.kind === 'failed') return unknownPast(`${what}, whose replay failed (${o.why})`);
    if (o.kind === 'response') {
      steps.push({ step: label, seen: `answers ${o.status} itself: S3 is not asked` });
      return unknownPast(`${what}, which answers ${o.status} itself for this path`);
    }
    steps.push({ step: label, seen: `uri ${uri} → ${o.uri}${o.querystring ? `, querystring ${o.querystring}` : ''}; headers ${o.headers.join(', ') || '(none)'}` });
    uri = o.uri;
    return undefined;
  };
  const own = (event: string, arn: string): boolean => !!i.edge && isEdgelockFunction(i.edge, i.accountId, event, arn);
  const lambdas = i.behavior.LambdaFunctionAssociations?.Items ?? [];
  const functions = i.behavior.FunctionAssociations?.Items ?? [];

  for (const event of ['viewer-request', 'origin-request'] as const) {
    const cff = functions.find((f) => f.EventType === event);
    if (cff) {
      const what = `the CloudFront Function ${cff.FunctionARN} (${event})`;
      if (!i.replay) return unknownPast(what, true);
      steps.push({ step: 'synthesized CloudFront Functions event', seen: `viewer-request GET ${uri}, Host ${distribution.host}` });
      const stop = follow(what, `${event} ${cff.FunctionARN} (replayed with CloudFront's TestFunction, LIVE stage)`, await i.replay.cloudFrontFunction(cff.FunctionARN ?? '?', cloudFrontFunctionEvent(uri, distribution), `viewer-request GET ${uri}`));
      if (stop) return stop;
      continue;
    }
    const l = lambdas.find((a) => a.EventType === event);
    if (!l) continue;
    const arn = l.LambdaFunctionARN ?? '?';
    if (!own(event, arn)) {
      const what = `the Lambda@Edge function ${arn} (${event}), which is not edgelock's`;
      if (!i.replay) return unknownPast(what, true);
      const origin = { access: i.access, bucket: i.bucket, region: i.region, ...(i.origin?.DomainName ? { domain: i.origin.DomainName.toLowerCase() } : {}), path: i.origin?.OriginPath ?? '' };
      steps.push({ step: 'synthesized Lambda@Edge event', seen: `${event} GET ${uri}, Host ${event === 'viewer-request' ? distribution.host : origin.domain ?? i.bucket}` });
      const stop = follow(what, `${event} ${arn} (replayed with a Lambda Invoke of that version)`, await i.replay.lambda(arn, lambdaEdgeEvent(event, uri, distribution, origin), `${event} GET ${uri}`));
      if (stop) return stop;
      continue;
    }
    if (event === 'viewer-request') {
      steps.push({ step: `${event} ${arn}`, seen: 'edgelock\'s Basic auth check: passes the request on unchanged, or answers 401' });
      continue;
    }
    let out: { uri?: string; status?: string };
    try {
      const handler = createOriginRequest(i.edge!);
      const replay = originRequestEvent({ uri, origin: i.access, bucket: i.bucket, region: i.region, ...(i.origin?.DomainName ? { domain: i.origin.DomainName.toLowerCase() } : {}), path: i.origin?.OriginPath ?? '' });
      // The guard logs a refusal as a JSON line: kept as evidence, not printed.
      const log = console.log;
      const logged: string[] = [];
      console.log = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
      try {
        out = (await handler(replay as never)) as { uri?: string; status?: string };
      } finally {
        console.log = log;
      }
      for (const line of logged) steps.push({ step: `${event} ${arn} logged`, seen: line });
    } catch (err) {
      return unknownPast(`the origin-request guard ${arn}, whose local replay failed (${(err as Error).message})`);
    }
    if (out && typeof out.status === 'string') {
      steps.push({ step: `${event} ${arn} (replayed locally with edgelock.config)`, seen: `answers ${out.status} itself: S3 is not asked` });
      return unknownPast(`the origin-request guard, which answers ${out.status} for this path`);
    }
    steps.push({ step: `${event} ${arn} (replayed locally with edgelock.config; a deployed version older than the build may differ)`, seen: `uri ${uri} → ${out.uri}` });
    uri = out.uri ?? uri;
  }
  if (i.origin?.OriginPath) steps.push({ step: `OriginPath of origin ${i.origin.Id}`, seen: i.origin.OriginPath });
  const key = keyAtOrigin(uri, i.origin?.OriginPath);
  steps.push({ step: 'S3 key', seen: key || '(empty: the bucket itself)' });
  return { known: true, key, steps };
}
