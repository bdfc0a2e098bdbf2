// A clean server whose tools are named like session_required_server's (echo + whoami, a common
// pair) but whose whoami answers in its own words: "session <id> calls=<n>". Nothing in the
// draft fixes that text, so undeclared it is conformant; only a target declared as
// session_required_server (--app) is held to the demo script's "Session <id>, calls=<n>" (D15).
import { isMain, runSessionServer, type ServerSpec } from '../session-base.js';
import { sessionRequiredServer } from '../session_required_server.js';

export const otherWords: ServerSpec<null> = {
  ...sessionRequiredServer,
  name: 'echo-whoami',
  tools: sessionRequiredServer.tools.map((tool) =>
    tool.name !== 'whoami' ? tool : { ...tool, run: ({ session }) => ({ text: `session ${session!.sessionId} calls=${session!.calls}` }) },
  ),
};

if (isMain(import.meta.url)) void runSessionServer(otherWords);
