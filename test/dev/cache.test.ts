import { DEFAULT_TTLS, EdgeCache, ttlFor } from '../../src/dev/cache';
import { toCfHeaders } from '../../src/dev/event';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const h = (...pairs: string[]) => toCfHeaders(pairs);

describe('ttlFor: CloudFront\'s rules with CachingOptimized\'s TTLs (min 1 s, default 1 day, max 1 year)', () => {
  test('the TTLs are the managed policy\'s', () => {
    expect(DEFAULT_TTLS).toEqual({ minTtl: 1, defaultTtl: 86_400, maxTtl: 31_536_000, errorTtl: 10 });
  });

  test.each<readonly [string, number, ReturnType<typeof h>, number]>([
    ['no caching header → default TTL', 200, h(), DEFAULT_TTLS.defaultTtl],
    ['max-age', 200, h('Cache-Control', 'public, max-age=300'), 300],
    ['s-maxage wins over max-age', 200, h('Cache-Control', 'max-age=300, s-maxage=60'), 60],
    ['no-cache with min TTL 1 → the minimum TTL', 200, h('Cache-Control', 'no-cache'), 1],
    ['no-store → the minimum TTL', 200, h('Cache-Control', 'no-store'), 1],
    ['private → the minimum TTL', 200, h('Cache-Control', 'private, max-age=600'), 1],
    ['max-age above the maximum is capped', 200, h('Cache-Control', 'max-age=999999999'), DEFAULT_TTLS.maxTtl],
    ['max-age=0 is raised to the minimum', 200, h('Cache-Control', 'max-age=0'), 1],
    ['Expires in the future', 200, h('Expires', new Date(NOW + 120_000).toUTCString()), 120],
    ['Expires in the past → the minimum', 200, h('Expires', new Date(NOW - 120_000).toUTCString()), 1],
    ['max-age wins over Expires', 200, h('Cache-Control', 'max-age=5', 'Expires', new Date(NOW + 120_000).toUTCString()), 5],
    ...[404, 414, 500, 501, 502, 503, 504].map((s) => [`${s} without max-age → error caching minimum TTL`, s, h(), DEFAULT_TTLS.errorTtl] as const),
    ['404 with max-age → the origin\'s max-age', 404, h('Cache-Control', 'max-age=600'), 600],
    ...[400, 403, 405, 412, 415].map((s) => [`${s} without max-age → not cached`, s, h(), 0] as const),
    ...[400, 403, 405, 412, 415].map((s) => [`${s} with s-maxage → cached for it`, s, h('Cache-Control', 's-maxage=30'), 30] as const),
    ['416 is never cached', 416, h('Cache-Control', 'max-age=600'), 0],
    ['401 is never cached', 401, h('Cache-Control', 'max-age=600'), 0],
    ['304 is never cached', 304, h(), 0],
  ])('%s', (_name, status, headers, ttl) => {
    expect(ttlFor(status, headers, DEFAULT_TTLS, NOW)).toBe(ttl);
  });

  test('a custom error response\'s TTL applies to its code, even one not cached by default', () => {
    expect(ttlFor(403, h(), DEFAULT_TTLS, NOW, 60)).toBe(60);
    expect(ttlFor(403, h('Cache-Control', 'max-age=5'), DEFAULT_TTLS, NOW, 60)).toBe(5);
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

  test('key: the path only (CachingOptimized has no query string, header or cookie in the key)', () => {
    expect(EdgeCache.key('/a')).toBe('/a');
  });
});
