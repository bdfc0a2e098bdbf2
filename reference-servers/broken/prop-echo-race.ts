// Broken on purpose (SESS-USE-4): the echo is built from a "current session" variable shared by
// all requests. Each tool call sets it on arrival and the tool answers a few milliseconds later,
// so of requests in flight together, every response names the session of the one that came
// last. One request at a time looks perfect.

import { isMain, runSessionServer, type BehaviourOverrides, type ServerSpec } from '../session-base.js';
import type { SessionRecord } from '../session-store.js';
import { sessionServer } from '../session_server.js';

let current: SessionRecord<null> | undefined;

const delayed: ServerSpec<null> = {
  ...sessionServer,
  tools: sessionServer.tools.map((tool) => ({
    ...tool,
    run: async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return tool.run(ctx);
    },
  })),
};

const overrides: BehaviourOverrides<null> = (base) => ({
  touch(session, runtime) {
    current = session;
    base.touch(session, runtime);
  },
  buildEcho(session, ctx) {
    const echo = base.buildEcho(session, ctx);
    return echo && current ? { ...echo, sessionId: current.sessionId } : echo;
  },
});

if (isMain(import.meta.url)) void runSessionServer(delayed, overrides);
