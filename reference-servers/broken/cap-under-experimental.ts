// Broken on purpose (SESS-CAP-1): the sessions capability is advertised as
// `capabilities.experimental.sessions` instead of at the top level, while sessions/create still
// works. Under 2026-03-13 a server without the (top-level) capability that answers create also
// fails SESS-CAP-2. Otherwise the session_server reference server.

import { isMain, referenceCapabilities, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const { sessions, ...rest } = referenceCapabilities();
const capabilities = { ...rest, experimental: { sessions } };

if (isMain(import.meta.url)) void runSessionServer(sessionServer, { capabilities });
