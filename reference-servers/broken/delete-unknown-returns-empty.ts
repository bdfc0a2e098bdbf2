// Broken on purpose (SESS-DELETE-3 under 2026-02-27): deleting an unknown or already deleted
// session answers an idempotent {} instead of -32043. (2026-03-13 allows this: there the check
// is informational and this server conforms.)

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  deleteSession(read, runtime) {
    if (read.kind === 'present' && !runtime.behaviour.findSession(read.meta.sessionId, runtime)) return {};
    return base.deleteSession(read, runtime);
  },
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
