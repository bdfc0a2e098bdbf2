// Broken on purpose (SESS-DELETE-2, and SESS-ERR-1 / SESS-REQ-1 where their drafts make it a
// MUST): selective_session_server that rejects a missing, unknown or deleted session on a tool
// call the way the Python original does — a successful result with isError: true, "Error
// executing tool X: Session not found". Declared with --app selective_session_server, step 4 of
// the demo script (counter_get after session_reset) still passes: it documents a rejection, and
// the form of the rejection is judged by SESS-ERR-1 / SESS-DELETE-2 / SESS-REQ-1 alone (D15).

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { selectiveSessionServer } from '../selective_session_server.js';

const toolError = (tool?: string) => ({ text: `Error executing tool ${tool ?? 'call'}: Session not found`, isError: true });

const overrides: BehaviourOverrides<any> = (base) => {
  let tool: string | undefined;
  return {
    transformIncoming(message) {
      if (message?.method === 'tools/call') tool = String(message.params?.name);
      return message;
    },
    onMissingSession: (name) => toolError(name),
    onUnknownSession: (sessionId, where) => (where === 'tool' ? toolError(tool) : base.onUnknownSession(sessionId, where)),
  };
};

if (isMain(import.meta.url)) void runSessionServer(selectiveSessionServer, overrides);
