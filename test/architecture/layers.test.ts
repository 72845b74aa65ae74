/**
 * The layers run one way. Each rule names the folders a layer may import from; the test lists every
 * import that breaks one, as "file → imported module".
 *
 *   base (src/*.ts but index.ts, src/types)  ← everything
 *   edge contract (src/edge/cloudfront)       → base
 *   config                                    → the edge contract, base
 *   distribution (one description of the CDN) → config, base
 *   edge handlers (src/edge, the rest)        → the edge contract (nothing above: they are bundled)
 *   build                                     → config, edge, base
 *   origin/*                                  → never dev, testing or cli
 *   dev (the local edge)                      → build, edge, config, distribution, origin/deploy, base
 *   testing (edgelock/testing)                → build, edge, the edge contract, config, base
 *   cdktf/                                    → never dev, testing or cli
 *   cli                                       → anything; nothing imports cli
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : /\.ts$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of one file, resolved to paths from the repository root without extension. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]!;
    if (!spec.startsWith('.')) continue;
    out.push(path.normalize(path.join(path.dirname(file), spec)).replace(/\.(ts|js)$/, ''));
  }
  return out;
}

type Layer = 'base' | 'contract' | 'config' | 'distribution' | 'edge' | 'build' | 'origin' | 'origin/deploy' | 'dev' | 'testing' | 'cli' | 'index' | 'cdktf';

function layerOf(mod: string): Layer {
  const m = mod.replace(/\/index$/, '');
  if (m === 'src') return 'index';
  if (m.startsWith('src/edge/cloudfront')) return 'contract';
  if (m.startsWith('src/edge')) return 'edge';
  if (m.startsWith('src/config')) return 'config';
  if (m.startsWith('src/distribution')) return 'distribution';
  if (m.startsWith('src/build')) return 'build';
  if (m.startsWith('src/origin/deploy')) return 'origin/deploy';
  if (m.startsWith('src/origin')) return 'origin';
  if (m.startsWith('src/dev')) return 'dev';
  if (m.startsWith('src/testing')) return 'testing';
  if (m.startsWith('src/cli')) return 'cli';
  if (m.startsWith('cdktf')) return 'cdktf';
  if (m.startsWith('src/types') || /^src\/[^/]+$/.test(m)) return 'base';
  throw new Error(`no layer for ${mod}`);
}

const ALL: readonly Layer[] = ['base', 'contract', 'config', 'distribution', 'edge', 'build', 'origin', 'origin/deploy', 'dev', 'testing', 'cli', 'index', 'cdktf'];
const except = (...no: Layer[]): Layer[] => ALL.filter((l) => !no.includes(l));

/** What each layer may import. */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  base: ['base'],
  contract: ['contract', 'base'],
  config: ['config', 'contract', 'base'],
  distribution: ['distribution', 'config', 'base'],
  edge: ['edge', 'contract'],
  build: ['build', 'config', 'edge', 'contract', 'base'],
  origin: except('dev', 'testing', 'cli', 'index', 'cdktf'),
  'origin/deploy': except('dev', 'testing', 'cli', 'index', 'cdktf'),
  dev: ['dev', 'build', 'edge', 'contract', 'config', 'distribution', 'origin/deploy', 'base'],
  testing: ['testing', 'build', 'edge', 'contract', 'config', 'base'],
  cdktf: except('dev', 'testing', 'cli', 'index'),
  index: except('cli'),
  cli: ALL,
};

const sources = [...files('src'), ...files('cdktf')];

test('every source file belongs to a layer', () => {
  expect(sources.length).toBeGreaterThan(50);
  for (const f of sources) expect(ALL).toContain(layerOf(f.replace(/\.ts$/, '')));
});

test.each(ALL.filter((l) => l !== 'cli'))('%s imports only what its layer may', (layer) => {
  const offending = sources
    .filter((f) => layerOf(f.replace(/\.ts$/, '')) === layer)
    .flatMap((f) => importsOf(f).filter((m) => !MAY_IMPORT[layer].includes(layerOf(m))).map((m) => `${f} → ${m} (${layerOf(m)})`));
  expect(offending).toEqual([]);
});

test('the rules catch a wrong-way import', () => {
  // The check itself can fail: an import from the emulator into the build is named.
  expect(MAY_IMPORT.build).not.toContain(layerOf('src/dev/event'));
  expect(importsOf('src/build/check-responses.ts')).toContain('src/edge/cloudfront');
  expect(MAY_IMPORT.testing).not.toContain(layerOf('src/dev/edge'));
  expect(importsOf('src/dev/origin.ts')).toEqual(expect.arrayContaining(['src/edge/cloudfront', 'src/errors', 'src/dev/event']));
});
