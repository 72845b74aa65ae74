/**
 * The one config builder for tests: a valid config (the example's shape, inline users), with
 * overrides, raw or resolved, and a way to write it into a temporary folder.
 *
 *   validConfig()                                       the default raw config: dev (auth) and prod
 *   validConfig({ headers: {...} })                     top-level sections replaced
 *   validConfig({}, { dev: { bucket: 'b' } })           fields merged into one environment
 *   validConfig({}, { dev: {...} }, { only: true })     only the environments named
 *   resolvedConfig(validConfig(...))                    parsed and resolved as loadConfig would
 *   writeJsonConfig(validConfig(...))                   written as edgelock.config.json; its path
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig, resolveConfig } from '../../src/config/load';
import type { EdgelockConfigInput, ResolvedConfig } from '../../src/config/schema';
import { tempDir } from './temp';

export { tempDir } from './temp';

/** A cost-10 bcrypt hash of "edgelock-demo" (the example user's password). */
export const DEMO_HASH = '$2b$10$E7xB5EzTdA0GXvTXYvwoaui.GzvkNZIuU3qZlUj.BTEPEx6mADb22';
export const DEMO_PASSWORD = 'edgelock-demo';

type Sections = Omit<EdgelockConfigInput, 'environments'>;
type EnvironmentInput = EdgelockConfigInput['environments'][string];

/**
 * A valid raw config. `sections` replace top-level sections (project, tools, auth, headers, ...);
 * `environments` patch the default environments field by field (a new name adds one); with
 * `{ only: true }` the config holds only the environments named in `environments`.
 */
export function validConfig(sections: Partial<Sections> = {}, environments: Record<string, Partial<EnvironmentInput>> = {}, options: { only?: boolean } = {}): EdgelockConfigInput {
  const defaults: Record<string, EnvironmentInput> = {
    dev: { accountId: '222222222222', region: 'eu-west-1', auth: true },
    prod: { accountId: '333333333333', region: 'eu-west-1', auth: false },
  };
  const names = options.only ? Object.keys(environments) : [...new Set([...Object.keys(defaults), ...Object.keys(environments)])];
  return {
    project: 'acme-web',
    tools: { accountId: '111111111111' },
    environments: Object.fromEntries(names.map((n) => [n, { ...defaults[n], ...environments[n] } as EnvironmentInput])),
    auth: { realm: 'Acme preview', users: [{ user: 'demo', hash: DEMO_HASH }] },
    ...sections,
  };
}

/** Parses and resolves `input` as `loadConfig` would a file at `file` (nothing is read). */
export function resolvedConfig(input: unknown = validConfig(), file = '/tmp/edgelock.config.json'): ResolvedConfig {
  return resolveConfig(parseConfig(input, path.basename(file)), file, path.dirname(file));
}

/** Writes `config` as JSON into a fresh folder (or `dir`) and returns the file's path. */
export function writeJsonConfig(config: unknown, dir = tempDir()): string {
  const file = path.join(dir, 'edgelock.config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
