// Broken on purpose (SESS-ERR-1): a never-issued session id on a tool call is answered the way
// the Python originals do — a successful result with isError: true, "Error executing tool X:
// Session not found" — because the check runs inside the tool, where the SDK wraps every
// exception. Ids the server did issue (deleted, expired) still get a true -32043.

import { isMain, runSessionServer, RpcError, type BehaviourOverrides } from '../session-base.js';
import { sessionServer } from '../session_server.js';

/** Private code that marks an error this server turns into an isError result on the way out. */
const WRAPPED_IN_TOOL = -39001;

const overrides: BehaviourOverrides<null> = (base) => {
  const issued = new Set<string>();
  const toolOfRequest = new Map<string | number, string>();
  return {
    createSession(runtime) {
      const session = base.createSession(runtime);
      issued.add(session.sessionId);
      return session;
    },
    onUnknownSession(sessionId, where) {
      if (where === 'tool' && !issued.has(sessionId)) return new RpcError(WRAPPED_IN_TOOL, 'Session not found');
      return base.onUnknownSession(sessionId, where);
    },
    transformIncoming(message) {
      if (message?.method === 'tools/call' && message.id !== undefined) toolOfRequest.set(message.id, String(message.params?.name));
      return message;
    },
    transformOutgoing(message) {
      if (message?.id !== undefined) {
        const tool = toolOfRequest.get(message.id);
        toolOfRequest.delete(message.id);
        if (message.error?.code === WRAPPED_IN_TOOL) {
          const text = `Error executing tool ${tool}: ${message.error.message}`;
          return { jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text }], isError: true } };
        }
      }
      return message;
    },
  };
};

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
