/**
 * The `edgelock` command line. Each command lives in `commands/<name>.ts` and registers itself.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version';
import { registerBuild } from './commands/build';
import { registerDev } from './commands/dev';
import { registerDeploy } from './commands/deploy';
import { registerDeploys } from './commands/deploys';
import { registerDoctor } from './commands/doctor';
import { registerFix } from './commands/fix';
import { registerHash } from './commands/hash';
import { registerInit } from './commands/init';
import { registerLogs } from './commands/logs';
import { registerStart } from './commands/start';
import { registerRollback } from './commands/rollback';
import { CliRun, PROCESS_IO, fail, type CliIo } from './run';

export function createProgram(run: CliRun = new CliRun()): Command {
  const program = new Command('edgelock')
    .version(VERSION)
    .description('Lock a static site behind CloudFront: edge auth, security headers, an origin guard, grant-aware deploys and a 403 doctor.')
    .showHelpAfterError()
    .exitOverride()
    // Set before the commands are added: each command inherits it.
    .configureOutput({ writeOut: run.io.stdout, writeErr: run.io.stderr });
  registerBuild(program, run);
  registerDeploy(program, run);
  registerDeploys(program, run);
  registerHash(program, run);
  registerInit(program, run);
  registerDev(program, run);
  registerStart(program, run);
  registerDoctor(program, run);
  registerFix(program, run);
  registerLogs(program, run);
  registerRollback(program, run);
  return program;
}

/**
 * Runs the program on `args` (the arguments after `edgelock`), writing through `io`, and resolves
 * to the exit code: 2 for a usage error commander caught, else the command's. Never exits.
 */
export async function runProgram(args: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  const run = new CliRun(io);
  try {
    await createProgram(run).parseAsync([...args], { from: 'user' });
    return run.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    return fail(err, io);
  }
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  process.exitCode = await runProgram(argv.slice(2));
}
