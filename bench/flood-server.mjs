// A target for the reading-speed bench: answers initialize, and answers one tools/call with
// FLOOD_N progress notifications followed by the result, written as fast as stdout takes them.
import { createInterface } from 'node:readline';

const N = Number(process.env.FLOOD_N ?? 100000);
const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line);
  if (msg.method === 'initialize') {
    send({ jsonrpc: '2.0', id: msg.id, result: { protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'flood', version: '1.0.0' } } });
  } else if (msg.method === 'tools/call') {
    const chunk = [];
    for (let i = 0; i < N; i++) {
      chunk.push(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: `flood line ${i}` } }));
      if (chunk.length === 1000 || i === N - 1) {
        process.stdout.write(`${chunk.join('\n')}\n`);
        chunk.length = 0;
      }
    }
    send({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: `sent ${N}` }] } });
  } else if ('id' in msg) {
    send({ jsonrpc: '2.0', id: msg.id, result: {} });
  }
});
