// Broken on purpose (SESS-STATE-5, a SHOULD: warning): the state token carries a call history
// padded to about 5 KiB — too large for an HTTP header. Otherwise the session_server reference
// (the server still ignores incoming state, so the size is the only defect).

import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';
import { encodeState } from '../state-codec.js';

const HISTORY_CHARS = 3800; // base64 makes ~5.1 KiB of it

if (isMain(import.meta.url)) {
  void runSessionServer({
    ...sessionServer,
    issueState: (session) => encodeState({ callCount: session.calls, history: '.'.repeat(HISTORY_CHARS) }),
  });
}
