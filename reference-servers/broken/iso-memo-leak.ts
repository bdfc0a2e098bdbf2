// Broken on purpose (SESS-ISO-1, decision D16): prop-notebook-leak with its tools renamed
// memo_append / memo_read / memo_clear / memo_status, so no reference tool set matches it.
// Every session gets the same notebook object: a memo written in one session shows up when any
// other session reads, counts or clears. Undeclared, the noninterference runs find session A's
// text in session B's memo_read answer (a warning); declared with --app notebook_server, the
// tools are missing (SESS-ISO-2 fails) and the same finding fails SESS-ISO-1 at MUST.

import { isMain, runSessionServer, type ServerSpec } from '../session-base.js';
import { notebookServer } from '../notebook_server.js';

type NotebookData = ReturnType<typeof notebookServer.newData>;

const shared: NotebookData = notebookServer.newData();

export const memoLeak: ServerSpec<NotebookData> = {
  ...notebookServer,
  name: 'memo',
  newData: () => shared,
  tools: notebookServer.tools.map((tool) => ({ ...tool, name: tool.name.replace(/^notebook_/, 'memo_') })),
};

if (isMain(import.meta.url)) void runSessionServer(memoLeak);
