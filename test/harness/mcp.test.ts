// The MCP lifecycle: initialize + initialized, raw capabilities kept, and start failures
// reported (never thrown) with nothing left running.
import { describe, expect, test } from 'vitest';
import { connect, type StartFailure } from '../../harness/mcp.js';
import { Transcript } from '../../harness/transcript.js';
import { PROFILE, connectTo, processGone, spec } from './helpers.js';

describe('connect', () => {
  test('initializes, keeps the raw result, then sends notifications/initialized', async () => {
    const { c, transcript } = await connectTo('well-behaved');
    expect(c.initialize.result.capabilities).toEqual({ tools: {}, sessions: {} });
    expect(c.initialize.message).toMatchObject({ jsonrpc: '2.0', result: c.initialize.result });
    const out = transcript.entries.filter((e) => e.dir === 'out').map((e) => e.json as any);
    expect(out[0]).toMatchObject({
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcp-session-conformance' } },
    });
    expect(out[1]).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
  });

  test('advertises experimental/sessions as the client only when asked', async () => {
    const { transcript } = await connectTo('well-behaved', { advertiseClientSessions: true });
    const init = transcript.entries.find((e) => e.dir === 'out')!.json as any;
    expect(init.params.capabilities).toEqual({ experimental: { 'experimental/sessions': {} } });
  });

  test('a command that does not exist is a StartFailure of reason exit, with the shell complaint', async () => {
    const result = (await connect(spec('no-such-mcp-server-4711'), {
      transcript: new Transcript(),
      profile: PROFILE,
      conn: 1,
    })) as StartFailure;
    expect(result).toMatchObject({ failed: true, reason: 'exit', exit: { code: 127, signal: null } });
    expect(result.stderrTail.join('\n')).toContain('no-such-mcp-server-4711');
  });

  test('a target that never answers initialize is a timeout StartFailure and is stopped', async () => {
    const command = `'${process.execPath}' -e "console.error('pid ' + process.pid); setInterval(() => {}, 1000)"`;
    const transcript = new Transcript();
    const result = (await connect(spec(command, { startTimeout: 300 }), { transcript, profile: PROFILE, conn: 1 })) as StartFailure;
    expect(result).toMatchObject({ failed: true, reason: 'timeout', detail: 'no answer to initialize within 300 ms' });
    const pid = Number(result.stderrTail.find((l) => l.startsWith('pid '))!.split(' ')[1]);
    expect(processGone(pid)).toBe(true);
  });

  test('an error answer to initialize is a StartFailure of reason error-response', async () => {
    const command = `'${process.execPath}' -e "process.stdin.once('data', (d) => { const id = JSON.parse(d).id; console.log(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32602, message: 'unsupported version' } })) })"`;
    const result = (await connect(spec(command), { transcript: new Transcript(), profile: PROFILE, conn: 1 })) as StartFailure;
    expect(result).toMatchObject({ failed: true, reason: 'error-response' });
    expect(result.detail).toContain('unsupported version');
  });

  test('a cwd that does not exist is a StartFailure of reason spawn', async () => {
    const result = (await connect(spec('true', { cwd: '/no/such/dir/4711' }), {
      transcript: new Transcript(),
      profile: PROFILE,
      conn: 1,
    })) as StartFailure;
    expect(result).toMatchObject({ failed: true, reason: 'spawn' });
  });
});
