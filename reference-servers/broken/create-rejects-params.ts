// Broken on purpose (SESS-CREATE-2): sessions/create works only without a params member; any
// params object — even {} or one with unrelated _meta keys — is refused with -32602.
// Otherwise the session_server reference server.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { invalidParams } from '../rpc-error.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  onCreateWithSession(params) {
    if (params !== undefined) return invalidParams('sessions/create takes no params');
    return base.onCreateWithSession(params);
  },
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
