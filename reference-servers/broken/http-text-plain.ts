// Broken on purpose (HTTP-RESP-1, a MUST of the 2025-11-25 transport): over Streamable HTTP it
// answers every JSON-RPC request after initialize with the right JSON body but
// `Content-Type: text/plain`, where the transport text allows only application/json or
// text/event-stream. The initialize answer keeps application/json so the run can start.
// Everything else is session_server. Start with `--transport http --port N`.
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const isRequest = (m: any): boolean => typeof m?.method === 'string' && 'id' in m;

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, undefined, undefined, {
    headers: (status, headers, { body }) => {
      const requests = (Array.isArray(body) ? body : [body]).filter(isRequest);
      if (status !== 200 || requests.length === 0 || requests.some((m) => m.method === 'initialize')) return headers;
      return { ...headers, 'content-type': 'text/plain; charset=utf-8' };
    },
  });
}
