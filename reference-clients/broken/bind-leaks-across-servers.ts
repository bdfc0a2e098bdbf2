// Broken client for CLI-BIND-1 — sends the first server's live session to the second server.
// The reference client with this one defect; everything else is the reference behaviour.

import { main } from '../reference_client.js';

await main('leaks-across-servers');
