// Broken on purpose (SESS-STATE-1): the server rejects its own state once the token says three
// calls were made (a "use count" baked into the token and enforced) — so the fourth call of any
// session fails, although the client sent back exactly the newest token. Otherwise the
// session_server reference (state: base64 of {"callCount":n}).

import { isMain, runSessionServer } from '../session-base.js';
import { invalidParams } from '../rpc-error.js';
import { sessionServer } from '../session_server.js';
import { decodeState } from '../state-codec.js';

const MAX_USES = 3;

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, (base) => ({
    acceptState(session, incoming, runtime) {
      const decoded = decodeState(incoming.state) as { callCount?: unknown } | undefined;
      if (typeof decoded?.callCount === 'number' && decoded.callCount >= MAX_USES) {
        throw invalidParams('Invalid state: token used up');
      }
      base.acceptState(session, incoming, runtime);
    },
  }));
}
