/**
 * CloudFront events in the documented Lambda@Edge shape, built from a few fields. Pure functions:
 * the local edge hands them what it read from the socket; the build and the tests call them directly.
 */
import { EdgelockError } from '../../errors';
import type { CfConfig, CfEvent, CfGeneratedResponse, CfHeaders, CfRequest, CfResponse, CfS3Origin, EdgeEventType } from './types';

/** The distribution an event claims to come from. */
export interface Distribution {
  readonly distributionDomainName: string;
  readonly distributionId: string;
}

/** The example distribution of AWS's own documented events. */
export const DEV_DISTRIBUTION: Distribution = Object.freeze({
  distributionDomainName: 'd111111abcdef8.cloudfront.net',
  distributionId: 'EDFDVBD6EXAMPLE',
});

/** What an S3 origin looks like to CloudFront. */
export interface S3OriginFacts {
  /** The bucket's REST endpoint, e.g. `acme.s3.eu-west-1.amazonaws.com`. */
  readonly bucketDomain: string;
  readonly region: string;
  readonly originAccess: 'oac' | 'oai';
  /** The origin path (`/site`), or '' for none. */
  readonly path?: string;
}

/** The S3 origin object as CloudFront shows it to origin triggers. */
export function s3Origin(origin: S3OriginFacts): CfS3Origin {
  const path = origin.path ?? '';
  // Origin Access Control is invisible to Lambda@Edge: an OAC origin shows authMethod "none" and no region.
  return origin.originAccess === 'oai'
    ? { s3: { authMethod: 'origin-access-identity', customHeaders: {}, domainName: origin.bucketDomain, path, region: origin.region } }
    : { s3: { authMethod: 'none', customHeaders: {}, domainName: origin.bucketDomain, path } };
}

export function makeEvent(
  dist: Distribution,
  eventType: EdgeEventType,
  requestId: string,
  request: CfRequest,
  response?: CfResponse,
): CfEvent {
  const config: CfConfig = { distributionDomainName: dist.distributionDomainName, distributionId: dist.distributionId, eventType, requestId };
  return { Records: [{ cf: response ? { config, request, response } : { config, request } }] };
}

/** A CloudFront-style request id: 56 characters of URL-safe base64. */
export function requestIdFrom(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url').slice(0, 56);
}

/** Is this (handler result) a response rather than a request? */
export function isResponse(result: unknown): result is CfGeneratedResponse {
  return typeof result === 'object' && result !== null && 'status' in result;
}

// ---------------------------------------------------------------------------------------------
// Builders for tests: a documented event from a few fields.
// ---------------------------------------------------------------------------------------------

/** The documentation's example request id, used when none is given so events are reproducible. */
export const EXAMPLE_REQUEST_ID = '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==';
/** The documentation's example viewer address (203.0.113.0/24 is a documentation range). */
export const EXAMPLE_CLIENT_IP = '203.0.113.178';
/** The Via value CloudFront adds towards the origin, with the documentation's example host. */
export const EXAMPLE_VIA = '2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)';

/** Headers as people write them: any case, one value or several (one element per occurrence). */
export type PlainHeaders = Readonly<Record<string, string | readonly string[]>>;

/** The fields of a viewer's request. Everything is optional. */
export interface RequestOptions {
  /** Path as the viewer sent it (percent-encoded), starting with "/". @default '/' */
  readonly uri?: string;
  /** @default 'GET' */
  readonly method?: string;
  /** Request headers; a Host header is added when absent. */
  readonly headers?: PlainHeaders;
  /** The query string without "?" (a leading "?" is dropped), or name → value(s). @default '' */
  readonly querystring?: string | Readonly<Record<string, string | readonly string[]>>;
  /** @default EXAMPLE_CLIENT_IP */
  readonly clientIp?: string;
  /** @default EXAMPLE_REQUEST_ID */
  readonly requestId?: string;
  /** @default DEV_DISTRIBUTION */
  readonly distribution?: Distribution;
}

/** The S3 origin an origin event names. */
export interface OriginOptions extends RequestOptions {
  /** How the distribution reaches the bucket. @default 'oac' */
  readonly origin?: 'oac' | 'oai';
  /** @default 'example-bucket' */
  readonly bucket?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** The bucket's REST endpoint. @default `<bucket>.s3.<region>.amazonaws.com` */
  readonly domain?: string;
  /** The origin path, e.g. '/site'. @default '' */
  readonly path?: string;
}

/** What S3 answered, as origin-response sees it. */
export interface OriginResponseOptions extends OriginOptions {
  /** @default 200 */
  readonly status?: number | string;
  /** @default the standard reason phrase of `status` */
  readonly statusDescription?: string;
  /** Response headers. @default a Content-Type text/html and Server AmazonS3 */
  readonly responseHeaders?: PlainHeaders;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// eslint-disable-next-line no-control-regex
const BAD_HEADER_VALUE = /[\x00\r\n]/;

const REASONS: Readonly<Record<string, string>> = {
  '200': 'OK', '204': 'No Content', '206': 'Partial Content', '301': 'Moved Permanently', '302': 'Found', '304': 'Not Modified',
  '307': 'Temporary Redirect', '308': 'Permanent Redirect', '400': 'Bad Request', '401': 'Unauthorized', '403': 'Forbidden',
  '404': 'Not Found', '405': 'Method Not Allowed', '412': 'Precondition Failed', '416': 'Range Not Satisfiable', '500': 'Internal Server Error',
  '502': 'Bad Gateway', '503': 'Service Unavailable', '504': 'Gateway Timeout',
};

function badOption(message: string): EdgelockError {
  return new EdgelockError(message, { code: 'USAGE' });
}

/** `{ Name: value | value[] }` → CloudFront's map: lower-case name → `[{ key, value }]`, the spelling kept in `key`. */
export function toCfHeaderMap(headers: PlainHeaders | undefined, where = 'headers'): CfHeaders {
  const out: CfHeaders = {};
  if (headers === undefined) return out;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw badOption(`${where} must be an object { name: value | value[] } (got ${Array.isArray(headers) ? 'an array' : typeof headers})`);
  }
  for (const [key, raw] of Object.entries(headers)) {
    if (!HEADER_NAME.test(key)) throw badOption(`${where}: "${key}" is not a valid HTTP header name`);
    const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : undefined;
    if (!values) throw badOption(`${where}["${key}"] must be a string or an array of strings (got ${raw === null ? 'null' : typeof raw})`);
    for (const value of values) {
      if (typeof value !== 'string') throw badOption(`${where}["${key}"] must hold strings only (got ${typeof value})`);
      if (BAD_HEADER_VALUE.test(value)) throw badOption(`${where}["${key}"] contains CR, LF or NUL`);
      (out[key.toLowerCase()] ??= []).push({ key, value });
    }
  }
  return out;
}

/** CloudFront's map → `{ name: value | value[] }` with lower-case names (one value as a string). */
export function fromCfHeaderMap(headers: CfHeaders | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, list] of Object.entries(headers ?? {})) {
    if (!list || list.length === 0) continue;
    out[name] = list.length === 1 ? list[0]!.value : list.map((h) => h.value);
  }
  return out;
}

function querystringOf(q: RequestOptions['querystring']): string {
  if (q === undefined) return '';
  if (typeof q === 'string') return q.startsWith('?') ? q.slice(1) : q;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(q)) for (const v of typeof value === 'string' ? [value] : value) params.append(name, v);
  return params.toString();
}

function baseRequest(o: RequestOptions, host: string): CfRequest {
  const uri = o.uri ?? '/';
  if (typeof uri !== 'string' || !uri.startsWith('/')) throw badOption(`uri must be a path starting with "/" (got ${JSON.stringify(uri)})`);
  const headers = toCfHeaderMap(o.headers);
  if (!headers.host) headers.host = [{ key: 'Host', value: host }];
  return { clientIp: o.clientIp ?? EXAMPLE_CLIENT_IP, method: (o.method ?? 'GET').toUpperCase(), uri, querystring: querystringOf(o.querystring), headers };
}

/** The S3 origin facts of origin options, with their defaults. */
export function originFacts(o: OriginOptions): S3OriginFacts {
  const access = o.origin ?? 'oac';
  if (access !== 'oac' && access !== 'oai') throw badOption(`origin must be "oac" or "oai" (got ${JSON.stringify(access)})`);
  const bucket = o.bucket ?? 'example-bucket';
  const region = o.region ?? 'us-east-1';
  return { bucketDomain: (o.domain ?? `${bucket}.s3.${region}.amazonaws.com`).toLowerCase(), region, originAccess: access, path: o.path ?? '' };
}

/**
 * The origin-side request: what CloudFront sends the bucket after viewer-request. Host is the
 * bucket's domain; CloudFront adds Via and X-Forwarded-For, as in the documented example.
 */
function originSideRequest(o: OriginOptions): CfRequest {
  const facts = originFacts(o);
  const request = baseRequest(o, facts.bucketDomain);
  if (!o.headers || !Object.keys(o.headers).some((k) => k.toLowerCase() === 'host')) request.headers.host = [{ key: 'Host', value: facts.bucketDomain }];
  request.headers['x-forwarded-for'] ??= [{ key: 'X-Forwarded-For', value: request.clientIp }];
  request.headers.via ??= [{ key: 'Via', value: EXAMPLE_VIA }];
  request.origin = s3Origin(facts);
  return request;
}

/** A viewer-request event (Developer Guide, "Example viewer request"). */
export function viewerRequestEvent(o: RequestOptions = {}): CfEvent {
  const dist = o.distribution ?? DEV_DISTRIBUTION;
  return makeEvent(dist, 'viewer-request', o.requestId ?? EXAMPLE_REQUEST_ID, baseRequest(o, dist.distributionDomainName));
}

/** An origin-request event for an S3 origin reached with OAC (`authMethod: "none"`) or OAI. */
export function originRequestEvent(o: OriginOptions = {}): CfEvent {
  return makeEvent(o.distribution ?? DEV_DISTRIBUTION, 'origin-request', o.requestId ?? EXAMPLE_REQUEST_ID, originSideRequest(o));
}

/** An origin-response event: the origin request and S3's answer. */
export function originResponseEvent(o: OriginResponseOptions = {}): CfEvent {
  const status = String(o.status ?? 200);
  if (!/^[1-5]\d\d$/.test(status)) throw badOption(`status must be an HTTP status code from 100 to 599 (got ${JSON.stringify(o.status)})`);
  const headers = o.responseHeaders
    ? toCfHeaderMap(o.responseHeaders, 'responseHeaders')
    : { 'content-type': [{ key: 'Content-Type', value: 'text/html' }], server: [{ key: 'Server', value: 'AmazonS3' }] };
  const response: CfResponse = { status, statusDescription: o.statusDescription ?? REASONS[status] ?? '', headers };
  return makeEvent(o.distribution ?? DEV_DISTRIBUTION, 'origin-response', o.requestId ?? EXAMPLE_REQUEST_ID, originSideRequest(o), response);
}

/** The event builders, by trigger. */
export const events = Object.freeze({
  viewerRequest: viewerRequestEvent,
  originRequest: originRequestEvent,
  originResponse: originResponseEvent,
});
