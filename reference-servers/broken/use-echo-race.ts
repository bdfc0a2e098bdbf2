// Broken on purpose (SESS-USE-4): the classic "current session" global. Each arriving tools/call
// sets it; the tool then waits a moment (as if on I/O) and the echo reads the global — so under
// load a response carries the session of whichever request arrived last. The mix-up needs 8 or
// more calls in flight at once (the load SESS-USE-4 makes), so the ordinary traffic of the other
// checks sees correct echoes. Otherwise the session_required reference server (no state, so the
// only thing mixed up is the echoed id).

import { isMain, requestKey, runSessionServer, SESSION_META_KEY, type ToolSpec } from '../session-base.js';
import { sessionRequiredServer } from '../session_required_server.js';

const UNDER_LOAD = 8;
let current: string | undefined;
/** tools/call requests in a session that have not been answered yet. */
const inFlight = new Set<string>();

const slowTools: ToolSpec<null>[] = sessionRequiredServer.tools.map((tool) => ({
  ...tool,
  run: async (ctx) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return tool.run(ctx);
  },
}));

if (isMain(import.meta.url)) {
  void runSessionServer({ ...sessionRequiredServer, tools: slowTools }, (base) => ({
    transformIncoming(message) {
      const meta = message?.params?._meta?.[SESSION_META_KEY];
      if (message?.method === 'tools/call' && typeof meta?.sessionId === 'string') {
        current = meta.sessionId;
        inFlight.add(requestKey(message.id));
      }
      return message;
    },
    transformOutgoing(message) {
      if (message && 'id' in message) inFlight.delete(requestKey(message.id));
      return message;
    },
    buildEcho(session, ctx) {
      const echo = base.buildEcho(session, ctx);
      const crowded = inFlight.size >= UNDER_LOAD;
      return echo && crowded && current !== undefined ? { ...echo, sessionId: current } : echo;
    },
  }));
}
