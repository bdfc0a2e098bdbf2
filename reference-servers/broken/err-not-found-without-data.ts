// Broken on purpose (SESS-ERR-2): an unknown session on a tool call gets -32043 without `data`,
// so the client cannot tell which session was refused. sessions/delete keeps data.sessionId.
// The same error also fails the -32043 wire schema (BASE-WIRE-2).

import { isMain, runSessionServer, RpcError, type BehaviourOverrides } from '../session-base.js';
import { SESSION_NOT_FOUND } from '../rpc-error.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  onUnknownSession: (sessionId, where) =>
    where === 'tool' ? new RpcError(SESSION_NOT_FOUND, 'Session not found') : base.onUnknownSession(sessionId, where),
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
