// Broken on purpose (BASE-PARSE-1 over Streamable HTTP, a SHOULD: warning): a POST whose body is
// not JSON gets 202 Accepted with no body, as if it were a notification the server took, where
// the transport asks for an HTTP error status (400) for input the server cannot accept, and
// JSON-RPC for -32700 with id null. Everything else is session_server.
// Start with `--transport http --port N`.
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, undefined, undefined, {
    unparseable: (res) => void res.writeHead(202).end(),
  });
}
