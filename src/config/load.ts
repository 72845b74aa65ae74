/**
 * Reads, validates and resolves an edgelock config file. The only place that touches the file
 * system for config: everything downstream receives a frozen {@link ResolvedConfig}.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors';
import { deepFreeze } from '../freeze';
import { parseHtpasswd } from './htpasswd';
import { mixedCostProblem } from './bcrypt';
import { configSchema, type ParsedConfig, type ResolvedConfig, type ResolvedEnvironment } from './schema';

/** Config file names looked up, in order, when no --config is given. */
export const DEFAULT_CONFIG_FILES = [
  'edgelock.config.ts',
  'edgelock.config.mts',
  'edgelock.config.mjs',
  'edgelock.config.js',
  'edgelock.config.cjs',
  'edgelock.config.json',
] as const;

const CODE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

/** Finds the config file: the given path (relative to `cwd`), or a default name in `cwd`. */
export function findConfigFile(given: string | undefined, cwd = process.cwd()): string {
  if (given) {
    const file = path.resolve(cwd, given);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new ConfigError(file, [{ path: '', message: `no such config file; check the --config path (relative to ${cwd})` }]);
    }
    return file;
  }
  for (const name of DEFAULT_CONFIG_FILES) {
    const file = path.join(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new ConfigError(cwd, [
    { path: '', message: `no ${DEFAULT_CONFIG_FILES[0]} here; pass --config FILE or copy examples/edgelock.config.ts` },
  ]);
}

/** Loads the config file's raw value (what the user exported), without validating it. */
export function readConfigFile(file: string): unknown {
  const ext = path.extname(file);
  if (ext === '.json') {
    const text = readFileSync(file, 'utf8');
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new ConfigError(file, [{ path: '', message: `not valid JSON: ${(err as Error).message}` }]);
    }
  }
  if (!CODE_EXTENSIONS.has(ext)) {
    throw new ConfigError(file, [{ path: '', message: `unsupported config file type "${ext}"; use .ts, .mjs, .js or .json` }]);
  }
  return evaluateModule(file);
}

/**
 * Bundles a TS/JS config with esbuild (so TypeScript and ESM need no loader) and evaluates it.
 * `import { defineConfig } from 'edgelock'` resolves to this package even outside a project that
 * installed it.
 */
function evaluateModule(file: string): unknown {
  let code: string;
  try {
    // Loaded here: a JSON config (and every command that reads one) need not load esbuild.
    const { buildSync } = require('esbuild') as typeof import('esbuild');
    const out = buildSync({
      entryPoints: [file],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      packages: 'external',
      alias: { edgelock: path.join(__dirname, 'define') },
    });
    code = out.outputFiles[0]!.text;
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors ?? [];
    const issues: ConfigIssue[] = errors.map((e) => ({
      path: e.location ? `line ${e.location.line}:${e.location.column}` : '',
      message: e.text,
    }));
    throw new ConfigError(file, issues.length ? issues : [{ path: '', message: String(err) }]);
  }
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  try {
    (mod as unknown as { _compile(code: string, filename: string): void })._compile(code, file);
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `the config file threw while loading: ${(err as Error).message}` }]);
  }
  const exported = mod.exports as { default?: unknown; __esModule?: boolean };
  if (exported && typeof exported === 'object' && 'default' in exported) return exported.default;
  return exported;
}

const SECRET_PATH = /(^|\.)(users|hash)(\.|$)/;

function valueAt(raw: unknown, keys: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const json = JSON.stringify(v);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Validates a raw config value. Errors name every bad field at once. */
export function parseConfig(raw: unknown, source: string): ParsedConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue): ConfigIssue => {
    const dotted = issue.path.map(String).join('.');
    let message = issue.message;
    if (issue.code === 'invalid_key') {
      message = `bad name "${String(issue.path[issue.path.length - 1])}": ${issue.issues[0]?.message ?? message}`;
    } else if (issue.code === 'unrecognized_keys') {
      message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against the config reference in the README`;
    } else if (!SECRET_PATH.test(dotted) && issue.code !== 'custom') {
      message += ` (got ${describe(valueAt(raw, issue.path))})`;
    }
    return { path: dotted, message };
  });
  throw new ConfigError(source, issues);
}

/** Fills in derived values, reads the htpasswd file and freezes the result. */
export function resolveConfig(parsed: ParsedConfig, configPath: string, baseDir: string): ResolvedConfig {
  const environments: Record<string, ResolvedEnvironment> = {};
  for (const [name, env] of Object.entries(parsed.environments)) {
    const bucket = env.bucket ?? `${parsed.project}-${name}-site-${env.accountId}`;
    environments[name] = { ...env, name, bucket, bucketDomain: `${bucket}.s3.${env.region}.amazonaws.com` };
  }
  let auth: ResolvedConfig['auth'];
  if (parsed.auth) {
    const { users, ...rest } = parsed.auth;
    if (typeof users === 'string') {
      const file = path.resolve(baseDir, users);
      auth = { ...rest, users: parseHtpasswd(file, 'auth.users', configPath), usersSource: file };
    } else {
      const dup = users.find((u, i) => users.findIndex((o) => o.user === u.user) !== i);
      if (dup) throw new ConfigError(configPath, [{ path: 'auth.users', message: `user "${dup.user}" is listed twice` }]);
      auth = { ...rest, users, usersSource: 'config' };
    }
    const mixed = mixedCostProblem(auth.users);
    if (mixed) throw new ConfigError(configPath, [{ path: typeof users === 'string' ? `auth.users (${auth.usersSource})` : 'auth.users', message: mixed }]);
  }
  return deepFreeze({ ...parsed, configPath, baseDir, auth, environments });
}

/** Finds, reads, validates and resolves the config. */
export function loadConfig(given?: string, cwd = process.cwd()): ResolvedConfig {
  const file = findConfigFile(given, cwd);
  return resolveConfig(parseConfig(readConfigFile(file), file), file, path.dirname(file));
}

/** Picks one environment by name, with an error that lists the valid names. */
export function selectEnvironment(config: ResolvedConfig, name: string): ResolvedEnvironment {
  const env = config.environments[name];
  if (!env) {
    throw new ConfigError(config.configPath, [
      { path: 'environments', message: `no environment "${name}"; this config has ${Object.keys(config.environments).map((n) => `"${n}"`).join(', ')}` },
    ]);
  }
  return env;
}
