// Broken on purpose (SESS-ISO-1): every session gets the same notebook object, so a note
// appended in one session shows up when any other session reads, counts or clears. Each session
// on its own behaves exactly like the reference notebook.

import { isMain, runSessionServer, type ServerSpec } from '../session-base.js';
import { notebookServer } from '../notebook_server.js';

type NotebookData = ReturnType<typeof notebookServer.newData>;

const shared: NotebookData = notebookServer.newData();

const leaky: ServerSpec<NotebookData> = { ...notebookServer, newData: () => shared };

if (isMain(import.meta.url)) void runSessionServer(leaky);
