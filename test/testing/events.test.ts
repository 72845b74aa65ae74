/**
 * The event builders and the recorded events: documented shapes, accepted by the validator.
 */
import { events, recorded, RECORDED_EVENT_NAMES, validateResult, isEdgelockError, type CfEvent } from '../../src/testing';

const cf = (e: CfEvent) => e.Records[0].cf;

describe('events', () => {
  test('viewerRequest: the documented example from no fields at all', () => {
    expect(events.viewerRequest()).toEqual({
      Records: [{
        cf: {
          config: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==' },
          request: { clientIp: '203.0.113.178', method: 'GET', uri: '/', querystring: '', headers: { host: [{ key: 'Host', value: 'd111111abcdef8.cloudfront.net' }] } },
        },
      }],
    });
  });

  test('viewerRequest: headers as a plain object, several values, the spelling kept in key; a query string', () => {
    const e = events.viewerRequest({ uri: '/a%20b', method: 'post', headers: { 'Accept-Language': ['en', 'fr'], cookie: 'a=1' }, querystring: { q: 'x y', tag: ['1', '2'] }, clientIp: '2001:db8::1', requestId: 'r1' });
    const r = cf(e).request;
    expect(r.headers['accept-language']).toEqual([{ key: 'Accept-Language', value: 'en' }, { key: 'Accept-Language', value: 'fr' }]);
    expect(r.headers.cookie).toEqual([{ key: 'cookie', value: 'a=1' }]);
    expect(r).toMatchObject({ method: 'POST', uri: '/a%20b', querystring: 'q=x+y&tag=1&tag=2', clientIp: '2001:db8::1' });
    expect(cf(e).config.requestId).toBe('r1');
    expect(events.viewerRequest({ querystring: '?a=1' }).Records[0].cf.request.querystring).toBe('a=1');
  });

  test('originRequest: OAC shows authMethod "none" and no region; OAI the identity and the region (as recorded)', () => {
    const oac = cf(events.originRequest({ bucket: 'acme', region: 'eu-west-1', uri: '/index.html' })).request;
    expect(oac.origin).toEqual({ s3: { authMethod: 'none', customHeaders: {}, domainName: 'acme.s3.eu-west-1.amazonaws.com', path: '' } });
    expect(oac.headers.host).toEqual([{ key: 'Host', value: 'acme.s3.eu-west-1.amazonaws.com' }]);
    expect(Object.keys(oac.headers).sort()).toEqual(['host', 'via', 'x-forwarded-for']);

    const oai = cf(events.originRequest({ origin: 'oai', domain: 'acme-web-dev-site-222222222222.s3.amazonaws.com', region: 'eu-west-1', uri: '/docs/' })).request;
    const rec = cf(recorded.originRequest('oai')).request;
    expect(oai.origin).toEqual(rec.origin);
    expect(oai.headers.host).toEqual(rec.headers.host);
    expect(oai.headers.via).toEqual(rec.headers.via);
    expect(cf(events.originRequest({ path: '/site' })).request.origin?.s3.path).toBe('/site');
  });

  test('originResponse: status and reason, S3-like default headers, the origin request alongside', () => {
    const e = events.originResponse({ status: 404, uri: '/nope' });
    expect(cf(e).config.eventType).toBe('origin-response');
    expect(cf(e).response).toEqual({ status: '404', statusDescription: 'Not Found', headers: { 'content-type': [{ key: 'Content-Type', value: 'text/html' }], server: [{ key: 'Server', value: 'AmazonS3' }] } });
    expect(cf(e).request.origin?.s3.domainName).toBe('example-bucket.s3.us-east-1.amazonaws.com');
    expect(cf(events.originResponse({ responseHeaders: { ETag: '"x"' } })).response!.headers).toEqual({ etag: [{ key: 'ETag', value: '"x"' }] });
  });

  test.each([
    ['viewer-request', () => events.viewerRequest({ headers: { 'X-A': ['1', '2'] }, querystring: 'a=1' })],
    ['origin-request', () => events.originRequest({ origin: 'oai' })],
    ['origin-request', () => events.originRequest({ origin: 'oac' })],
  ] as const)('the %s request passes the validator unchanged', (type, make) => {
    const e = make();
    expect(validateResult(type, cf(e).request, cf(e).request)).toEqual([]);
  });

  test('the origin-response response passes the validator unchanged', () => {
    const e = events.originResponse({ status: 403 });
    expect(validateResult('origin-response', cf(e).response, cf(e).response)).toEqual([]);
  });

  test.each([
    [{ uri: 'index.html' }, /uri must be a path starting with "\/"/],
    [{ headers: { 'Bad Name': 'x' } }, /"Bad Name" is not a valid HTTP header name/],
    [{ headers: { 'X-A': 'a\r\nb' } }, /contains CR, LF or NUL/],
    [{ headers: { 'X-A': 1 } }, /must be a string or an array of strings/],
    [{ origin: 'public' }, /origin must be "oac" or "oai"/],
  ])('bad options are named: %o', (opts, message) => {
    const err = (() => { try { events.originRequest(opts as never); } catch (e) { return e; } })();
    expect(isEdgelockError(err, 'USAGE')).toBe(true);
    expect((err as Error).message).toMatch(message);
  });
});

describe('recorded', () => {
  test.each(RECORDED_EVENT_NAMES.map((n) => [n]))('%s loads with its trigger', (name) => {
    const e = recorded.load(name);
    expect(name.startsWith(cf(e).config.eventType)).toBe(true);
    expect(cf(e).request.uri).toMatch(/^\//);
  });

  test('typed accessors return a fresh deep copy each time', () => {
    const a = recorded.viewerRequest();
    cf(a).request.uri = '/changed';
    cf(a).request.headers.host![0]!.value = 'changed';
    expect(cf(recorded.viewerRequest()).request).toMatchObject({ uri: '/', headers: { host: [{ value: 'd111111abcdef8.cloudfront.net' }] } });
    expect(cf(recorded.originRequest('oai')).request.origin?.s3.authMethod).toBe('origin-access-identity');
    expect(cf(recorded.originRequest()).request.origin?.s3.authMethod).toBe('none');
    expect(cf(recorded.originResponse(403)).response?.status).toBe('403');
    expect(cf(recorded.viewerRequestWithAuthorization()).request.headers.authorization?.[0]?.value).toMatch(/^Basic /);
  });

  test('an unknown name lists the known ones', () => {
    expect(() => recorded.load('viewer-reqest' as never)).toThrow(/no recorded event "viewer-reqest"; the recorded events are: viewer-request, /);
  });
});
