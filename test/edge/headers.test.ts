import { appendHeader, getHeader, getHeaderValues, hasHeader, headerMatcher, removeHeader, setHeader, type CfHeaders } from '../../src/edge/headers';

describe('CloudFront header library', () => {
  const sample = (): CfHeaders => ({
    host: [{ key: 'Host', value: 'd111111abcdef8.cloudfront.net' }],
    'accept-language': [
      { key: 'Accept-Language', value: 'en' },
      { key: 'Accept-Language', value: 'de' },
    ],
  });

  it('reads the first value and all values, ignoring the case of the name', () => {
    const h = sample();
    expect(getHeader(h, 'HOST')).toBe('d111111abcdef8.cloudfront.net');
    expect(getHeaderValues(h, 'Accept-Language')).toEqual(['en', 'de']);
    expect(getHeader(h, 'missing')).toBeUndefined();
    expect(getHeaderValues(undefined, 'x')).toEqual([]);
    expect(hasHeader(h, 'Host')).toBe(true);
    expect(hasHeader(h, 'cookie')).toBe(false);
  });

  it('set replaces every occurrence with one {key, value} under the lower-case name', () => {
    const h = sample();
    setHeader(h, 'Accept-Language', 'fr');
    expect(h['accept-language']).toEqual([{ key: 'Accept-Language', value: 'fr' }]);
    setHeader(h, 'X-Frame-Options', 'DENY');
    expect(h['x-frame-options']).toEqual([{ key: 'X-Frame-Options', value: 'DENY' }]);
    expect(Object.keys(h).every((k) => k === k.toLowerCase())).toBe(true);
  });

  it('append keeps earlier occurrences; remove drops all of them', () => {
    const h = sample();
    appendHeader(h, 'Accept-Language', 'fr');
    expect(getHeaderValues(h, 'accept-language')).toEqual(['en', 'de', 'fr']);
    appendHeader(h, 'Set-Cookie', 'a=1');
    expect(h['set-cookie']).toEqual([{ key: 'Set-Cookie', value: 'a=1' }]);
    removeHeader(h, 'ACCEPT-LANGUAGE');
    expect(h['accept-language']).toBeUndefined();
  });

  it.each([
    ['server', true],
    ['x-amz-meta-build', true],
    ['x-amz-meta-', true],
    ['x-amz-met', false],
    ['servers', false],
    ['content-type', false],
  ])('headerMatcher(["server", "x-amz-meta-*"]) on %s → %s', (name, expected) => {
    expect(headerMatcher(['server', 'X-Amz-Meta-*'])(name)).toBe(expected);
  });
});
