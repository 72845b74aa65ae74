/**
 * The alias rule as a property over generated configs and paths: whenever viewer-request lets a
 * path through without credentials, the object origin-request fetches for it is not protected.
 * "Not protected" is judged here without the handlers' alias code: the object, asked for
 * directly, passes without credentials too; and if a protect pattern matches any viewer path that
 * origin-request maps to that object, a bypass pattern matches one of them.
 * From source over generated configs; through the built bundles over a fixed sample of them.
 */
import fc from 'fast-check';
import { HANDLER_SOURCES, invoke, recordedEvent, testConfigInput, testUsers, type EdgeHandlers, type Handler, captureConsoleLog } from './bundles';

type Result = { status?: string; uri?: string };

/** What the handlers log (console.log), per test. */
const logs = captureConsoleLog();

const PATTERNS = ['/reports', '/reports/', '/reports/index.html', '/reports/*', '/v2.0', '/v2.0/', '/v2.0/index.html', '/docs/*', '/index.html', '/', '/*', '/health', '/app.html', '/shell/index.html'];
const SEGMENTS = ['reports', 'v2.0', 'index.html', 'app.html', 'docs', 'health', 'shell', 'a.b', 'x'];

interface AliasConfig {
  readonly prettyUrls: boolean;
  readonly spaFallback?: string;
  readonly protect: string[];
  readonly bypass: string[];
}

const configArb: fc.Arbitrary<AliasConfig> = fc.record(
  {
    prettyUrls: fc.boolean(),
    spaFallback: fc.constantFrom('/index.html', '/app.html', '/shell/index.html', '/shell'),
    protect: fc.uniqueArray(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 3 }),
    bypass: fc.uniqueArray(fc.constantFrom(...PATTERNS), { maxLength: 3 }),
  },
  { requiredKeys: ['prettyUrls', 'protect', 'bypass'] },
);
const pathArb = fc
  .tuple(fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 3 }), fc.boolean())
  .map(([parts, slash]) => (parts.length === 0 ? '/' : `/${parts.join('/')}${slash ? '/' : ''}`));

/** A pattern matcher written for the test: exact, or "/dir/*" for /dir and below. */
function matches(pattern: string, path: string): boolean {
  if (pattern === '/*') return true;
  if (pattern.endsWith('/*')) {
    const dir = pattern.slice(0, -2);
    return path === dir || path.startsWith(`${dir}/`);
  }
  return pattern === path;
}

function input(c: AliasConfig): Record<string, unknown> {
  const origin = { prettyUrls: c.prettyUrls, ...(c.spaFallback ? { spaFallback: c.spaFallback } : {}) };
  return testConfigInput({ auth: { realm: 'R', users: testUsers(), protect: c.protect, bypass: c.bypass }, origin });
}

function viewerEvent(uri: string) {
  const event = recordedEvent('viewer-request');
  event.Records[0].cf.request.uri = uri;
  return event;
}
function originEvent(uri: string) {
  const event = recordedEvent('origin-request-s3-none');
  event.Records[0].cf.request.uri = uri;
  return event;
}

async function checkPath(handlers: EdgeHandlers, c: AliasConfig, path: string): Promise<void> {
  const viewer: Handler = handlers.handler('dev', 'viewer-request');
  const origin: Handler = handlers.handler('dev', 'origin-request');
  const keyOf = async (p: string): Promise<string | undefined> => (await invoke<Result>(origin, originEvent(p))).uri;
  const anonymous = async (p: string): Promise<boolean> => (await invoke<Result>(viewer, viewerEvent(p))).status === undefined;
  if (!(await anonymous(path))) return;
  const key = await keyOf(path);
  expect(key).toBeDefined();
  // The object asked for directly is open too.
  expect(await anonymous(key!)).toBe(true);
  // Every viewer path that origin-request maps to the object, among its directory forms.
  const forms = [key!];
  if (key!.endsWith('/index.html')) {
    const dir = key!.slice(0, -'index.html'.length);
    forms.push(dir);
    if (dir !== '/') forms.push(dir.slice(0, -1));
  }
  const reaching: string[] = [];
  for (const f of forms) if ((await keyOf(f)) === key) reaching.push(f);
  const isProtected = reaching.some((p) => c.protect.some((pattern) => matches(pattern, p)));
  const isBypassed = reaching.some((p) => c.bypass.some((pattern) => matches(pattern, p)));
  if (isProtected && !isBypassed) throw new Error(`${path} passed without credentials, but origin-request fetches ${key}, protected (reached by ${reaching.join(', ')}) under ${JSON.stringify(c)}`);
}

describe('alias rule (source, generated configs)', () => {
  it('a path let through without credentials never fetches a protected object', async () => {
    const [, load] = HANDLER_SOURCES[0]!;
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(pathArb, { minLength: 1, maxLength: 12 }), async (c, paths) => {
        const handlers = await load(input(c));
        for (const p of paths) await checkPath(handlers, c, p);
      }),
      { numRuns: 400 },
    );
  });
});

/** The two reported bypasses and a few more corners, for the built bundles (one build each). */
const SAMPLE: AliasConfig[] = [
  { prettyUrls: true, spaFallback: '/index.html', protect: ['/reports/index.html'], bypass: ['/reports'] },
  { prettyUrls: true, protect: ['/v2.0/index.html'], bypass: ['/v2.0'] },
  { prettyUrls: true, spaFallback: '/shell/index.html', protect: ['/*'], bypass: ['/shell', '/health'] },
];
const ALL_PATHS = ['/', '/reports', '/reports/', '/reports/index.html', '/v2.0', '/v2.0/', '/v2.0/index.html', '/shell', '/shell/', '/shell/index.html', '/health', '/docs/x', '/a.b/'];

describe.each(HANDLER_SOURCES)('alias rule (%s, sample configs)', (_kind, load) => {
  it.each(SAMPLE.map((c) => [JSON.stringify(c), c] as const))('%s', async (_name, c) => {
    const handlers = await load(input(c));
    try {
      for (const p of ALL_PATHS) await checkPath(handlers, c, p);
    } finally {
      handlers.cleanup();
    }
  });
});
