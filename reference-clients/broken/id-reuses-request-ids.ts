// Broken client for CLI-ID-1 — sends every request with JSON-RPC id 1.
// The reference client with this one defect; everything else is the reference behaviour.

import { main } from '../reference_client.js';

await main('reuses-request-ids');
