// Broken on purpose (HTTP-NOTIF-1, a MUST of the 2025-11-25 transport): over Streamable HTTP it
// answers a posted notification with `200 OK` and a body ("OK", text/plain) instead of
// `202 Accepted` without a body. The notification itself is dropped, which changes nothing here:
// the stateless reference server keeps no per-connection state a notification could touch.
// Everything else is session_server. Start with `--transport http --port N`.
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const isNotification = (m: any): boolean => typeof m?.method === 'string' && !('id' in m);

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, undefined, undefined, {
    intercept: ({ body, res }) => {
      if (!isNotification(body)) return false;
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('OK');
      return true;
    },
  });
}
