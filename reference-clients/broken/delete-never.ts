// Broken client for CLI-DELETE-1 — drops sessions locally without ever sending sessions/delete.
// The reference client with this one defect; everything else is the reference behaviour.

import { main } from '../reference_client.js';

await main('never-deletes');
