// Broken (BASE-PARSE-1, a SHOULD: warns): answers an unparseable line with a log notification
// instead of -32700, as the Python originals do. Everything else is session_server.
import { isMain, runSessionServer } from '../session-base.js';
import type { WireMessage } from '../wire.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformOutgoing: (message: WireMessage) =>
      message?.error?.code === -32700
        ? {
            jsonrpc: '2.0',
            method: 'notifications/message',
            params: { level: 'error', logger: 'mcp.server.exception_handler', data: 'Internal Server Error' },
          }
        : message,
  });
}
