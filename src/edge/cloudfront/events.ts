/**
 * CloudFront events in the documented Lambda@Edge shape, built from a few fields. Pure functions:
 * the local edge hands them what it read from the socket; the build and the tests call them directly.
 */
import type { CfConfig, CfEvent, CfGeneratedResponse, CfRequest, CfResponse, CfS3Origin, EdgeEventType } from './types';

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
