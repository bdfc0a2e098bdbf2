// Broken client for CLI-STATE-2 — percent-encodes the state before sending it back.
// The reference client with this one defect; everything else is the reference behaviour.

import { main } from '../reference_client.js';

await main('mutated-state');
