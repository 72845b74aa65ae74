import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEdge } from '../../src/build';
import { HANDLERS, bundleLimits } from '../../src/build/handlers';
import { TRIGGER_LIMITS } from '../../src/edge/cloudfront';
import type { Manifest } from '../../src/build/manifest';
import { loadConfig } from '../../src/config/load';
import { sha256 } from '../../src/build/bundle';
import { ROOT, runCli, runInProcess } from '../helpers/cli';
import { resolvedConfig, tempDir, validConfig } from '../helpers/config';

const EXAMPLE = path.join(ROOT, 'examples', 'edgelock.config.ts');

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

describe('edgelock build', () => {
  let out: string;
  let manifest: Manifest;

  beforeAll(() => {
    out = path.join(tempDir(), 'dist');
    const r = runCli(['build', '--config', EXAMPLE, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/built acme-web into .*\n.*environment\s+handler/);
    manifest = readManifest(out);
  });

  test('writes one bundle and one zip per handler, none for viewer-request where auth is off', () => {
    expect(Object.keys(manifest.environments.dev!).sort()).toEqual(['origin-request', 'origin-response', 'viewer-request']);
    expect(Object.keys(manifest.environments.prod!).sort()).toEqual(['origin-request', 'origin-response']);
    expect(readdirSync(path.join(out, 'prod')).sort()).toEqual(['origin-request', 'origin-request.zip', 'origin-response', 'origin-response.zip']);
  });

  test('the manifest matches the files on disk', () => {
    for (const handlers of Object.values(manifest.environments)) {
      for (const a of Object.values(handlers)) {
        const js = readFileSync(path.join(out, a!.bundle));
        const zip = readFileSync(path.join(out, a!.zip));
        expect(a!.bundleBytes).toBe(js.length);
        expect(a!.bundleSha256).toBe(sha256(js));
        expect(a!.zipBytes).toBe(zip.length);
        expect(a!.sha256).toBe(sha256(zip));
        expect(a!.sourceCodeHash).toBe(sha256(zip, 'base64'));
      }
    }
  });

  test('each zip holds exactly index.js, the bundle, readable by unzip', () => {
    const a = manifest.environments.dev!['viewer-request']!;
    const zip = path.join(out, a.zip);
    expect(execFileSync('/usr/bin/unzip', ['-Z1', zip], { encoding: 'utf8' }).trim()).toBe('index.js');
    expect(execFileSync('/usr/bin/unzip', ['-p', zip, 'index.js'])).toEqual(readFileSync(path.join(out, a.bundle)));
  });

  test('bundles load in a fresh node with an empty environment and export a handler', () => {
    for (const [env, handlers] of Object.entries(manifest.environments)) {
      for (const [name, a] of Object.entries(handlers)) {
        const r = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(path.join(out, a!.bundle))}); process.stdout.write(typeof m.handler + ' ' + Object.keys(process.env).length)`], { env: {}, encoding: 'utf8' });
        expect(`${env}/${name}: ${r.stdout}`).toBe(`${env}/${name}: function 0`);
      }
    }
  });

  test('the config is baked in: realm and hashes in the bundle, no environment or file reads', () => {
    const js = readFileSync(path.join(out, manifest.environments.dev!['viewer-request']!.bundle), 'utf8');
    const cfg = loadConfig(EXAMPLE);
    expect(js).toContain(cfg.auth!.realm);
    expect(js).toContain(cfg.auth!.users[0]!.hash);
    expect(js.startsWith('/*! edgelock ')).toBe(true);
    for (const handlers of Object.values(manifest.environments)) {
      for (const a of Object.values(handlers)) {
        const text = readFileSync(path.join(out, a!.bundle), 'utf8');
        expect(text).not.toMatch(/process\.env|readFileSync|require\(["']fs["']\)|aws-sdk/);
      }
    }
  });

  test('building twice gives byte-identical zips and the same manifest', async () => {
    const again = path.join(tempDir(), 'dist');
    expect((await runInProcess(['build', '-c', EXAMPLE, '-o', again])).status).toBe(0);
    expect(readFileSync(path.join(again, 'manifest.json'), 'utf8')).toBe(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    for (const handlers of Object.values(manifest.environments)) {
      for (const a of Object.values(handlers)) {
        expect(readFileSync(path.join(again, a!.zip)).equals(readFileSync(path.join(out, a!.zip)))).toBe(true);
      }
    }
  });

  test('build.mjs is the same build', () => {
    const viaScript = path.join(tempDir(), 'dist');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'build.mjs'), '--config', EXAMPLE, '--out', viaScript], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readManifest(viaScript)).toEqual(manifest);
  });
});

describe('build limits and partial builds', () => {
  /** A config whose viewer-request bundle carries `count` users with random (incompressible) hashes. */
  function configWithUsers(count: number) {
    const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const users = Array.from({ length: count }, (_, i) => {
      const bytes = createHash('sha512').update(`user${i}`).digest();
      return { user: `user${i}`, hash: `$2b$08$${Array.from(bytes.subarray(0, 53), (b) => alphabet[b & 63]).join('')}` };
    });
    return resolvedConfig(validConfig({ auth: { realm: 'Big', users } }), '/big.json');
  }

  test('the limits checked by default are Lambda@Edge\'s: 1 MB zipped for viewer triggers, 50 MB for origin triggers', () => {
    const limits = Object.fromEntries(HANDLERS.map((h) => [h.name, bundleLimits(h)]));
    expect(limits).toEqual({
      'viewer-request': { maxZipBytes: 1_048_576, budgetBundleBytes: 40_960 },
      'origin-request': { maxZipBytes: 52_428_800, budgetBundleBytes: 40_960 },
      'origin-response': { maxZipBytes: 52_428_800, budgetBundleBytes: 40_960 },
    });
    for (const h of HANDLERS) {
      expect(h.maxZipBytes).toBe(TRIGGER_LIMITS[h.eventType].maxZipBytes);
      expect(h.timeoutSeconds).toBe(TRIGGER_LIMITS[h.eventType].maxTimeoutSeconds);
      expect(h.memoryMb).toBeLessThanOrEqual(TRIGGER_LIMITS[h.eventType].maxMemoryMb);
    }
    expect(bundleLimits(HANDLERS[0]!, { 'origin-request': { maxZipBytes: 1 } })).toEqual({ maxZipBytes: 1_048_576, budgetBundleBytes: 40_960 });
  });

  test('a viewer-request zip over its limit fails the build, names the limit and writes nothing', async () => {
    const out = path.join(tempDir(), 'dist');
    // A tiny limit stands in for Lambda@Edge's 1 MB: the same check, without baking 30,000 users.
    const limits = { 'viewer-request': { maxZipBytes: 2_000 } };
    await expect(buildEdge(configWithUsers(5), { outDir: out, limits })).rejects.toThrow(
      /viewer-request for acme-web\/dev: the zipped bundle is \d+ bytes, over Lambda@Edge's 2000-byte limit for viewer-request functions; nothing was written/,
    );
    expect(existsSync(out)).toBe(false);
  });

  test('a header config whose generated 401 would exceed the 40 KB viewer limit fails the build and writes nothing', async () => {
    const hashes = Array.from({ length: 800 }, (_, i) => `'sha256-${createHash('sha256').update(String(i)).digest('base64')}'`).join(' ');
    const raw = validConfig({ headers: { contentSecurityPolicy: `default-src 'self'; script-src ${hashes}` } });
    const out = path.join(tempDir(), 'dist');
    await expect(buildEdge(resolvedConfig(raw, '/csp.json'), { outDir: out })).rejects.toThrow(
      /viewer-request for acme-web\/dev: its 401 breaks Lambda@Edge's rule response-size: .*Nothing was written: shorten the configured headers/,
    );
    expect(existsSync(out)).toBe(false);
  });

  test('a bundle over the budget builds with a warning', async () => {
    const warnings: string[] = [];
    // A small budget stands in for the 40 KB one (asserted above as the default).
    const limits = { 'viewer-request': { budgetBundleBytes: 4_000 } };
    const result = await buildEdge(configWithUsers(5), { outDir: path.join(tempDir(), 'dist'), env: 'dev', warn: (w) => warnings.push(w), limits });
    expect(result.manifest.environments.dev!['viewer-request']!.bundleBytes).toBeGreaterThan(4_000);
    expect(warnings).toEqual([expect.stringMatching(/viewer-request for acme-web\/dev: the minified bundle is \d+ bytes, over edgelock's 4000-byte budget \(it still fits Lambda@Edge's limit\)/)]);
  });

  test('--env rebuilds one environment and keeps the others in the manifest', async () => {
    const out = path.join(tempDir(), 'dist');
    expect((await runInProcess(['build', '-c', EXAMPLE, '-o', out])).status).toBe(0);
    const before = readManifest(out);
    writeFileSync(path.join(out, 'prod', 'stale.txt'), 'old');
    const r = await runInProcess(['build', '-c', EXAMPLE, '-o', out, '--env', 'prod', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(before);
    expect(readManifest(out)).toEqual(before);
    expect(existsSync(path.join(out, 'prod', 'stale.txt'))).toBe(false);
  });
});
