/**
 * Runs each freshly built bundle on synthetic events that make it generate its own response (a
 * 401, a 400) or decorate an S3 response, and checks every result against Lambda@Edge's rules. A
 * config that would make CloudFront answer 502 (say, a 45 KB CSP on a 40 KB viewer response)
 * fails the build instead of every request.
 */
import type { ResolvedEnvironment } from '../config/schema';
import { DEV_DISTRIBUTION, makeEvent, s3Origin, validateResult, type CfEvent, type CfRequest } from '../edge/cloudfront';
import type { HandlerSpec } from './handlers';
import { loadBundleHandler } from './load-bundle';

type Handler = (event: CfEvent) => Promise<unknown>;

/** The environment, and the origin path its distribution has (deploy.prefix's). */
interface OriginFacts {
  readonly env: ResolvedEnvironment;
  readonly originPath: string;
}

function request(uri: string, o?: OriginFacts): CfRequest {
  return {
    clientIp: '203.0.113.10',
    method: 'GET',
    uri,
    querystring: '',
    headers: { host: [{ key: 'Host', value: DEV_DISTRIBUTION.distributionDomainName }] },
    ...(o ? { origin: s3Origin({ ...o.env, path: o.originPath }) } : {}),
  };
}

/** A URI no handler accepts ("%" starts no valid escape): viewer-request asks for credentials, origin-request answers 400. */
const REFUSED_URI = '/%';

function cases(spec: HandlerSpec, o: OriginFacts): [string, CfEvent][] {
  const id = 'edgelock-build-check';
  switch (spec.name) {
    case 'viewer-request':
      return [['its 401', makeEvent(DEV_DISTRIBUTION, 'viewer-request', id, request(REFUSED_URI))]];
    case 'origin-request':
      return [['its 400', makeEvent(DEV_DISTRIBUTION, 'origin-request', id, request(REFUSED_URI, o))]];
    case 'origin-response': {
      const response = { status: '200', statusDescription: 'OK', headers: { 'content-type': [{ key: 'Content-Type', value: 'text/html' }], server: [{ key: 'Server', value: 'AmazonS3' }] } };
      return [['an S3 200 it decorates', makeEvent(DEV_DISTRIBUTION, 'origin-response', id, request('/index.html', o), response)]];
    }
  }
}

/** Problems found, each naming the case and the rule broken; empty when CloudFront would accept every result. */
export async function checkGeneratedResponses(spec: HandlerSpec, js: string, env: ResolvedEnvironment, originPath = ''): Promise<string[]> {
  const handler = loadBundleHandler<Handler>(js);
  const problems: string[] = [];
  for (const [name, event] of cases(spec, { env, originPath })) {
    const result = await handler(event);
    for (const p of validateResult(spec.eventType, result)) problems.push(`${name} breaks Lambda@Edge's rule ${p.rule}: ${p.message}`);
  }
  return problems;
}
