/** Imported first by `edgelock/cdktf`: fails with STACKS_PEERS_MISSING before a peer is loaded. */
import { assertPeers } from './peers';

assertPeers();
