/**
 * The CDKTF app: `cdktf synth` / `cdktf deploy` run this (see cdktf.json).
 *
 * Config file: $EDGELOCK_CONFIG, else the cdktf.json context key "edgelockConfig", else
 * ./edgelock.config.ts (and the other default names). Build output: $EDGELOCK_DIST, else the
 * context key "edgelockDist", else ./dist. Errors print as `edgelock: <message>` and exit non-zero.
 */
import path from 'node:path';
import { App } from 'cdktf';
import { loadConfig } from '../src/config/load';
import { EdgelockError } from '../src/errors';
import { BuildArtifacts } from './artifacts';
import { createStacks } from './app';

function main(): void {
  const app = new App();
  const context = (key: string): string | undefined => {
    const v: unknown = app.node.tryGetContext(key);
    return typeof v === 'string' && v ? v : undefined;
  };
  const config = loadConfig(process.env.EDGELOCK_CONFIG || context('edgelockConfig'));
  const outDir = path.resolve(process.env.EDGELOCK_DIST || context('edgelockDist') || 'dist');
  createStacks(app, config, BuildArtifacts.load(outDir, config));
  app.synth();
}

try {
  main();
} catch (err) {
  // Our errors and cdktf's validation failures are messages for the user, not stack traces.
  // cdktf suggests skipping validation; the association check is a safety check, not a lint.
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s*If you wish to ignore these validations[^]*$/, '');
  process.stderr.write(`edgelock: ${message}\n`);
  if (process.env.EDGELOCK_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(err instanceof EdgelockError ? err.exitCode : 1);
}
