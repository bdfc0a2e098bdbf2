// The reference client of the client conformance mode: the SDK's `Client` with a session layer
// of its own, running the steps of the demo set's reference client against the server(s) the
// suite names in its environment (MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_SERVER_COMMAND or
// MCP_CONFORMANCE_SERVER_URL[_2]). Exit 0 when every step ran; 1 when it could not go on.
// Broken clients (broken/) are this client with one defect switched on.

import { pathToFileURL } from 'node:url';
import { connect, endpointsFromEnv, type Side } from './connection.js';
import type { Defect } from './defects.js';
import { runSteps } from './steps.js';

const REQUEST_TIMEOUT_MS = 10_000;

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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
