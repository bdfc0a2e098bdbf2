// The reference client of the client conformance mode: the SDK's `Client` with a session layer
// of its own, running the steps of the demo set's reference client against the server(s) the
// suite names in its environment (MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_SERVER_COMMAND or
// MCP_CONFORMANCE_SERVER_URL[_2]). Exit 0 when every step ran; 1 when it could not go on.
// Broken clients (broken/) are this client with one defect switched on.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connect, endpointsFromEnv, type Side } from './connection.js';
import type { Defect } from './defects.js';
import { runSteps } from './steps.js';

// Longer than the suite's per-scenario deadline (20 s): a slow machine never makes the client give up first.
const REQUEST_TIMEOUT_MS = 30_000;

export async function runClient(defect: Defect = 'none'): Promise<number> {
  const log = (line: string) => process.stderr.write(`[reference-client${defect === 'none' ? '' : ` ${defect}`}] ${line}\n`);
  const sides: Side[] = [];
  try {
    const endpoints = endpointsFromEnv();
    const count = endpoints.scenario === 'two-servers' ? 2 : 1;
    for (let index = 0; index < count; index++) {
      sides.push(await connect(endpoints, index, defect, REQUEST_TIMEOUT_MS));
      log(`${sides[index]!.label}: initialized (sessions ${sides[index]!.hasSessions ? 'offered' : 'not offered'})`);
    }
    await runSteps({ sides, defect, timeoutMs: REQUEST_TIMEOUT_MS, log });
    log(`scenario ${endpoints.scenario}: every step ran`);
    return 0;
  } catch (error) {
    log(`stopped: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await Promise.allSettled(sides.map((side) => side.client.close()));
  }
}

/** Entry point for a client file: run, then exit with the client's status (nothing keeps it alive). */
export async function main(defect: Defect = 'none'): Promise<void> {
  process.exit(await runClient(defect));
}

/** Run directly (not imported by a broken client)? Symlinked paths (npm link, pnpm) count as the same file. */
function isMain(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) await main();
