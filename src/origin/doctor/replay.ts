/**
 * Replaying functions that are not edgelock's where they run (`edgelock doctor --replay`): the
 * event each is given, synthesized from the viewer's path, and what its answer says. A CloudFront
 * Function is run by CloudFront's TestFunction (its LIVE stage, on an event in the CloudFront
 * Functions shape); a Lambda@Edge function by a Lambda Invoke of the associated version, on an
 * event in the Lambda@Edge shape (src/edge/cloudfront/events.ts). Pure: the AWS calls are in
 * read.ts; this module builds their input and reads their output.
 */
import type { TestResult } from '@aws-sdk/client-cloudfront';
import { originRequestEvent, viewerRequestEvent, type CfEvent } from '../../edge/cloudfront';

/** The distribution a synthesized event names: its ID, and the host viewers use (an alias, else its cloudfront.net name). */
export interface ReplayDistribution {
  readonly distributionId: string;
  readonly host: string;
}

/** What a replayed function did with the request. */
export type ReplayOutcome =
  /** It passed the request on, with this URI (and query string, shown as evidence). */
  | { readonly kind: 'request'; readonly uri: string; readonly querystring: string; readonly headers: readonly string[]; readonly notes: readonly string[] }
  /** It answered the viewer itself: S3 is not asked. */
  | { readonly kind: 'response'; readonly status: string; readonly notes: readonly string[] }
  /** It failed (CloudFront would answer 5xx), or its answer could not be read. */
  | { readonly kind: 'failed'; readonly why: string; readonly notes: readonly string[] };

/** A CloudFront Functions `viewer-request` event (event structure version 1.0) for a GET of `uri`. */
export function cloudFrontFunctionEvent(uri: string, d: ReplayDistribution): object {
  return {
    version: '1.0',
    context: { distributionDomainName: d.host, distributionId: d.distributionId, eventType: 'viewer-request', requestId: 'edgelock-doctor-replay' },
    viewer: { ip: '203.0.113.178' },
    request: { method: 'GET', uri, querystring: {}, headers: { host: { value: d.host }, accept: { value: '*/*' }, 'user-agent': { value: 'edgelock-doctor' } }, cookies: {} },
  };
}

/** A Lambda@Edge event for `event` and a GET of `uri`: the viewer's request, or the origin request to `origin`. */
export function lambdaEdgeEvent(
  event: 'viewer-request' | 'origin-request',
  uri: string,
  d: ReplayDistribution,
  origin: { access: 'oac' | 'oai'; bucket: string; region: string; domain?: string; path: string },
): CfEvent {
  const distribution = { distributionId: d.distributionId, distributionDomainName: d.host };
  const headers = { Host: d.host, Accept: '*/*', 'User-Agent': 'edgelock-doctor' };
  if (event === 'viewer-request') return viewerRequestEvent({ uri, headers, distribution, requestId: 'edgelock-doctor-replay' });
  return originRequestEvent({
    uri,
    headers: { Accept: '*/*', 'User-Agent': 'edgelock-doctor' },
    distribution,
    requestId: 'edgelock-doctor-replay',
    origin: origin.access,
    bucket: origin.bucket,
    region: origin.region,
    ...(origin.domain ? { domain: origin.domain } : {}),
    path: origin.path,
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Header names of a request, in either shape (CloudFront Functions `{ name: { value } }`, Lambda@Edge `{ name: [{ key, value }] }`). */
function headerNames(headers: unknown): string[] {
  return isObject(headers) ? Object.keys(headers).sort() : [];
}

function querystringOf(q: unknown): string {
  if (typeof q === 'string') return q;
  if (!isObject(q)) return '';
  const params = new URLSearchParams();
  for (const [name, v] of Object.entries(q)) {
    const values = isObject(v) ? [v, ...(Array.isArray(v.multiValue) ? v.multiValue : [])] : [];
    for (const value of values) if (isObject(value) && typeof value.value === 'string') params.append(name, value.value);
  }
  return params.toString();
}

/**
 * What TestFunction's result says: `FunctionErrorMessage` set is a failure; else `FunctionOutput`,
 * a JSON string of the event object the function returned, holds the request passed on or the
 * response generated. The utilization and the function's log lines are kept as notes.
 */
export function readTestResult(r: TestResult): ReplayOutcome {
  const notes = [
    ...(r.ComputeUtilization !== undefined ? [`ComputeUtilization ${r.ComputeUtilization}%`] : []),
    ...(r.FunctionExecutionLogs ?? []).map((l) => `log: ${l}`),
  ];
  if (r.FunctionErrorMessage) return { kind: 'failed', why: `the function failed: ${r.FunctionErrorMessage}`, notes };
  const out = parseJson(r.FunctionOutput ?? '');
  if (!isObject(out)) return { kind: 'failed', why: `TestFunction returned no event object (FunctionOutput ${JSON.stringify(r.FunctionOutput ?? '')})`, notes };
  if (isObject(out.response)) {
    const status = out.response.statusCode;
    return { kind: 'response', status: String(status ?? '?'), notes };
  }
  if (isObject(out.request) && typeof out.request.uri === 'string') {
    return { kind: 'request', uri: out.request.uri, querystring: querystringOf(out.request.querystring), headers: headerNames(out.request.headers), notes };
  }
  return { kind: 'failed', why: `TestFunction's FunctionOutput holds neither a request nor a response: ${String(r.FunctionOutput).slice(0, 200)}`, notes };
}

/** Lambda Invoke's answer: the payload bytes, and `FunctionError` set when the function threw. */
export interface InvokeAnswer {
  readonly StatusCode?: number;
  readonly FunctionError?: string;
  readonly ExecutedVersion?: string;
  readonly Payload?: Uint8Array;
}

/**
 * What a Lambda@Edge function's invocation says: `FunctionError` (Unhandled, Handled) is a
 * failure, with the payload's errorType and errorMessage; else the payload is what the handler
 * returned, a request (passed on) or a response (`status`, generated).
 */
export function readInvoke(r: InvokeAnswer): ReplayOutcome {
  const text = r.Payload ? new TextDecoder().decode(r.Payload) : '';
  const payload = parseJson(text);
  const notes = r.ExecutedVersion ? [`ExecutedVersion ${r.ExecutedVersion}`] : [];
  if (r.FunctionError) {
    const what = isObject(payload) ? `${String(payload.errorType ?? r.FunctionError)}: ${String(payload.errorMessage ?? '')}` : text.slice(0, 200);
    return { kind: 'failed', why: `the function failed (FunctionError ${r.FunctionError}): ${what}`, notes };
  }
  if (!isObject(payload)) return { kind: 'failed', why: `the function returned no request or response (payload ${JSON.stringify(text.slice(0, 200))}): CloudFront answers 502`, notes };
  if (typeof payload.status === 'string' || typeof payload.status === 'number') return { kind: 'response', status: String(payload.status), notes };
  if (typeof payload.uri === 'string') return { kind: 'request', uri: payload.uri, querystring: typeof payload.querystring === 'string' ? payload.querystring : '', headers: headerNames(payload.headers), notes };
  return { kind: 'failed', why: `the function returned neither a request nor a response: ${text.slice(0, 200)}`, notes };
}

/** `arn:aws:cloudfront::123:function/rewrite` → `rewrite`. */
export function cloudFrontFunctionName(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:cloudfront::\d{12}:function\/([A-Za-z0-9_-]{1,64})$/.exec(arn)?.[1];
}
