/**
 * Content-hash detection: names bundlers emit are cached for a year, names people choose are not.
 * A miss costs a revalidation every five minutes; a false match serves a stale file for a year,
 * so the rule leans to misses (e.g. a Vite hash without a digit that reads as camel-case words).
 */
import { cacheControlResolver, IMMUTABLE, isContentHashed, SHORT_CACHE } from '../../src/origin/deploy/object-headers';

const HASHED: readonly [string, string][] = [
  ['Vite', 'assets/index-BxK3_m9a.js'],
  ['Vite', 'assets/index-D-jzn8sK.css'],
  ['Vite', 'assets/vendor-CwzSb2Qf.js'],
  ['Vite', 'assets/react-CHdo91hT.svg'],
  ['Vite', 'assets/Inter-Regular-C8gq0rVa.woff2'],
  ['Vite', 'assets/index-Dr3mD_2a.js'],
  ['Rollup', 'dist/main-Bq7x_K2p.js'],
  ['esbuild', 'chunk-5GJ6ZTLQ.js'],
  ['esbuild', 'out/main-DZMW3PUI.js'],
  ['esbuild', 'app-QXK7N2RT.css'],
  ['webpack [contenthash]', 'main.4f1c2d3e5b6a7980c1d2.js'],
  ['webpack [contenthash]', '3f8a9c1d2e4b5a6f7c8d.js'],
  ['webpack', 'runtime~main.a1b2c3d4.js'],
  ['Create React App', 'static/js/main.8f3c1a2b.js'],
  ['Create React App', 'static/js/787.4a5b6c7d.chunk.js'],
  ['Create React App', 'static/css/main.2b9c4e7a.css'],
  ['Create React App', 'static/media/logo.6ce24c58023cc2f8fd88.svg'],
  ['Create React App', 'static/js/main.8f3c1a2b.js.map'],
  ['Create React App', 'static/js/main.8f3c1a2b.js.LICENSE.txt'],
  ['Angular', 'main.1a2b3c4d5e6f7a8b.js'],
  ['Angular', 'polyfills.9f8e7d6c5b4a3928.js'],
  ['Angular', 'styles.0a1b2c3d4e5f6a7b.css'],
  ['Parcel', 'index.3d2c9f1a.js'],
  ['Parcel', 'logo.5a9e3b1c.png'],
  ['Next.js', '_next/static/chunks/main-5f3e2a1b9c8d7e6f.js'],
  ['Next.js', '_next/static/chunks/pages/_app-1a2b3c4d5e6f7a8b.js'],
  ['Next.js', '_next/static/css/8a9b0c1d2e3f4a5b.css'],
  ['Next.js', '_next/static/aBcD3fGhIjKlMnOp/_buildManifest.js'],
  ['Next.js', '_next/static/media/inter.7b3f2a1c.woff2'],
  ['Astro', '_astro/index.B2xU8Kqv.css'],
  ['Astro', '_astro/client.DPMxnn1Y.js'],
  ['Astro', '_astro/hero.Cq3Jx8Wm_Z1abc2.webp'],
  ['SvelteKit', '_app/immutable/entry/start.BxY3kz1Q.js'],
  ['SvelteKit', '_app/immutable/chunks/index.D4k9Lm2P.js'],
  ['Nuxt', '_nuxt/DkJxA1Yz.js'],
  ['Nuxt', '_nuxt/entry.8f3c1a2b.css'],
  ['Gatsby', 'app-8c3e3b1d5a4f2e6c7b9a.js'],
  ['Gatsby', 'webpack-runtime-1f2e3d4c5b6a7980.js'],
  ['Gatsby', 'component---src-pages-index-js-4b5c6d7e8f9a0b1c2d3e.js'],
  ['Hugo fingerprint (SHA-256)', 'css/main.min.5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e.css'],
];

const NAMED: readonly string[] = [
  'og-image-1200x630.png', 'hero-1920x1080.jpg', 'photo-DSC01234.jpg', 'logo-version2.svg', 'tutorial-chapter10.pdf',
  'favicon.ico', 'favicon-32x32.png', 'android-chrome-192x192.png', 'mstile-150x150.png', 'apple-touch-icon.png', 'safari-pinned-tab.svg',
  'robots.txt', 'sitemap.xml', 'site.webmanifest', 'images/team-2024.jpg', 'report-2023-Q4.pdf', 'img/banner-3840x2160.webp',
  'screenshot-20240115.png', 'IMG_20240115_123456.jpg', 'fonts/Inter-Regular.woff2', 'fonts/OpenSans-SemiBold.ttf', 'fonts/Roboto-BoldItalic.woff2',
  'icons/arrow-left.svg', 'docs/user-guide-v2.pdf', 'downloads/app-v1.2.3.dmg', 'videos/intro-1080p.mp4', 'logo-DarkMode.svg', 'brand/Logo2024.png',
  'css/styles.min.css', 'js/jquery-3.7.1.min.js', 'js/bootstrap.bundle.min.js', 'audio/episode-042.mp3', 'data/export-2024-01-15.csv',
  'img/thumbnail-320x240.jpg', 'img/avatar-256x256.png', 'img/background-2560x1440.jpg', 'banner-SUMMER24.jpg', 'product-SKU12345.jpg',
  'invoice-INV00042.pdf', 'whitepaper-Security.pdf', 'product-Features.pdf', 'Brochure2024.pdf', 'deadline-calendar.ics', 'CHANGELOG.txt',
];

describe('content-hashed names (immutable for a year)', () => {
  test.each(HASHED)('%s: %s', (_bundler, key) => {
    expect(isContentHashed(key)).toBe(true);
    expect(cacheControlResolver(undefined)(key)).toBe(IMMUTABLE);
  });
});

describe('names people choose (revalidated)', () => {
  test.each(NAMED)('%s', (key) => {
    expect(isContentHashed(key)).toBe(false);
    expect(cacheControlResolver(undefined)(key)).toBe(SHORT_CACHE);
  });

  test('at least 30 real names each way', () => {
    expect(HASHED.length).toBeGreaterThanOrEqual(30);
    expect(NAMED.length).toBeGreaterThanOrEqual(30);
  });
});
