// Broken client for CLI-STATE-1 — sends the state of sessions/create back forever, never a newer one.
// The reference client with this one defect; everything else is the reference behaviour.

import { main } from '../reference_client.js';

await main('stale-state');
