import { describe, expect, test } from 'vitest';
import { formatMatrix, sectionCell } from '../../reports/matrix.js';
import { check, everyStatusRun, run } from './factory.js';

function table(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('total:'))
    .map((l) => l.split(/ {2,}/));
}

describe('matrix of servers × sections', () => {
  test('each cell is the worst status of the section', () => {
    expect(sectionCell([])).toBe('-');
    expect(sectionCell([check({ id: 'A-1', status: 'skip' })])).toBe('skip');
    expect(sectionCell([check({ id: 'A-1', status: 'skip' }), check({ id: 'A-2', status: 'info' })])).toBe('pass');
    expect(sectionCell([check({ id: 'A-1', status: 'pass' }), check({ id: 'A-2', status: 'warn' })])).toBe('warn');
    for (const bad of ['fail', 'untestable', 'harness-error'] as const) {
      expect(sectionCell([check({ id: 'A-1', status: 'warn' }), check({ id: 'A-2', status: bad })])).toBe('fail');
    }
  });

  test('rows per server with a verdict column, sections in report order, and a total line', () => {
    const good = run([
      check({ id: 'SESS-CAP-1', section: 'capability', status: 'pass' }),
      check({ id: 'SESS-ID-2', section: 'ids', status: 'warn' }),
      check({ id: 'SESS-ISO-1', section: 'isolation', status: 'skip' }),
    ]);
    const text = formatMatrix(
      [
        { server: 'session_server', run: good },
        { server: 'broken/err', run: everyStatusRun() },
      ],
      { color: false },
    );
    const [header, first, second] = table(text);
    expect(header).toEqual([
      'server', 'capability', 'create', 'ids', 'use', 'state', 'errors', 'required', 'isolation', 'base', 'alpha', 'zeta', 'verdict',
    ]);
    expect(first).toEqual(['session_server', 'pass', '-', 'warn', '-', '-', '-', '-', 'skip', '-', '-', '-', 'conformant']);
    expect(second).toEqual(['broken/err', '-', 'pass', 'warn', 'pass', 'fail', 'fail', 'fail', 'skip', 'pass', 'pass', 'pass', 'NOT CONFORMANT']);
    expect(text).toContain('total: 2 servers, 1 conformant, 1 not conformant, 0 error');
    expect(text).not.toContain('\u001b');
    expect(formatMatrix([{ server: 's', run: good }], { color: true })).toContain('\u001b[33mwarn');
  });
});
