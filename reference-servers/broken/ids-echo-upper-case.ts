// Broken on purpose (SESS-ID-3, and SESS-ID-4 through the tool survey, D21): on tools whose session is optional (public_echo,
// session_start), a call inside a session echoes the id upper-cased ("SESS-…", a
// case-insensitive lookup's canonical form). Session-only tools echo it unchanged, so a session
// driven through them keeps its id. Otherwise the selective_session_server
// reference server.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { selectiveSessionServer } from '../selective_session_server.js';

type Data = ReturnType<typeof selectiveSessionServer.newData>;

const optional = new Set(selectiveSessionServer.tools.filter((t) => t.session === 'optional').map((t) => t.name));

const overrides: BehaviourOverrides<Data> = (base) => ({
  buildEcho(session, ctx) {
    const echo = base.buildEcho(session, ctx);
    return echo && optional.has(ctx.tool) ? { ...echo, sessionId: echo.sessionId.toUpperCase() } : echo;
  },
});

if (isMain(import.meta.url)) void runSessionServer(selectiveSessionServer, overrides);
