// Broken (BASE-WIRE-1): prints a start-up banner on stdout, where only JSON-RPC may go.
// Everything else is session_server.
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  process.stdout.write('session server v1.0 ready (listening on stdio)\n');
  void runSessionServer(sessionServer);
}
