/**
 * The peer packages `edgelock/cdktf` runs on. They are optional peers of edgelock (only synthesis
 * needs them), so a missing one is reported here, before anything imports it, with the command
 * that installs the tested versions.
 */
import { EdgelockError } from '../src/errors';

/** The peers and the exact versions edgelock is tested against (package.json peerDependencies). */
export const CDKTF_PEERS: Readonly<Record<string, string>> = {
  cdktf: '0.21.0',
  '@cdktf/provider-aws': '21.22.1',
  constructs: '10.4.2',
};

/** The peers that `resolve` cannot find (by default: Node's resolution from this package). */
export function missingPeers(resolve: (id: string) => string = require.resolve): string[] {
  return Object.keys(CDKTF_PEERS).filter((name) => {
    try {
      resolve(`${name}/package.json`);
      return false;
    } catch {
      return true;
    }
  });
}

/** Throws STACKS_PEERS_MISSING naming every missing peer and the install command. */
export function assertPeers(resolve?: (id: string) => string): void {
  const missing = missingPeers(resolve);
  if (!missing.length) return;
  const install = missing.map((name) => `${name}@${CDKTF_PEERS[name]}`).join(' ');
  throw new EdgelockError(
    `edgelock/cdktf needs the peer package${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed: ` +
      `run \`npm install --save-dev ${install}\` (the CLI commands build, dev, deploy, doctor, fix and logs do not need them)`,
    { code: 'STACKS_PEERS_MISSING' },
  );
}
