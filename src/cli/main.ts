/**
 * The `edgelock` command line. Each command lives in `commands/<name>.ts` and registers itself.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version';
import { registerBuild } from './commands/build';
import { registerDev } from './commands/dev';
import { registerDeploy } from './commands/deploy';
import { registerDoctor } from './commands/doctor';
import { registerFix } from './commands/fix';
import { registerHash } from './commands/hash';
import { registerInit } from './commands/init';
import { registerLogs } from './commands/logs';
import { registerStart } from './commands/start';
import { fail } from './run';

export function createProgram(): Command {
  const program = new Command('edgelock')
    .version(VERSION)
    .description('Lock a static site behind CloudFront: edge auth, security headers, an origin guard, grant-aware deploys and a 403 doctor.')
    .showHelpAfterError()
    .exitOverride();
  registerBuild(program);
  registerDeploy(program);
  registerHash(program);
  registerInit(program);
  registerDev(program);
  registerStart(program);
  registerDoctor(program);
  registerFix(program);
  registerLogs(program);
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await createProgram().parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = fail(err);
  }
}
