/**
 * origin-response handler: security headers on every origin response, 4xx and 5xx included
 * (viewer-response functions do not run for those), and only allow-listed origin headers passed.
 * A per-path CSP is chosen by the path the viewer asked for.
 * Status and body are left alone; read-only headers are never touched.
 */
import type { CloudFrontRequest, CloudFrontResponseEvent, CloudFrontResponseResult } from 'aws-lambda';
import type { EdgeConfig } from '../config';
import { buildSecurityHeaders } from '../security-headers';
import { parseUri } from '../uri';
import { VIEWER_PATH_HEADER } from '../viewer-path';

export function createHandler(config: EdgeConfig): (event: CloudFrontResponseEvent) => Promise<CloudFrontResponseResult> {
  const security = buildSecurityHeaders(config.headers);
  // Only per-path CSPs look at the path: the viewer's, as origin-request recorded it, decoded like
  // every other path pattern (the request URI, a rewritten key, only if the header is missing).
  const pathOf = config.headers.cspOverrides.length
    ? (request: CloudFrontRequest) => {
        const uri = request.headers[VIEWER_PATH_HEADER]?.[0]?.value ?? request.uri;
        const parsed = parseUri(uri, config.origin.maxUriLength);
        return parsed.ok ? parsed.path : uri;
      }
    : (request: CloudFrontRequest) => request.uri;
  return async (event) => {
    const { request, response } = event.Records[0]!.cf;
    security.apply(response.headers, pathOf(request));
    return response;
  };
}
