// Broken on purpose (SESS-ERR-3): every JSON-RPC error goes out with an empty message (codes
// and data unchanged).

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = {
  transformOutgoing: (message) =>
    message?.error && typeof message.error === 'object' ? { ...message, error: { ...message.error, message: '' } } : message,
};

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
