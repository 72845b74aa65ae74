import { assertValidResult, LambdaEdgeValidationError, validateResult, type EdgeEventType } from '../../src/edge/cloudfront';

const request = () => ({
  clientIp: '203.0.113.178',
  method: 'GET',
  uri: '/index.html',
  querystring: '',
  headers: {
    host: [{ key: 'Host', value: 'd111111abcdef8.cloudfront.net' }],
    'user-agent': [{ key: 'User-Agent', value: 'curl/8.0' }],
  },
});

const response = (over: Record<string, unknown> = {}) => ({
  status: '200',
  statusDescription: 'OK',
  headers: { 'content-type': [{ key: 'Content-Type', value: 'text/html' }] },
  ...over,
});

function rules(eventType: EdgeEventType, result: unknown, original?: unknown): string[] {
  return validateResult(eventType, result, original).map((p) => p.rule);
}

describe('validateResult', () => {
  it('accepts a request for request events and a response for every event', () => {
    expect(validateResult('viewer-request', request())).toEqual([]);
    expect(validateResult('origin-request', request())).toEqual([]);
    for (const t of ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'] as const) {
      expect(validateResult(t, response())).toEqual([]);
    }
  });

  it.each<[string, EdgeEventType, unknown, string]>([
    ['nothing returned', 'viewer-request', undefined, 'result-shape'],
    ['null returned', 'origin-response', null, 'result-shape'],
    ['a request from a response event', 'origin-response', request(), 'result-shape'],
    ['a numeric status', 'viewer-request', response({ status: 401 }), 'status'],
    ['status 199', 'viewer-request', response({ status: '199' }), 'status'],
    ['status 600', 'origin-request', response({ status: '600' }), 'status'],
    ['status "2OO"', 'origin-request', response({ status: '2OO' }), 'status'],
    ['a 204 with a body', 'viewer-request', response({ status: '204', body: 'x' }), 'no-content-body'],
    ['bodyEncoding gzip', 'viewer-request', response({ body: 'x', bodyEncoding: 'gzip' }), 'body-encoding'],
    ['invalid base64', 'viewer-request', response({ body: 'not base64!', bodyEncoding: 'base64' }), 'body-encoding'],
    ['a non-string body', 'viewer-request', response({ body: { a: 1 } }), 'result-shape'],
    ['an upper-case map key', 'origin-response', response({ headers: { 'X-Frame-Options': [{ key: 'X-Frame-Options', value: 'DENY' }] } }), 'header-format'],
    ['a key not matching its map key', 'origin-response', response({ headers: { 'x-frame-options': [{ key: 'X-Frame', value: 'DENY' }] } }), 'header-format'],
    ['a numeric header value', 'origin-response', response({ headers: { age: [{ key: 'Age', value: 5 }] } }), 'header-format'],
    ['a header that is not an array', 'origin-response', response({ headers: { age: { key: 'Age', value: '5' } } }), 'header-format'],
    ['a header value with CRLF', 'origin-response', response({ headers: { a: [{ key: 'A', value: 'x\r\nSet-Cookie: y' }] } }), 'header-format'],
    ['a disallowed header', 'origin-response', response({ headers: { connection: [{ key: 'Connection', value: 'close' }] } }), 'disallowed-header'],
    ['a disallowed X-Amz-Cf-* header', 'viewer-request', response({ headers: { 'x-amz-cf-pop': [{ value: 'x' }] } }), 'disallowed-header'],
    ['a disallowed X-Edge-* header', 'origin-request', { ...request(), headers: { 'x-edge-location': [{ value: 'x' }] } }, 'disallowed-header'],
    ['Content-Length on a generated response', 'viewer-request', response({ headers: { 'content-length': [{ value: '1' }] } }), 'read-only-header'],
    ['a viewer response over 40 KB', 'viewer-request', response({ body: 'x'.repeat(40 * 1024) }), 'response-size'],
    ['an origin response over 1 MB', 'origin-request', response({ body: 'x'.repeat(1024 * 1024) }), 'response-size'],
    ['a request without a uri', 'viewer-request', { ...request(), uri: undefined }, 'request-shape'],
    ['a relative uri', 'viewer-request', { ...request(), uri: 'index.html' }, 'request-shape'],
    ['a request without headers', 'viewer-request', { ...request(), headers: undefined }, 'header-format'],
    ['an origin with both s3 and custom', 'origin-request', { ...request(), origin: { s3: {}, custom: {} } }, 'request-shape'],
    ['an origin with neither s3 nor custom', 'origin-request', { ...request(), origin: {} }, 'request-shape'],
    ['an origin that is not an object', 'origin-request', { ...request(), origin: 'example.org' }, 'request-shape'],
    ['headers that are not an object', 'origin-response', response({ headers: [] }), 'header-format'],
    ['headers that are a string', 'viewer-request', { ...request(), headers: 'host: x' }, 'header-format'],
    ['a header occurrence that is not an object', 'origin-response', response({ headers: { age: ['5'] } }), 'header-format'],
    ['a header occurrence that is null', 'origin-response', response({ headers: { age: [null] } }), 'header-format'],
    ['a non-string header key', 'origin-response', response({ headers: { age: [{ key: 5, value: '5' }] } }), 'header-format'],
    ['a null header value', 'origin-response', response({ headers: { age: [{ key: 'Age', value: null }] } }), 'header-format'],
    ['a header name with a space', 'origin-response', response({ headers: { 'x y': [{ value: '1' }] } }), 'header-format'],
    ['a header value with a NUL', 'viewer-request', { ...request(), headers: { ...request().headers, a: [{ value: 'x\0y' }] } }, 'header-format'],
    ['a non-string statusDescription', 'origin-response', response({ statusDescription: 200 }), 'result-shape'],
    ['a missing status', 'origin-response', { status: undefined, headers: {} }, 'status'],
    ['a numeric querystring', 'origin-request', { ...request(), querystring: 1 }, 'request-shape'],
    ['a non-string method', 'viewer-request', { ...request(), method: 1 }, 'request-shape'],
    ['a null body', 'viewer-request', response({ body: null }), 'result-shape'],
    ['a response from a response event without status', 'viewer-response', { headers: {} }, 'result-shape'],
    ['an array', 'viewer-request', [request()], 'result-shape'],
    ['a string', 'origin-request', '/index.html', 'result-shape'],
  ])('rejects %s', (_name, eventType, result, rule) => {
    expect(rules(eventType, result)).toContain(rule);
  });

  it('counts headers and body against the limit: 40 KB of body fits only without headers', () => {
    expect(rules('viewer-request', { status: '200', body: 'x'.repeat(40 * 1024 - 10) })).toEqual([]);
    expect(rules('origin-request', response({ body: 'x'.repeat(1024 * 1024 - 100) }))).toEqual([]);
  });

  it('accepts valid base64 and an empty 204', () => {
    expect(validateResult('viewer-request', response({ body: 'aGVsbG8=', bodyEncoding: 'base64' }))).toEqual([]);
    expect(validateResult('viewer-request', { status: '204', headers: {} })).toEqual([]);
  });

  describe('read-only headers and fields, given the original', () => {
    it.each<[EdgeEventType, string]>([
      ['viewer-request', 'host'],
      ['viewer-request', 'via'],
      ['origin-request', 'accept-encoding'],
      ['origin-request', 'if-none-match'],
    ])('%s: changing, adding or deleting %s is rejected', (eventType, name) => {
      const original = { ...request(), headers: { ...request().headers, [name]: [{ key: name, value: 'a' }] } };
      const changed = { ...request(), headers: { ...request().headers, [name]: [{ key: name, value: 'b' }] } };
      const deleted = { ...request(), headers: { ...request().headers } };
      expect(rules(eventType, changed, original)).toContain('read-only-header');
      expect(rules(eventType, deleted, original)).toContain('read-only-header');
      expect(rules(eventType, original, deleted)).toContain('read-only-header');
      expect(rules(eventType, original, original)).toEqual([]);
    });

    it('origin-response: Via and Transfer-Encoding must come back unchanged', () => {
      const original = response({ headers: { via: [{ key: 'Via', value: '1.1 abc.cloudfront.net' }] } });
      expect(rules('origin-response', response({ headers: {} }), original)).toContain('read-only-header');
      expect(rules('origin-response', original, original)).toEqual([]);
    });

    it('viewer-response may not change the status; method and clientIp are read-only', () => {
      expect(rules('viewer-response', response({ status: '404' }), response())).toContain('status');
      expect(rules('viewer-request', { ...request(), method: 'POST' }, request())).toContain('request-shape');
      expect(rules('viewer-request', { ...request(), clientIp: '1.2.3.4' }, request())).toContain('request-shape');
      expect(rules('viewer-request', { ...request(), origin: { custom: {} } }, { ...request(), origin: { s3: {} } })).toContain('request-shape');
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['null', null, /\(got null\)/],
    ['an array', [], /\(got an array\)/],
    ['undefined', undefined, /\(got undefined\)/],
  ])('says what it got instead of a result: %s', (_name, result, message) => {
    const [p] = validateResult('viewer-request', result);
    expect(p!.message).toMatch(/the request or a generated response/);
    expect(p!.message).toMatch(message);
    expect(validateResult('origin-response', result)[0]!.message).toMatch(/must return the response/);
  });

  it('lets a viewer-request function change the origin only when it keeps it equal, and origin-request change it', () => {
    const withOrigin = { ...request(), origin: { s3: { domainName: 'a.s3.amazonaws.com' } } };
    expect(rules('viewer-request', withOrigin, structuredClone(withOrigin))).toEqual([]);
    expect(rules('origin-request', { ...request(), origin: { custom: { domainName: 'b.example' } } }, withOrigin)).toEqual([]);
  });

  it('lets viewer-response keep the status, and generated request-event responses skip the original', () => {
    expect(rules('viewer-response', response(), response())).toEqual([]);
    expect(rules('origin-request', response({ status: '502' }), request())).toEqual([]);
  });

  it('names where the problem is', () => {
    const [p] = validateResult('origin-response', response({ headers: { age: [{ key: 'Age', value: 5 }] } }));
    expect(p!.message).toContain('response.headers["age"][0].value');
  });

  it('rejects an unknown event type', () => {
    expect(rules('viewer-reqest' as EdgeEventType, request())).toEqual(['event-type']);
  });
});

describe('assertValidResult', () => {
  it('throws a LambdaEdgeValidationError listing every problem', () => {
    const bad = { status: 200, body: 'x', bodyEncoding: 'zip' };
    expect(() => assertValidResult('viewer-request', bad)).toThrow(LambdaEdgeValidationError);
    try {
      assertValidResult('viewer-request', bad);
    } catch (err) {
      const e = err as LambdaEdgeValidationError;
      expect(e.problems.map((p) => p.rule)).toEqual(['status', 'body-encoding']);
      expect(e.code).toBe('LAMBDA_EDGE_INVALID_RESULT');
      expect(e.status).toBe(502);
      expect(e.eventType).toBe('viewer-request');
      expect(e.message).toMatch(/viewer-request result \(502\)[\s\S]*\[status\][\s\S]*\[body-encoding\]/);
    }
  });

  it('returns quietly for a valid result', () => {
    expect(assertValidResult('origin-request', request())).toBeUndefined();
  });
});
