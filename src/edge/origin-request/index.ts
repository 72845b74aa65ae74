/**
 * origin-request handler: the last check before a request leaves the edge for S3.
 *
 * Fails closed (a generated 502 with the security headers, and one JSON log line) when the origin
 * is not this environment's bucket reached the configured way. Removes viewer credentials and
 * cookies and the query string, refuses methods and URIs that are not plainly a file of the site (400/405), and maps
 * directory paths (and, when configured, extensionless paths) to their index document.
 */
import type { CloudFrontRequestEvent, CloudFrontRequestResult } from 'aws-lambda';
import type { EdgeConfig } from '../config';
import { originObject } from '../origin-path';
import { generatedResponse } from '../responses';
import { buildSecurityHeaders } from '../security-headers';
import { isReservedPath } from '../reserved-keys';
import { parseUri } from '../uri';
import { VIEWER_PATH_HEADER } from '../viewer-path';
import { checkOrigin } from './origin-check';

export function createHandler(config: EdgeConfig): (event: CloudFrontRequestEvent) => Promise<CloudFrontRequestResult> {
  const origin = config.origin;
  const security = buildSecurityHeaders(config.headers);
  const failClosed = generatedResponse(security, '502', 'The site is not reachable right now.');
  const badRequest = generatedResponse(security, '400', 'The request URI is not valid.');
  const allow = origin.allowedMethods.join(', ');
  const notFound = generatedResponse(security, '404', 'Not found.');
  const methodNotAllowed = generatedResponse(security, '405', 'This method is not allowed.', [['Allow', allow]]);
  const allowed = new Set(origin.allowedMethods);
  const label = { project: config.project, environment: config.environment };
  const expected = { bucket: origin.bucket, domains: origin.domains, originAccess: origin.access };
  const perPathCsp = config.headers.cspOverrides.length > 0;

  return async (event) => {
    const { config: cf, request } = event.Records[0]!.cf;
    const problem = checkOrigin(request.origin, origin);
    if (problem) {
      console.log(
        JSON.stringify({
          level: 'error',
          msg: 'edgelock origin guard refused the request',
          ...label,
          reason: problem.reason,
          detail: problem.message,
          expected,
          got: problem.got,
          requestId: cf.requestId,
          distributionId: cf.distributionId,
        }),
      );
      return failClosed('/');
    }
    if (!allowed.has(request.method)) return methodNotAllowed('/');
    const parsed = parseUri(request.uri, origin.maxUriLength);
    if (!parsed.ok) return badRequest('/');
    // edgelock's own records (what each deploy wrote) are never part of the site.
    if (isReservedPath(parsed.path)) return notFound('/');

    const headers = request.headers;
    delete headers.authorization;
    if (!origin.allowCookies) delete headers.cookie;
    // S3 reads the query string on signed requests (response-* overrides, versionId, presigned
    // parameters): a static site needs none of it.
    request.querystring = '';
    // Per-path CSPs are judged on the path the viewer asked for, not the key S3 is asked for (a SPA
    // route, a pretty URL): origin-response reads it from this header, which S3 ignores. Set on
    // every request (replacing any a viewer sent), so origin-response can trust it.
    if (perPathCsp) headers[VIEWER_PATH_HEADER] = [{ key: VIEWER_PATH_HEADER, value: parsed.uri }];
    request.uri = originObject(parsed.uri, origin).key;
    return request;
  };
}
