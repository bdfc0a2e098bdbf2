// Broken client for CLI-ERR-1 — ignores -32043 and keeps using the revoked session.
// The reference client with this one defect; everything else is the reference behaviour.

import { main } from '../reference_client.js';

await main('keeps-revoked');
