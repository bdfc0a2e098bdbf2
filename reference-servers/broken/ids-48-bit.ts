// Broken on purpose (SESS-ID-2, a SHOULD: warning): ids carry 48 random bits ("sess-<12 hex>"),
// as the Python originals did — below the 128 bits D10 asks for. Otherwise the session_server
// reference server.

import { randomBytes } from 'node:crypto';
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, { mintSessionId: () => `sess-${randomBytes(6).toString('hex')}` });
}
