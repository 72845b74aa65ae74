/**
 * The shapes CloudFront hands a Lambda@Edge function and takes back: `Records[0].cf.{config,
 * request[, response]}`, headers as a map from the lower-case name to `[{ key, value }]`, one
 * element per occurrence (CloudFront Developer Guide, "Lambda@Edge event structure").
 */

/** The four places a Lambda@Edge function can be associated with a cache behaviour. */
export type EdgeEventType = 'viewer-request' | 'origin-request' | 'origin-response' | 'viewer-response';

export const EVENT_TYPES: readonly EdgeEventType[] = Object.freeze(['viewer-request', 'origin-request', 'origin-response', 'viewer-response']);

/** One header occurrence as CloudFront passes it: `key` keeps the original spelling. */
export interface CfHeader {
  key?: string;
  value: string;
}

/** CloudFront's header map: lower-case name → occurrences. */
export type CfHeaders = Record<string, CfHeader[]>;

/** An S3 origin as origin triggers see it. Origin Access Control shows `authMethod: 'none'`. */
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
  eventType: EdgeEventType;
  requestId: string;
}

export interface CfEvent {
  Records: [{ cf: { config: CfConfig; request: CfRequest; response?: CfResponse } }];
}
