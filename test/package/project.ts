/**
 * A temporary project that installs the packed edgelock tarball, as a user's project does:
 * `npm pack` of this repository (lib/ must be compiled: `npm test` compiles first), then
 * `npm install --offline` from npm's cache, so the test needs no network.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { runProcess, type CliResult } from '../helpers/cli';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');

/** The entry points users import. A new entry (e.g. 'edgelock/testing') is one more line here. */
export const ENTRIES = ['edgelock', 'edgelock/cdktf', 'edgelock/testing'] as const;

/** The peers `edgelock/cdktf` needs, at the versions package.json pins. */
export const PEERS = ['cdktf@0.21.0', '@cdktf/provider-aws@21.22.1', 'constructs@10.4.2'];

/** The environment without the npm_* settings of an enclosing `npm test`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, CI: '1', CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0', NO_UPDATE_NOTIFIER: '1', ...extra };
}

export function run(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}, input = ''): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: cleanEnv(env), timeout: 120_000, input });
}

/** Like {@link run}, without blocking the test process: for runs that may go on side by side. */
export function runAsync(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runProcess(cmd, args, { cwd, env: cleanEnv(env), timeoutMs: 120_000 });
}

/** Runs and fails with the command's output unless it exits 0. */
export function ok(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): string {
  const r = run(cmd, args, cwd, env);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Packs the repository into `dir` and returns the tarball's path. */
export function pack(dir: string): string {
  for (const f of ['lib/src/index.js', 'lib/src/index.d.ts', 'lib/cdktf/index.js', 'lib/cdktf/index.d.ts']) {
    if (!existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run compile\` before this test (npm test does)`);
  }
  // --ignore-scripts: lib/ is compiled already; `prepare` would compile it again.
  const out = ok('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT);
  const [info] = JSON.parse(out) as { filename: string }[];
  return path.join(dir, info!.filename);
}

export function npmInstall(project: string, specs: readonly string[]): void {
  ok('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...specs], project);
}

export function newProject(dir: string, pkg: Record<string, unknown> = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, ...pkg }, null, 2));
  return dir;
}

/** Bytes under `dir` (files only, symlinks not followed). */
export function sizeOf(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += sizeOf(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

export const MB = 1024 * 1024;

type LockEntry = { version?: string; resolved?: string; integrity?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>; optional?: boolean; dev?: boolean; [k: string]: unknown };

/**
 * A lockfile for a project that depends on `deps` (name → spec), taken from this repository's
 * package-lock.json: the entries reachable from them, at the paths npm placed them. With it,
 * `npm install --offline` needs only the tarballs in npm's cache (a registry install also
 * needs the packuments, which `npm ci` never fetched).
 */
export function consumerLock(deps: Record<string, string>, tarball: string): object {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const root = lock.packages['']!;
  const out: Record<string, LockEntry> = { '': { name: 'consumer', version: '1.0.0', dependencies: deps } };
  const find = (from: string, name: string): string | undefined => {
    for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
      const p = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (lock.packages[p]) return p;
      if (!dir) return undefined;
    }
  };
  const add = (from: string, entry: LockEntry): void => {
    const required = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const [name, spec] of Object.entries(entry.peerDependencies ?? {})) if (!entry.peerDependenciesMeta?.[name]?.optional) required[name] = spec;
    for (const name of Object.keys(required)) {
      const p = find(from, name);
      if (!p || out[p]) continue;
      const { dev, devOptional, ...rest } = lock.packages[p]!;
      out[p] = rest;
      add(p, rest);
    }
  };
  const edgelock: LockEntry = { ...root, version: root.version as string, resolved: `file:${tarball}` };
  delete edgelock.devDependencies;
  delete edgelock.name;
  out['node_modules/edgelock'] = edgelock;
  add('node_modules/edgelock', { dependencies: root.dependencies });
  add('', { dependencies: Object.fromEntries(Object.keys(deps).filter((d) => d !== 'edgelock').map((d) => [d, deps[d]!])) });
  return { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages: out };
}

/** Writes package.json and package-lock.json for `deps` and installs them offline. */
export function installOffline(project: string, deps: Record<string, string>, tarball: string): void {
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: deps }, null, 2));
  writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify(consumerLock(deps, tarball), null, 2));
  ok('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], project);
}

/**
 * Places packages into the project's node_modules exactly as this repository's `npm ci` installed
 * them (hard links: no bytes copied). Used for the cdktf peers only: package.json pins them to
 * exact versions, so npm would unpack these very files; unpacking @cdktf/provider-aws's 390 MB
 * is npm's work, not edgelock's, and would take most of this test's time.
 */
export function placeFromRepository(project: string, names: readonly string[]): void {
  for (const name of names) {
    const to = path.join(project, 'node_modules', name);
    mkdirSync(path.dirname(to), { recursive: true });
    ok('cp', ['-al', path.join(ROOT, 'node_modules', name), path.dirname(to)], project);
  }
}
