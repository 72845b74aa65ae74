/**
 * `edgelock start` (what `npm start` runs): builds the example config, starts the embedded S3,
 * deploys examples/site into the dev environment's bucket and serves it behind the local edge
 * with the demo credentials, until Ctrl-C. The examples ship with the package; the bundles are
 * built into `--dist` under the current folder.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { PACKAGE_ROOT } from '../../version';
import type { CliRun } from '../run';
import { addServeOptions, serve, type DevCliOptions } from './dev';

export const EXAMPLE_CONFIG = path.join(PACKAGE_ROOT, 'examples', 'edgelock.config.ts');
export const EXAMPLE_SITE = path.join(PACKAGE_ROOT, 'examples', 'site');
export const EXAMPLE_ENV = 'dev';
export const DEMO_USER = 'demo';
export const DEMO_PASSWORD = 'edgelock-demo';

export function registerStart(program: Command, run: CliRun): void {
  addServeOptions(
    program
      .command('start')
      .description('serve the example site behind the local edge: build examples/edgelock.config.ts, deploy examples/site to an embedded private S3, Basic auth with the demo user'),
  ).action(
    run.action(async (opts: DevCliOptions) => {
      const config = loadConfig(EXAMPLE_CONFIG);
      await serve({
        config,
        env: EXAMPLE_ENV,
        opts,
        io: run.io,
        distDir: path.resolve(opts.dist),
        siteDir: EXAMPLE_SITE,
        extraBanner: [`  login:   user "${DEMO_USER}", password "${DEMO_PASSWORD}"`],
        extraJson: { user: DEMO_USER, password: DEMO_PASSWORD },
      });
    }),
  );
}
