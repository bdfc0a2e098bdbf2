// Broken on purpose (HTTP-CONN-1, a SHOULD: warning): over Streamable HTTP it serves one TCP
// connection at a time, keeps that connection open until the client closes it, and leaves every
// other connection unread meanwhile, as a one-threaded HTTP/1.1 server does (Python's
// `HTTPServer` with `protocol_version = "HTTP/1.1"`). A client that keeps an idle connection
// open stalls every other. Each answer itself is right: everything else is session_server.
// Start with `--transport http --port N`.
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, undefined, undefined, { connections: 'one-at-a-time' });
}
