// Port of session_required_server.py: every tool needs a session; no state token.

import { isMain, runSessionServer, type ServerSpec } from './session-base.js';

export const sessionRequiredServer: ServerSpec<null> = {
  name: 'session-required',
  newData: () => null,
  tools: [
    {
      name: 'echo',
      description: 'Echo text back — requires an active session.',
      properties: [{ name: 'text', kind: 'required' }],
      session: 'required',
      run: ({ args }) => ({ text: args.text! }),
    },
    {
      name: 'whoami',
      description: 'Return basic session information.',
      session: 'required',
      run: ({ session }) => ({ text: `Session ${session!.sessionId}, calls=${session!.calls}` }),
    },
  ],
};

if (isMain(import.meta.url)) void runSessionServer(sessionRequiredServer);
