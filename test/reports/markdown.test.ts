import { describe, expect, test } from 'vitest';
import { toMarkdown } from '../../reports/markdown.js';
import { check, everyStatusRun, run } from './factory.js';

/** Cells of a GFM table row, splitting on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());
}

describe('Markdown summary', () => {
  test('opens with the verdict heading and a table with a count for every status', () => {
    const md = toMarkdown(everyStatusRun());
    expect(md.split('\n')[0]).toBe('## ❌ mcp-session-conformance: NOT CONFORMANT');
    for (const [status, n] of [['pass', 5], ['fail', 1], ['untestable', 1], ['harness-error', 1], ['skip', 1]]) {
      expect(md).toContain(`| ${status} | ${n} |`);
    }
    expect(toMarkdown(run([check({ id: 'A-1', status: 'pass' })])).split('\n')[0]).toBe(
      '## ✅ mcp-session-conformance: conformant',
    );
  });

  test('the table of checks that did not pass lists every failing id, and no passing one', () => {
    const md = toMarkdown(everyStatusRun());
    const rows = md.split('\n').filter((l) => l.startsWith('| SESS-') || l.startsWith('| BASE-'));
    expect(rows.map((r) => cells(r)[0])).toEqual(['SESS-ERR-1', 'SESS-ID-2', 'SESS-REQ-1', 'SESS-STATE-4']);
    expect(cells(rows[0]!)).toEqual([
      'SESS-ERR-1',
      'MUST',
      'fail',
      'the server answered with an isError tool result instead of a JSON-RPC error',
      'check the session before the tool runs and answer -32043 with data.sessionId',
    ]);
  });

  test('pipes, newlines and markup in a message cannot break the table', () => {
    const md = toMarkdown(
      run([check({ id: 'SESS-ERR-1', status: 'fail', message: 'a | b\nc <b>bold</b> `tick`', fix: 'x|y' })]),
    );
    const row = md.split('\n').find((l) => l.startsWith('| SESS-ERR-1'))!;
    expect(cells(row)).toHaveLength(5);
    expect(row).toContain('a \\| b<br>c &lt;b&gt;bold&lt;/b&gt; \\`tick\\`');
    expect(row).toContain('x\\|y');
  });

  test('each failure has a collapsed block with expected, actual and transcript in a fence, and the rerun command', () => {
    const md = toMarkdown(everyStatusRun());
    const start = md.indexOf('<summary><code>SESS-ERR-1</code>');
    const block = md.slice(start, md.indexOf('</details>', start));
    expect(md.lastIndexOf('<details>', start)).toBeGreaterThan(-1);
    expect(block).toMatch(/```text\nExpected: error\.code = -32043 with data\.sessionId\nActual: result\.isError = true\n/);
    expect(block).toContain('  <<< {"jsonrpc":"2.0","id":"h-7","result":{"isError":true,"content":[]}}');
    expect(block).toContain('```sh\nmcp-session-conformance --server "node srv.js" --only SESS-ERR-1 --seed 12345\n```');
  });

  test('backticks in a transcript get a longer fence so they cannot close it', () => {
    const md = toMarkdown(run([check({ id: 'SESS-ERR-1', status: 'fail', transcript: ['<<< ```` four ticks'] })]));
    expect(md).toContain('`````text\n');
    expect(md).toMatch(/<<< ```` four ticks\n`````\n/);
  });

  test('skipped and info checks are listed with their reasons; stderr tail only when not conformant', () => {
    const md = toMarkdown(everyStatusRun({ stderrTail: ['Traceback: boom'] }));
    expect(md).toContain('the target matches no known profile');
    expect(md).toContain('session metadata on tools/list is ignored');
    expect(md).toContain('Traceback: boom');
    expect(toMarkdown(run([check({ id: 'A-1', status: 'pass' })], { stderrTail: ['quiet'] }))).not.toContain('quiet');
  });
});
