import { viewerHeaders } from '../../src/dev/edge';
import { DEV_DISTRIBUTION, makeEvent, s3Origin } from '../../src/edge/cloudfront';
import { fromCfHeaders, splitTarget, toCfHeaders } from '../../src/dev/event';

describe('CloudFront event shape', () => {
  test('headers: lower-case map, key keeps the viewer spelling, one element per occurrence', () => {
    const h = toCfHeaders(['Host', 'localhost', 'Accept', 'text/html', 'X-Test', 'a', 'x-test', 'b']);
    expect(h).toEqual({
      host: [{ key: 'Host', value: 'localhost' }],
      accept: [{ key: 'Accept', value: 'text/html' }],
      'x-test': [
        { key: 'X-Test', value: 'a' },
        { key: 'x-test', value: 'b' },
      ],
    });
    expect(fromCfHeaders(h)).toEqual({ Host: 'localhost', Accept: 'text/html', 'X-Test': ['a', 'b'] });
  });

  test('viewer headers lose what CloudFront never shows a function (hop-by-hop, x-amz-cf-*)', () => {
    const h = viewerHeaders(['Host', 'x', 'Connection', 'keep-alive', 'Keep-Alive', 'timeout=5', 'X-Amz-Cf-Id', 'spoof', 'Upgrade', 'h2c', 'Authorization', 'Basic Zm9vOmJhcg==']);
    expect(Object.keys(h).sort()).toEqual(['authorization', 'host']);
  });

  test.each([
    ['/', '/', ''],
    ['/a/b.html?x=1&y=2', '/a/b.html', 'x=1&y=2'],
    ['/a?', '/a', ''],
    ['/%2e%2e/secret', '/%2e%2e/secret', ''],
    ['/a/../b', '/a/../b', ''],
  ])('splitTarget(%j) keeps the uri as sent', (target, uri, qs) => {
    expect(splitTarget(target)).toEqual({ uri, querystring: qs });
  });

  test('S3 origin object follows the access mode: OAI shows its auth method and region, OAC shows "none"', () => {
    const env = { bucketDomain: 'b.s3.eu-west-1.amazonaws.com', region: 'eu-west-1' };
    expect(s3Origin({ ...env, originAccess: 'oai' })).toEqual({
      s3: { authMethod: 'origin-access-identity', customHeaders: {}, domainName: 'b.s3.eu-west-1.amazonaws.com', path: '', region: 'eu-west-1' },
    });
    expect(s3Origin({ ...env, originAccess: 'oac' })).toEqual({
      s3: { authMethod: 'none', customHeaders: {}, domainName: 'b.s3.eu-west-1.amazonaws.com', path: '' },
    });
  });

  test('event: Records[0].cf.{config, request[, response]} with the documented config fields', () => {
    const request = { clientIp: '127.0.0.1', method: 'GET', uri: '/', querystring: '', headers: {} };
    const ev = makeEvent(DEV_DISTRIBUTION, 'viewer-request', 'rid', request);
    expect(ev).toEqual({
      Records: [{ cf: { config: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'rid' }, request } }],
    });
    const withResponse = makeEvent(DEV_DISTRIBUTION, 'origin-response', 'rid', request, { status: '200', statusDescription: 'OK', headers: {} });
    expect(Object.keys(withResponse.Records[0].cf)).toEqual(['config', 'request', 'response']);
  });
});
