// Broken on purpose (SESS-CAP-1): a server without sessions support — its initialize result
// has no `sessions` capability and sessions/create is answered with -32601, as the 2026-03-13
// draft asks of such a server (so SESS-CAP-2 passes). Every other session check is skipped.
// Otherwise the session_server reference server.

import { isMain, referenceCapabilities, runSessionServer } from '../session-base.js';
import { METHOD_NOT_FOUND, RpcError } from '../rpc-error.js';
import { sessionServer } from '../session_server.js';

const { sessions: _dropped, ...capabilities } = referenceCapabilities();

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    capabilities,
    onCreateWithSession: () => new RpcError(METHOD_NOT_FOUND, 'Method not found'),
  });
}
