import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { UsageError } from '../../errors';
import type { CliRun } from '../run';

interface DeploysFlags {
  env?: string;
  config?: string;
  json?: boolean;
  endpoint?: string;
  roleArn?: string;
}

export function registerDeploys(program: Command, run: CliRun): void {
  program
    .command('deploys')
    .description('list an environment\'s deploy records (what each deploy wrote), newest first')
    .requiredOption('-e, --env <name>', 'environment')
    .option('-c, --config <file>', 'config file (default: ./edgelock.config.ts, .mjs, .js or .json)')
    .option('--json', 'print the list as JSON')
    .option('--endpoint <url>', 'any S3 endpoint, e.g. http://127.0.0.1:4568 (path-style)')
    .option('--role-arn <arn>', 'assume this role first (the environment account\'s deploy role)')
    .action(
      run.action(async (opts: DeploysFlags) => {
        if (opts.endpoint && !/^https?:\/\/[^/]+\/?$/.test(opts.endpoint)) {
          throw new UsageError(`--endpoint must be a base URL such as http://127.0.0.1:4568 (got "${opts.endpoint}")`);
        }
        const config = loadConfig(opts.config);
        const { formatHistory, listDeploys } = await import('../../origin/deploy/history');
        const history = await listDeploys({ config, env: opts.env!, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}), ...(opts.roleArn ? { roleArn: opts.roleArn } : {}) });
        run.io.stdout(opts.json ? `${JSON.stringify(history, null, 2)}\n` : formatHistory(history));
      }),
    );
}
