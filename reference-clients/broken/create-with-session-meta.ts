// Broken client for CLI-CREATE-1 — puts session metadata of its own choosing on sessions/create.
// The reference client with this one defect; everything else is the reference behaviour.

import { main } from '../reference_client.js';

await main('create-with-meta');
