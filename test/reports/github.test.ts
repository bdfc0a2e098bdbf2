// --annotations github: workflow commands escaped by GitHub's rules, one per problem, nothing
// for what passed; and the action's shell-like splitting of its `args` input.
import { describe, expect, test } from 'vitest';
import { commandGuard, escapeData, escapeProperty, githubAnnotations, workflowCommand } from '../../reports/github.js';
import { splitWords } from '../../cli/github-action.js';
import { readCommands } from '../action/run-action.js';
import { check, everyStatusRun, run } from './factory.js';

describe('GitHub workflow commands', () => {
  test('data escapes %, CR and LF; properties also : and ,', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    expect(workflowCommand('error', 'X-1', 'm')).toBe('::error title=X-1::m');
  });

  test('a hostile message stays one command: newlines escaped, text after :: is data', () => {
    const c = check({ id: 'SESS-ERR-1', status: 'fail', message: 'bad\n::set-output name=verdict::conformant', fix: 'fix it%0A' });
    const lines = githubAnnotations(run([c]));
    expect(lines).toHaveLength(1);
    const parsed = readCommands(lines.join('\n'));
    expect(parsed.annotations).toHaveLength(1);
    expect(parsed.annotations[0]!.props.title).toBe('SESS-ERR-1');
    // Newlines collapse to one line; a literal "%0A" in the text survives escaping as text.
    expect(parsed.annotations[0]!.message).toBe(
      'fail (MUST): bad ::set-output name=verdict::conformant. Fix: fix it%0A. (npx mcp-session-conformance explain SESS-ERR-1)',
    );
  });

  test('one annotation per problem and warning, in id order; none for pass, info, skip', () => {
    const r = everyStatusRun();
    const lines = githubAnnotations(r);
    const kinds = readCommands(lines.join('\n')).annotations.map((a) => `${a.kind} ${a.props.title}`);
    const expected = [...r.checks]
      .filter((c) => ['fail', 'untestable', 'incomplete', 'harness-error', 'warn'].includes(c.status))
      .map((c) => c.id);
    expect(kinds.map((k) => k.split(' ')[1])).toEqual(expect.arrayContaining(expected));
    expect(kinds.filter((k) => k.startsWith('warning')).length).toBe(r.checks.filter((c) => c.status === 'warn').length);
    for (const c of r.checks.filter((x) => ['pass', 'info', 'skip'].includes(x.status))) expect(kinds.join('\n')).not.toContain(` ${c.id}`);
  });

  test('the guard pairs ::stop-commands:: with its token', () => {
    const g = commandGuard('t0k3n');
    const parsed = readCommands([g.stop, '::error title=INSIDE::x', g.resume, '::warning title=OUTSIDE::y'].join('\n'));
    expect(parsed.guarded).toEqual(['::error title=INSIDE::x']);
    expect(parsed.annotations.map((a) => a.props.title)).toEqual(['OUTSIDE']);
  });
});

describe('the action’s args input', () => {
  test('splits like a shell: quotes, escapes, no expansion', () => {
    expect(splitWords(`--strict --env 'A=b c' --tool-args "{\\"x\\": 1}" $HOME a\\ b ''`)).toEqual([
      '--strict',
      '--env',
      'A=b c',
      '--tool-args',
      '{"x": 1}',
      '$HOME',
      'a b',
      '',
    ]);
    expect(splitWords('  ')).toEqual([]);
    expect(() => splitWords(`--env 'open`)).toThrow(/unclosed/);
  });
});
