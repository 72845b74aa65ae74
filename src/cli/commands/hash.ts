import type { Command } from 'commander';
import bcrypt from 'bcryptjs';
import { MAX_BCRYPT_COST, MIN_BCRYPT_COST, userNameProblem } from '../../config/bcrypt';
import { UsageError } from '../../errors';
import { readSecret } from '../prompt';
import type { CliRun } from '../run';

/** Hashes a password into an htpasswd line (or a bare hash when no user is given). */
export function htpasswdLine(user: string | undefined, password: string, cost: number): string {
  const hash = bcrypt.hashSync(password, cost);
  return user === undefined ? hash : `${user}:${hash}`;
}

/** Reads a new password (twice on a terminal): refused when empty or longer than bcrypt reads. */
export async function readNewPassword(): Promise<string> {
  const password = await readSecret('Password: ', { confirm: 'Again: ' });
  if (password.length === 0) throw new UsageError('empty password: type one, or pipe it on stdin');
  if (Buffer.byteLength(password) > 72) {
    throw new UsageError('bcrypt uses only the first 72 bytes of a password: choose one of 72 bytes or fewer');
  }
  return password;
}

export function registerHash(program: Command, run: CliRun): void {
  program
    .command('hash')
    .argument('[user]', 'user name; without it only the hash is printed')
    .description('read a password (no echo on a terminal, otherwise the first line of stdin) and print an htpasswd line with a bcrypt hash')
    .option('--cost <n>', `bcrypt cost, ${MIN_BCRYPT_COST}-${MAX_BCRYPT_COST}`, '10')
    .action(
      run.action(async (user: string | undefined, opts: { cost: string }) => {
        const cost = Number(opts.cost);
        if (!Number.isInteger(cost) || cost < MIN_BCRYPT_COST || cost > MAX_BCRYPT_COST) {
          throw new UsageError(`--cost must be a whole number from ${MIN_BCRYPT_COST} to ${MAX_BCRYPT_COST} (got "${opts.cost}"); 10 is a good default`);
        }
        if (user !== undefined) {
          const problem = userNameProblem(user);
          if (problem) throw new UsageError(problem);
        }
        const password = await readNewPassword();
        run.io.stdout(`${htpasswdLine(user, password, cost)}\n`);
      }),
    );
}
