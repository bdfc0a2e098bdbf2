// Broken on purpose (SESS-REQ-1, 2026-03-13 only): a session-only tool called without session
// metadata gets -32043 Session not found (the 2026-02-27 habit) instead of -32044 Session
// required. Under 2026-02-27 this is the reference behaviour.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { sessionNotFound } from '../rpc-error.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = {
  onMissingSession: () => sessionNotFound(''),
};

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
