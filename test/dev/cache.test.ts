import { DEFAULT_TTLS, EdgeCache, ttlFor } from '../../src/dev/cache';
import { toCfHeaders } from '../../src/dev/event';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const h = (...pairs: string[]) => toCfHeaders(pairs);

describe('ttlFor: CloudFront\'s rules with the default cache policy TTLs (min 0, default 1 day, max 1 year)', () => {
  test.each([
    ['no caching header → default TTL', 200, h(), DEFAULT_TTLS.defaultTtl],
    ['max-age', 200, h('Cache-Control', 'public, max-age=300'), 300],
    ['s-maxage wins over max-age', 200, h('Cache-Control', 'max-age=300, s-maxage=60'), 60],
    ['no-cache with min TTL 0 → not cached', 200, h('Cache-Control', 'no-cache'), 0],
    ['no-store → not cached', 200, h('Cache-Control', 'no-store'), 0],
    ['private → not cached', 200, h('Cache-Control', 'private, max-age=600'), 0],
    ['max-age above the maximum is capped', 200, h('Cache-Control', 'max-age=999999999'), DEFAULT_TTLS.maxTtl],
    ['Expires in the future', 200, h('Expires', new Date(NOW + 120_000).toUTCString()), 120],
    ['Expires in the past', 200, h('Expires', new Date(NOW - 120_000).toUTCString()), 0],
    ['max-age wins over Expires', 200, h('Cache-Control', 'max-age=5', 'Expires', new Date(NOW + 120_000).toUTCString()), 5],
    ['404 → error caching minimum TTL', 404, h('Cache-Control', 'max-age=600'), DEFAULT_TTLS.errorTtl],
    ['403 → error caching minimum TTL', 403, h(), DEFAULT_TTLS.errorTtl],
    ['401 is never cached', 401, h('Cache-Control', 'max-age=600'), 0],
    ['304 is never cached', 304, h(), 0],
  ])('%s', (_name, status, headers, ttl) => {
    expect(ttlFor(status, headers, DEFAULT_TTLS, NOW)).toBe(ttl);
  });
});

describe('EdgeCache', () => {
  const entry = (body: string) => ({ status: 200, statusDescription: 'OK', headers: {}, body: Buffer.from(body), originStatus: 200 });

  test('keeps an entry for its TTL, then forgets it', () => {
    let now = 0;
    const cache = new EdgeCache(1 << 20, () => now);
    cache.set('/a', entry('a'), 10);
    expect(cache.get('/a')?.body.toString()).toBe('a');
    now = 9_999;
    expect(cache.lookup('/a')?.ageSeconds).toBe(9);
    now = 10_000;
    expect(cache.get('/a')).toBeUndefined();
  });

  test('a TTL of 0 stores nothing', () => {
    const cache = new EdgeCache();
    cache.set('/a', entry('a'), 0);
    expect(cache.get('/a')).toBeUndefined();
  });

  test('evicts the least recently used entry when over its byte budget', () => {
    const cache = new EdgeCache(3 * (600 + 512));
    for (const k of ['/1', '/2', '/3']) cache.set(k, entry('x'.repeat(600)), 60);
    cache.get('/1');
    cache.set('/4', entry('x'.repeat(600)), 60);
    expect(cache.get('/2')).toBeUndefined();
    expect(cache.get('/1')).toBeDefined();
    expect(cache.get('/4')).toBeDefined();
  });

  test('key: path and query string', () => {
    expect(EdgeCache.key('/a', '')).toBe('/a');
    expect(EdgeCache.key('/a', 'v=2')).toBe('/a?v=2');
  });
});
