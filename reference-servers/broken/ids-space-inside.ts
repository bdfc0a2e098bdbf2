// Broken on purpose (SESS-ID-1): session ids contain a space ("sess <32 hex>"), which is
// outside the visible ASCII range 0x21–0x7E the draft allows. Still 128 random bits, still
// unique and echoed unchanged. Otherwise the session_server reference server.

import { randomBytes } from 'node:crypto';
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, { mintSessionId: () => `sess ${randomBytes(16).toString('hex')}` });
}
