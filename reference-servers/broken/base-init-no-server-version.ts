// Broken (BASE-INIT-1): its initialize result carries serverInfo without a version. Everything
// else is session_server, so every other check runs and passes.
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, (base) => ({
    serverInfo: { name: base.serverInfo.name } as { name: string; version: string },
  }));
}
