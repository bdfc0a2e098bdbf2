// Broken on purpose (SESS-EXP-1, a SHOULD: warning): expiresAt is the word "tomorrow", a string
// (so the schema accepts it) but no RFC 3339 date-time. Otherwise the session_required
// reference server.

import { isMain, runSessionServer } from '../session-base.js';
import { sessionRequiredServer } from '../session_required_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionRequiredServer, { formatExpiry: () => 'tomorrow' });
}
