/**
 * CloudFront events in the documented Lambda@Edge shape: `Records[0].cf.{config, request[, response]}`,
 * headers as a map from the lower-case name to `[{ key, value }]`, one element per occurrence.
 * Pure functions: the server hands them what it read from the socket.
 */
import type { ResolvedEnvironment } from '../config/schema';
import { appendHeader, type CfHeaders } from '../edge/headers';
import type { EdgeEventType as EventType } from '../edge/validate';

export type { CfHeaders, EventType };

export interface CfS3Origin {
  s3: {
    authMethod: 'origin-access-identity' | 'none';
    customHeaders: CfHeaders;
    domainName: string;
    path: string;
    region?: string;
  };
}

export interface CfRequest {
  clientIp: string;
  method: string;
  uri: string;
  querystring: string;
  headers: CfHeaders;
  origin?: CfS3Origin;
  body?: { inputTruncated: boolean; action: 'read-only' | 'replace'; encoding: 'base64' | 'text'; data: string };
}

export interface CfResponse {
  status: string;
  statusDescription?: string;
  headers: CfHeaders;
}

/** A response a handler generated (it may carry a body). */
export interface CfGeneratedResponse extends CfResponse {
  body?: string;
  bodyEncoding?: 'text' | 'base64';
}

export interface CfConfig {
  distributionDomainName: string;
  distributionId: string;
  eventType: EventType;
  requestId: string;
}

export interface CfEvent {
  Records: [{ cf: { config: CfConfig; request: CfRequest; response?: CfResponse } }];
}

/** The distribution the emulator pretends to be. */
export interface Distribution {
  readonly distributionDomainName: string;
  readonly distributionId: string;
}

export const DEV_DISTRIBUTION: Distribution = Object.freeze({
  distributionDomainName: 'd111111abcdef8.cloudfront.net',
  distributionId: 'EDFDVBD6EXAMPLE',
});

/**
 * Turns Node's raw header list (name, value, name, value, ...) into CloudFront's map. The `key`
 * keeps the case the viewer sent, as CloudFront does.
 */
export function toCfHeaders(rawHeaders: readonly string[]): CfHeaders {
  const headers: CfHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) appendHeader(headers, rawHeaders[i]!, rawHeaders[i + 1]!);
  return headers;
}

/** CloudFront's map back to Node's `{ name: value | value[] }` for writeHead or a request. */
export function fromCfHeaders(headers: CfHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, list] of Object.entries(headers)) {
    if (!list || list.length === 0) continue;
    const key = list[0]!.key ?? name;
    out[key] = list.length === 1 ? list[0]!.value : list.map((h) => h.value);
  }
  return out;
}

/**
 * Splits a request target into CloudFront's `uri` and `querystring` (without the "?"). The uri is
 * passed on as the viewer sent it: CloudFront does not normalise it, which is why the guard must.
 */
export function splitTarget(target: string): { uri: string; querystring: string } {
  const q = target.indexOf('?');
  const raw = q < 0 ? target : target.slice(0, q);
  return { uri: raw.startsWith('/') ? raw : `/${raw}`, querystring: q < 0 ? '' : target.slice(q + 1) };
}

/** The S3 origin object for an environment, as CloudFront shows it to origin triggers. */
export function s3Origin(env: Pick<ResolvedEnvironment, 'bucketDomain' | 'region' | 'originAccess'>): CfS3Origin {
  // Origin Access Control is invisible to Lambda@Edge: an OAC origin shows authMethod "none" and no region.
  return env.originAccess === 'oai'
    ? { s3: { authMethod: 'origin-access-identity', customHeaders: {}, domainName: env.bucketDomain, path: '', region: env.region } }
    : { s3: { authMethod: 'none', customHeaders: {}, domainName: env.bucketDomain, path: '' } };
}

export function makeEvent(
  dist: Distribution,
  eventType: EventType,
  requestId: string,
  request: CfRequest,
  response?: CfResponse,
): CfEvent {
  const config: CfConfig = { distributionDomainName: dist.distributionDomainName, distributionId: dist.distributionId, eventType, requestId };
  return { Records: [{ cf: response ? { config, request, response } : { config, request } }] };
}

/** A CloudFront-style request id: 56 characters of URL-safe base64. */
export function requestIdFrom(bytes: Buffer): string {
  return bytes.toString('base64url').slice(0, 56);
}

/** Is this (handler result) a response rather than a request? */
export function isResponse(result: unknown): result is CfGeneratedResponse {
  return typeof result === 'object' && result !== null && 'status' in result;
}
