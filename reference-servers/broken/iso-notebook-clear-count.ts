// Broken (SESS-ISO-2): notebook_clear reports how many notes are left after clearing (always 0)
// instead of how many it removed: "Notebook cleared (0 notes removed)." The notes themselves
// are kept and cleared correctly, per session. Everything else is notebook_server.
import { isMain, runSessionServer, type ServerSpec } from '../session-base.js';
import { notebookServer } from '../notebook_server.js';

type NotebookData = typeof notebookServer extends ServerSpec<infer D> ? D : never;

export const clearCountNotebook: ServerSpec<NotebookData> = {
  ...notebookServer,
  tools: notebookServer.tools.map((tool) =>
    tool.name !== 'notebook_clear'
      ? tool
      : {
          ...tool,
          run: ({ session }) => {
            session!.data.notes = [];
            return { text: `Notebook cleared (${session!.data.notes.length} notes removed).` };
          },
        },
  ),
};

if (isMain(import.meta.url)) void runSessionServer(clearCountNotebook);
