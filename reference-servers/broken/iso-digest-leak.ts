// Broken on purpose (SESS-ISO-1, decision D16): hashcheck_server with its tools renamed
// digest_store / digest_verify / digest_list / digest_delete and one digest set shared by every
// session. What crosses is a digest, never the text that was written, so only the comparison
// finds it: session B's digest_list and digest_store answers count session A's entries next to
// session A and not when B runs alone. Undeclared, this is a warning.

import { isMain, runSessionServer, type ServerSpec } from '../session-base.js';
import { hashcheckServer } from '../hashcheck_server.js';

type HashData = ReturnType<typeof hashcheckServer.newData>;

const shared: HashData = hashcheckServer.newData();

export const digestLeak: ServerSpec<HashData> = {
  ...hashcheckServer,
  name: 'digest',
  newData: () => shared,
  tools: hashcheckServer.tools.map((tool) => ({ ...tool, name: tool.name.replace(/^hashcheck_/, 'digest_') })),
};

if (isMain(import.meta.url)) void runSessionServer(digestLeak);
