import { DEV_DISTRIBUTION, isResponse, makeEvent, requestIdFrom, s3Origin, validateResult } from '../../src/edge/cloudfront';

const request = () => ({ clientIp: '203.0.113.178', method: 'GET', uri: '/', querystring: '', headers: { host: [{ key: 'Host', value: DEV_DISTRIBUTION.distributionDomainName }] } });

describe('CloudFront event builders', () => {
  it.each([
    [
      'OAC: authMethod none and no region (the signature is invisible to Lambda@Edge)',
      { bucketDomain: 'acme.s3.eu-west-1.amazonaws.com', region: 'eu-west-1', originAccess: 'oac' as const },
      { s3: { authMethod: 'none', customHeaders: {}, domainName: 'acme.s3.eu-west-1.amazonaws.com', path: '' } },
    ],
    [
      'OAI: the identity and the region',
      { bucketDomain: 'acme.s3.amazonaws.com', region: 'us-east-1', originAccess: 'oai' as const, path: '/site' },
      { s3: { authMethod: 'origin-access-identity', customHeaders: {}, domainName: 'acme.s3.amazonaws.com', path: '/site', region: 'us-east-1' } },
    ],
  ])('s3Origin, %s', (_name, facts, expected) => {
    expect(s3Origin(facts)).toEqual(expected);
  });

  it('makeEvent wraps one record, with the response only for response events', () => {
    const req = { ...request(), ...s3Origin({ bucketDomain: 'a.s3.amazonaws.com', region: 'us-east-1', originAccess: 'oac' }) };
    const viewer = makeEvent(DEV_DISTRIBUTION, 'viewer-request', 'id-1', request());
    expect(viewer).toEqual({
      Records: [{ cf: { config: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'id-1' }, request: request() } }],
    });
    expect('response' in viewer.Records[0]!.cf).toBe(false);
    const response = { status: '200', statusDescription: 'OK', headers: {} };
    const origin = makeEvent(DEV_DISTRIBUTION, 'origin-response', 'id-2', req, response);
    expect(origin.Records[0]!.cf).toMatchObject({ config: { eventType: 'origin-response', requestId: 'id-2' }, request: req, response });
  });

  it('requestIdFrom gives 56 URL-safe base64 characters', () => {
    const id = requestIdFrom(new Uint8Array(42).map((_, i) => i * 37));
    expect(id).toHaveLength(56);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(requestIdFrom(new Uint8Array(42))).toBe('A'.repeat(56));
    expect(requestIdFrom(new Uint8Array(60))).toHaveLength(56);
  });

  it.each<[unknown, boolean]>([
    [{ status: '401', headers: {} }, true],
    [{ status: undefined }, true],
    [request(), false],
    [null, false],
    [undefined, false],
    ['status', false],
  ])('isResponse(%p) → %s', (value, expected) => {
    expect(isResponse(value)).toBe(expected);
  });

  it('a built request is valid for a viewer-request function to return as it is', () => {
    const event = makeEvent(DEV_DISTRIBUTION, 'viewer-request', 'id', request());
    expect(validateResult('viewer-request', event.Records[0]!.cf.request, request())).toEqual([]);
  });
});
