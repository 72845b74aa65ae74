/**
 * Fixtures for config tests: a valid config object and a temporary folder to write configs into.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EdgelockConfigInput } from '../../src/config/schema';

/** A cost-10 bcrypt hash of "edgelock-demo" (the example user's password). */
export const DEMO_HASH = '$2b$10$E7xB5EzTdA0GXvTXYvwoaui.GzvkNZIuU3qZlUj.BTEPEx6mADb22';
export const DEMO_PASSWORD = 'edgelock-demo';

export function validConfig(): EdgelockConfigInput {
  return {
    project: 'acme-web',
    tools: { accountId: '111111111111' },
    environments: {
      dev: { accountId: '222222222222', region: 'eu-west-1', auth: true },
      prod: { accountId: '333333333333', region: 'eu-west-1', auth: false },
    },
    auth: { realm: 'Acme preview', users: [{ user: 'demo', hash: DEMO_HASH }] },
  };
}

export function tempDir(prefix = 'edgelock-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes `config` as JSON into a fresh folder and returns the file's path. */
export function writeJsonConfig(config: unknown, dir = tempDir()): string {
  const file = path.join(dir, 'edgelock.config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
