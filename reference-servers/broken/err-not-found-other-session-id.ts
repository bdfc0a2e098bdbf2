// Broken on purpose (SESS-ERR-2): an unknown session on a tool call gets -32043 whose
// data.sessionId is the sent id shortened to 16 characters ("for the log"), not the id itself.
// sessions/delete keeps the exact id.

import { isMain, runSessionServer, RpcError, type BehaviourOverrides } from '../session-base.js';
import { SESSION_NOT_FOUND } from '../rpc-error.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  onUnknownSession: (sessionId, where) =>
    where === 'tool'
      ? new RpcError(SESSION_NOT_FOUND, 'Session not found', { sessionId: sessionId.slice(0, 16) })
      : base.onUnknownSession(sessionId, where),
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
