/**
 * No stale bundles: synth and `edgelock dev --no-build` refuse a build whose recorded config digest
 * is not the current config's, naming the environment and the changed keys, never a value.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { Testing } from 'cdktf';
import { buildEdge } from '../../src/build';
import { assertFresh, canonicalJson, changedKeys, digestConfig } from '../../src/build/freshness';
import type { Manifest } from '../../src/build/manifest';
import type { ResolvedConfig } from '../../src/config/schema';
import { startLocalEdge } from '../../src/dev';
import { isEdgelockError } from '../../src/errors';
import { exampleConfig, synthStacks } from '../cdktf/example';

const SITE = path.join(__dirname, '..', '..', 'examples', 'site');
const PASSWORDS = { alice: 'alice-secret-pw', bob: 'bob-secret-pw' };
const HASHES = { alice: bcrypt.hashSync(PASSWORDS.alice, 8), bob: bcrypt.hashSync(PASSWORDS.bob, 8) };

/** The example with an inline user list (and optionally another CSP). */
function config(users: (keyof typeof HASHES)[], csp?: string): ResolvedConfig {
  return exampleConfig((r) => ({
    ...r,
    auth: { ...(r.auth as object), users: users.map((u) => ({ user: u, hash: HASHES[u] })) },
    ...(csp ? { headers: { contentSecurityPolicy: csp } } : {}),
  }));
}

/** The error `fn` throws (it must throw). */
function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

/** No password, no bcrypt hash, no hex digest in a message. */
function expectNoSecret(message: string): void {
  for (const p of Object.values(PASSWORDS)) expect(message).not.toContain(p);
  for (const h of Object.values(HASHES)) expect(message).not.toContain(h);
  expect(message).not.toMatch(/\$2[aby]\$|[0-9a-f]{16}/);
}

let tmp: string;
const dist = (name: string): string => path.join(tmp, name);
const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'edgelock-fresh-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('digests', () => {
  it('canonical JSON sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(digestConfig({ a: 1, b: 2 }).sha256).toBe(digestConfig({ b: 2, a: 1 }).sha256);
    expect(digestConfig({ a: 1 }).sha256).not.toBe(digestConfig({ a: 2 }).sha256);
  });

  it('names changed keys as precisely as both sides allow', () => {
    const before = digestConfig({ auth: { users: ['a'], realm: 'r' }, headers: { csp: 'x', hsts: 1 }, project: 'p' }).keys;
    expect(changedKeys(before, digestConfig({ auth: { users: [], realm: 'r' }, headers: { csp: 'x', hsts: 1 }, project: 'p' }).keys)).toEqual(['auth.users']);
    expect(changedKeys(before, digestConfig({ auth: null, headers: { csp: 'y', hsts: 1 }, project: 'q' }).keys)).toEqual(['auth', 'headers.csp', 'project']);
    expect(changedKeys(before, digestConfig({ auth: { users: ['a'], realm: 'r', extra: 1 }, headers: { csp: 'x', hsts: 1 }, project: 'p' }).keys)).toEqual(['auth.extra']);
    expect(changedKeys(before, before)).toEqual([]);
  });

  it('the manifest records, per environment and for the deploy function, the digest and the edgelock version', async () => {
    const out = dist('recorded');
    await buildEdge(config(['alice', 'bob']), { outDir: out });
    const m = readManifest(out);
    expect(Object.keys(m.digests!.environments).sort()).toEqual(['dev', 'prod']);
    expect(Object.keys(m.digests!.functions)).toEqual(['deploy']);
    for (const d of [m.digests!.environments.dev!, m.digests!.functions.deploy!]) {
      expect(d.edgelock).toBe(m.edgelock);
      expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(Object.keys(m.digests!.environments.dev!.keys)).toEqual(expect.arrayContaining(['auth', 'auth.users', 'headers.contentSecurityPolicy']));
    // The deploy function bakes no users: they are not in its digest either.
    expect(Object.keys(m.digests!.functions.deploy!.keys)).not.toContain('auth');
    expect(() => assertFresh(m, config(['alice', 'bob']))).not.toThrow();
  }, 60_000);
});

describe('synth', () => {
  it('refuses a build made before a user was removed, naming the environment and auth.users; passes after a rebuild', async () => {
    const out = dist('synth-users');
    await buildEdge(config(['alice', 'bob']), { outDir: out });
    const removed = config(['alice']);
    const err = thrown(() => synthStacks(removed, out));
    expect(isEdgelockError(err, 'BUILD_STALE')).toBe(true);
    expect(err.message).toMatch(/environment "dev" was built from a different config \(changed since the build: auth\.users\)/);
    expect(err.message).toMatch(/Run `edgelock build`/);
    // Only dev bakes users; prod (auth: false) and the deploy function (no users) are still fresh.
    expect(err.message).not.toMatch(/"prod"|deploy function/);
    expectNoSecret(err.message);

    await buildEdge(removed, { outDir: out });
    const { stacks } = synthStacks(removed, out);
    expect(Testing.synth(stacks.environments.dev!, true)).toContain('viewer-request');
  }, 90_000);

  it('refuses a build made before a header change, naming the key for every environment and the deploy function', async () => {
    const out = dist('synth-csp');
    await buildEdge(config(['alice']), { outDir: out });
    const changed = config(['alice'], "default-src 'none'");
    const err = thrown(() => synthStacks(changed, out));
    expect(isEdgelockError(err, 'BUILD_STALE')).toBe(true);
    for (const env of ['dev', 'prod']) expect(err.message).toContain(`environment "${env}" was built from a different config (changed since the build: headers.contentSecurityPolicy)`);
    expect(err.message).toContain("the pipeline's deploy function was built from a different config (changed since the build: headers.contentSecurityPolicy)");
    expect(err.message).not.toContain("default-src 'none'");

    await buildEdge(changed, { outDir: out });
    expect(() => Testing.synth(synthStacks(changed, out).stacks.environments.dev!, true)).not.toThrow();
  }, 90_000);

  it('refuses a manifest written by an edgelock that recorded no digests, and one from another version', async () => {
    const out = dist('synth-old');
    const cfg = config(['alice']);
    await buildEdge(cfg, { outDir: out });
    const file = path.join(out, 'manifest.json');
    const current = readManifest(out);

    const { digests: _drop, ...old } = current;
    writeFileSync(file, JSON.stringify(old));
    const err = thrown(() => synthStacks(cfg, out));
    expect(isEdgelockError(err, 'BUILD_STALE')).toBe(true);
    expect(err.message).toMatch(/environment "dev" was built by an edgelock that records no config digest.*Run `edgelock build`/);

    const other = structuredClone(current) as { digests: { environments: Record<string, { edgelock: string }> } };
    other.digests.environments.dev!.edgelock = '0.0.1';
    writeFileSync(file, JSON.stringify(other));
    expect(() => synthStacks(cfg, out)).toThrow(/environment "dev" was built by edgelock 0\.0\.1, this is edgelock /);
  }, 60_000);
});

describe('edgelock dev --no-build', () => {
  const start = (cfg: ResolvedConfig, out: string) => startLocalEdge({ config: cfg, env: 'dev', distDir: out, port: 0, originDir: SITE });

  it('refuses bundles built before a user was removed, and starts after a rebuild', async () => {
    const out = dist('dev-users');
    await buildEdge(config(['alice', 'bob']), { outDir: out, env: 'dev' });
    const removed = config(['alice']);
    const err = await start(removed, out).then(() => undefined, (e: Error & { code?: string }) => e);
    expect(err?.code).toBe('BUILD_STALE');
    expect(err!.message).toMatch(/environment "dev" was built from a different config \(changed since the build: auth\.users\)\. Run `edgelock build`/);
    expectNoSecret(err!.message);

    await buildEdge(removed, { outDir: out, env: 'dev' });
    const running = await start(removed, out);
    try {
      const res = await fetch(`${running.url}/`, { headers: { authorization: `Basic ${Buffer.from(`bob:${PASSWORDS.bob}`).toString('base64')}` } });
      expect(res.status).toBe(401); // the removed user no longer gets in
    } finally {
      await running.close();
    }
  }, 90_000);

  it('refuses bundles built before a header change, naming the key', async () => {
    const out = dist('dev-csp');
    await buildEdge(config(['alice']), { outDir: out, env: 'dev' });
    const err = await start(config(['alice'], "default-src 'self'"), out).then(() => undefined, (e: Error & { code?: string }) => e);
    expect(err?.code).toBe('BUILD_STALE');
    expect(err!.message).toContain('environment "dev" was built from a different config (changed since the build: headers.contentSecurityPolicy)');
  }, 60_000);
});
