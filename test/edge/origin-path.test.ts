import { originObject, originPath } from '../../src/edge/origin-path';

const plain = { prettyUrls: false };
const pretty = { prettyUrls: true };
const spa = { prettyUrls: false, spaFallback: '/index.html' };
const spaPretty = { prettyUrls: true, spaFallback: '/app.html' };

describe('originPath: the key S3 is asked for', () => {
  it.each<[string, string, { prettyUrls: boolean; spaFallback?: string }, string]>([
    ['plain', '/', plain, '/index.html'],
    ['plain', '/docs/', plain, '/docs/index.html'],
    ['plain', '/about', plain, '/about'],
    ['plain', '/about.html', plain, '/about.html'],
    ['plain', '/v1.2/notes', plain, '/v1.2/notes'],
    ['plain', '/.well-known/x', plain, '/.well-known/x'],
    ['pretty', '/', pretty, '/index.html'],
    ['pretty', '/about', pretty, '/about/index.html'],
    ['pretty', '/about/', pretty, '/about/index.html'],
    ['pretty', '/about.html', pretty, '/about.html'],
    ['pretty', '/v1.2/notes', pretty, '/v1.2/notes/index.html'],
    ['pretty', '/a.b/c.d', pretty, '/a.b/c.d'],
    ['spa', '/dashboard/settings', spa, '/index.html'],
    ['spa', '/app.js', spa, '/app.js'],
    ['spa', '/docs/', spa, '/docs/index.html'],
    ['spa + pretty: the fallback wins', '/dashboard', spaPretty, '/app.html'],
    ['spa + pretty', '/', spaPretty, '/index.html'],
  ])('%s: %s → %s', (_name, uri, origin, expected) => {
    expect(originPath(uri, origin)).toBe(expected);
  });
});

describe('originObject: the key, how a path reaches it, and every viewer path reaching it', () => {
  it.each<[string, { prettyUrls: boolean; spaFallback?: string }, string, string, string[]]>([
    ['/', plain, '/index.html', 'index', ['/index.html', '/']],
    ['/index.html', pretty, '/index.html', 'as-is', ['/index.html', '/']],
    ['/docs/', plain, '/docs/index.html', 'index', ['/docs/index.html', '/docs/']],
    ['/docs', pretty, '/docs/index.html', 'pretty', ['/docs/index.html', '/docs/', '/docs']],
    ['/a/b/index.html', pretty, '/a/b/index.html', 'as-is', ['/a/b/index.html', '/a/b/', '/a/b']],
    ['/docs/guide.html', pretty, '/docs/guide.html', 'as-is', ['/docs/guide.html']],
    ['/docs/myindex.html', pretty, '/docs/myindex.html', 'as-is', ['/docs/myindex.html']],
    ['/app.js', plain, '/app.js', 'as-is', ['/app.js']],
    // Regressions: "/x" is not an alias of "/x/index.html" when it does not reach it.
    ['/reports/', spaPretty, '/reports/index.html', 'index', ['/reports/index.html', '/reports/']],
    ['/v2.0/', pretty, '/v2.0/index.html', 'index', ['/v2.0/index.html', '/v2.0/']],
    ['/dashboard', spaPretty, '/app.html', 'spa', ['/app.html']],
    ['/dashboard', spa, '/index.html', 'spa', ['/index.html', '/']],
  ])('%s (%j) → %s by %s, reached by %j', (uri, origin, key, route, aliases) => {
    expect(originObject(uri, origin)).toEqual({ key, route, aliases });
  });

  it('every alias maps back to its key, and not through the SPA fallback', () => {
    for (const origin of [plain, pretty, spa, spaPretty]) {
      for (const uri of ['/', '/docs/', '/docs', '/a/b/index.html', '/v2.0/', '/v2.0', '/x.y/z']) {
        const { key, aliases } = originObject(uri, origin);
        for (const alias of aliases) {
          const again = originObject(alias, origin);
          expect(again.key).toBe(key);
          if (alias !== key) expect(again.route).not.toBe('spa');
        }
      }
    }
  });
});
