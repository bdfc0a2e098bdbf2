// The stdio server a client under test starts (MCP_CONFORMANCE_SERVER_COMMAND): it connects to
// the suite's endpoint (a unix socket) and relays bytes both ways, unchanged. Each start is one
// connection, and so one scripted server instance. Kept free of the suite's modules: it starts
// once per spawn, and must start fast.
import { createConnection } from 'node:net';

const endpoint = process.argv[2];
if (!endpoint) {
  process.stderr.write('usage: relay.js <endpoint>\n');
  process.exit(2);
}

const socket = createConnection(endpoint);
let finished = false;
const finish = (code: number) => {
  if (finished) return;
  finished = true;
  // Let what was written to stdout drain before leaving.
  process.stdout.write('', () => process.exit(code));
};

process.stdout.on('error', () => finish(0)); // the client closed our stdout: nothing left to relay to
socket.on('error', (err) => {
  process.stderr.write(`mcp-session-conformance relay: cannot reach the suite at ${endpoint}: ${err.message}\n`);
  finish(1);
});
socket.on('close', () => finish(0));
process.stdin.pipe(socket);
socket.pipe(process.stdout);
// The client closed our stdin: the connection ends (the suite sees the end of this server).
process.stdin.on('end', () => socket.end());
