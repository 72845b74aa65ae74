/**
 * origin-response handler: security headers on every origin response, 4xx and 5xx included
 * (viewer-response functions do not run for those), and headers that reveal the origin removed.
 * Status and body are left alone; read-only headers are never touched.
 */
import type { CloudFrontResponseEvent, CloudFrontResponseResult } from 'aws-lambda';
import type { EdgeConfig } from '../config';
import { buildSecurityHeaders } from '../security-headers';
import { parseUri } from '../uri';

export function createHandler(config: EdgeConfig): (event: CloudFrontResponseEvent) => Promise<CloudFrontResponseResult> {
  const security = buildSecurityHeaders(config.headers);
  // Only per-path CSPs look at the path; then it is judged decoded, like every other path pattern.
  const pathOf = config.headers.cspOverrides.length
    ? (uri: string) => {
        const parsed = parseUri(uri, config.origin.maxUriLength);
        return parsed.ok ? parsed.path : uri;
      }
    : (uri: string) => uri;
  return async (event) => {
    const { request, response } = event.Records[0]!.cf;
    security.apply(response.headers, pathOf(request.uri));
    return response;
  };
}
