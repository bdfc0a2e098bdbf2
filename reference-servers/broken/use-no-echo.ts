// Broken on purpose (SESS-USE-1): a successful tools/call inside a session carries no
// `result._meta[key]` — the client never learns a new state or expiresAt. Otherwise the
// session_required reference server.

import { isMain, runSessionServer } from '../session-base.js';
import { sessionRequiredServer } from '../session_required_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionRequiredServer, { buildEcho: () => undefined });
}
