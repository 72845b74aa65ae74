/**
 * `edgelock dev` on the command line: bad options are usage errors (exit 2) that say how to fix
 * them; a missing build is an error that says to build.
 */
import path from 'node:path';
import { runCli, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/config';

const CONFIG = path.join(ROOT, 'examples', 'edgelock.config.ts');

describe('edgelock dev: option errors', () => {
  test.each([
    [['--port', 'eighty'], 2, /--port must be a port number from 0 to 65535 \(got "eighty"\)/],
    [['--port', '70000'], 2, /--port must be a port number/],
    [['--http-port', '9000'], 2, /--http-port only applies with --https/],
    [['--origin', 'examples/site', '--site', 'examples/site'], 2, /use one or the other/],
    [['--env', 'staging'], 2, /no environment "staging"; this config has "dev", "prod"/],
    [['--no-build', '--dist', 'no-such-dist'], 1, /no .*no-such-dist\/manifest\.json: run "edgelock build" first/],
  ])('dev %j → exit %d', (args, status, message) => {
    const r = runCli(['dev', '--config', CONFIG, '--port', '0', ...(args as string[])], { cwd: tempDir('edgelock-dev-cli-') });
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(status);
  });
});
