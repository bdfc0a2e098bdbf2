// Broken on purpose (SESS-ID-2, a SHOULD: warning): session ids are a counter, "sess-1",
// "sess-2", … — unique, but anyone can guess a live id. Otherwise the session_server
// reference server.

import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

let counter = 0;

if (isMain(import.meta.url)) void runSessionServer(sessionServer, { mintSessionId: () => `sess-${++counter}` });
