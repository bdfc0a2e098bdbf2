// Broken on purpose (SESS-STATE-3, a SHOULD: warning): the state is base64 of {"callCount":n},
// unsigned, and the server trusts it blindly — the call count the client sends back replaces
// the server's own, so a tampered or another session's token is accepted (and believed).
// The session_server and client_notes_server references accept forged state too (they warn the
// same way); this server exists so SESS-STATE-3 has a server whose defect is exactly that.

import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';
import { decodeState } from '../state-codec.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    acceptState(session, incoming) {
      const decoded = decodeState(incoming.state) as { callCount?: unknown } | undefined;
      if (typeof decoded?.callCount === 'number' && Number.isInteger(decoded.callCount) && decoded.callCount >= 0) {
        session.calls = decoded.callCount;
      }
    },
  });
}
