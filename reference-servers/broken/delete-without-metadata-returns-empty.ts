// Broken on purpose (SESS-DELETE-4): sessions/delete that names no session (no params, or no
// session metadata) is treated as a no-op and answers {} instead of an error.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  deleteSession: (read, runtime) => (read.kind === 'missing' ? {} : base.deleteSession(read, runtime)),
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
