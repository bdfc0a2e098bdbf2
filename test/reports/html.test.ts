import { describe, expect, test } from 'vitest';
import { toHtml } from '../../reports/html.js';
import { HTML_LIMITS } from '../../reports/html-text.js';
import { check, everyStatusRun, run } from './factory.js';

const HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2"> & \' "';

/** The text of the element with this id attribute (the reporter's own markup, no nesting inside). */
function byId(html: string, id: string): string {
  const m = html.match(new RegExp(`id="${id}"[^>]*>([^<]*)<`));
  return m?.[1] ?? '';
}

describe('HTML report', () => {
  test('states the verdict and the counts of every status at the top', () => {
    const html = toHtml(everyStatusRun());
    expect(byId(html, 'verdict')).toBe('NOT CONFORMANT');
    expect(byId(html, 'counts')).toBe('1 failed, 1 untestable, 1 harness error, 5 passed, 1 warning, 1 info, 1 skipped');
    expect(byId(toHtml(run([check({ id: 'A-1', status: 'pass' })])), 'verdict')).toBe('conformant');
  });

  test('groups checks by section in report order and offers one filter per status present', () => {
    const html = toHtml(everyStatusRun());
    const sections = [...html.matchAll(/<section class="group" data-section="([^"]+)"/g)].map((m) => m[1]);
    expect(sections).toEqual(['create', 'ids', 'use', 'state', 'errors', 'required', 'isolation', 'base', 'alpha', 'zeta']);
    const filters = [...html.matchAll(/data-filter="([^"]+)"/g)].map((m) => m[1]);
    expect(filters).toEqual(['all', 'problems', 'pass', 'fail', 'warn', 'info', 'skip', 'untestable', 'harness-error']);
  });

  test('a failure shows expected, actual, fix, transcript and its rerun command beside a copy button', () => {
    const html = toHtml(everyStatusRun());
    const start = html.indexOf('data-id="SESS-ERR-1"');
    const block = html.slice(start, html.indexOf('</article>', start));
    expect(block).toContain('<dt>Expected</dt><dd>error.code = -32043 with data.sessionId</dd>');
    expect(block).toContain('<dt>Actual</dt><dd>result.isError = true</dd>');
    expect(block).toContain('<dt>Fix</dt><dd>check the session before the tool runs and answer -32043 with data.sessionId</dd>');
    expect(block).toContain('&lt;&lt;&lt; {&quot;jsonrpc&quot;:&quot;2.0&quot;,&quot;id&quot;:&quot;h-7&quot;');
    const cmd = block.match(/<pre id="(cmd-\d+)">([^<]*)<\/pre><button class="copy" type="button" data-copy="(cmd-\d+)"/);
    expect(cmd?.[1]).toBe(cmd?.[3]);
    expect(cmd?.[2]).toBe('mcp-session-conformance --server &quot;node srv.js&quot; --only SESS-ERR-1 --seed 12345');
  });

  test('a long transcript shows its last lines and the whole exchange inside <details>', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `>>> line ${i + 1}`);
    const html = toHtml(run([check({ id: 'A-1', status: 'fail', transcript: lines.slice(-14), exchange: lines })]));
    const [excerpt, rest] = html.split('<details class="exchange">');
    expect(excerpt).toContain('<pre>… 23 earlier lines in the whole exchange …\n&gt;&gt;&gt; line 24\n');
    expect(excerpt).toContain('&gt;&gt;&gt; line 30</pre>');
    expect(rest).toMatch(/^<summary>Whole exchange \(30 lines\)<\/summary><pre>&gt;&gt;&gt; line 1\n/);
    expect(rest).toContain('&gt;&gt;&gt; line 30</pre></details>');
  });

  test('a property-based failure shows its seed, path, steps and the --replay command', () => {
    const replayArg = 'SESS-DELETE-2@-968098967:1:5:5:5:CACBAAAADL:qK';
    const html = toHtml(
      run([
        check({
          id: 'SESS-DELETE-2',
          status: 'fail',
          details: { model: 'protocol', seed: -968098967, path: '1:5:5:5', replayPath: 'CACBAAAADL:qK', replayArg, counterexample: ['create s0', 'delete s0'] },
        }),
      ]),
    );
    expect(html).toContain('<dt>Seed</dt><dd>-968098967</dd>');
    expect(html).toContain('<dt>Path</dt><dd><code>1:5:5:5</code></dd>');
    expect(html).toContain('<pre>1. create s0\n2. delete s0</pre>');
    expect(html).toContain(`--only SESS-DELETE-2 --seed 12345 --replay ${replayArg}</pre>`);
  });

  test('hostile target text is escaped everywhere: only the report\'s own script and no attribute of the target\'s', () => {
    const html = toHtml(
      run(
        [check({ id: 'A-1', status: 'fail', title: HOSTILE, message: HOSTILE, expected: HOSTILE, actual: HOSTILE, fix: HOSTILE, transcript: [HOSTILE], details: { [HOSTILE]: HOSTILE } })],
        { target: HOSTILE, stderrTail: [HOSTILE], discovery: { tools: 1, probe: null, sessionTool: null, publicTool: null, notes: [HOSTILE] } },
      ),
    );
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<img|onerror="/i);
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt; &amp; &#39; &quot;');
  });

  test('control characters, bidi overrides and lone surrogates become visible \\uXXXX text', () => {
    const html = toHtml(run([check({ id: 'A-1', status: 'fail', message: 'a\u0000b\u001b[31mc\u0085d\ud800e\u202ef😀' })]));
    expect(html).toContain('<dt>Message</dt><dd>a\\u0000b\\u001b[31mc\\u0085d\\ud800e\\u202ef😀</dd>');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
  });

  test('huge strings are cut in the middle, so the page stays small, and the page says so', () => {
    const huge = `START${'x'.repeat(2_000_000)}END`;
    const html = toHtml(run([check({ id: 'A-1', status: 'fail', message: huge, transcript: Array.from({ length: 5000 }, () => huge) })]));
    expect(html.length).toBeLessThan(2_000_000);
    expect(/<dd>STARTx+ …\(1996048 chars cut\)… x+END<\/dd>/.test(html)).toBe(true);
    expect(html).toContain(`fields past ${HTML_LIMITS.field} characters`);
    expect(html).toContain('lines left out of this report');
  });

  test('the page references nothing outside itself and forbids requests by policy', () => {
    const html = toHtml(everyStatusRun());
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[^&]+&#39;; script-src &#39;sha256-/);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  test('run-level facts are stated above the checks: fatal, cut short, incidents, expected failures, discovery notes', () => {
    const html = toHtml(
      run([check({ id: 'SESS-ERR-1', status: 'fail' }), check({ id: 'SESS-ERR-2', status: 'pass' })], {
        verdict: 'incomplete',
        fatal: { kind: 'internal', message: 'boom' },
        stopped: 'the run deadline (--run-timeout 100 ms) passed',
        incidents: [{ kind: 'target-died', level: 'SHOULD', message: 'the target died under 2 checks', checks: ['SESS-ERR-1'], exit: { code: 1, signal: null }, stderrTail: ['panic'] }],
        expectedFailures: [
          { id: 'SESS-ERR-1', reason: 'known bug #12', stillFails: true },
          { id: 'SESS-ERR-2', reason: 'fixed long ago', stillFails: false },
        ],
        discovery: { tools: 2, probe: 'echo', sessionTool: null, publicTool: 'echo', notes: ['tool "wipe" not tried: destructive name'] },
      }),
    );
    const top = html.slice(0, html.indexOf('<main>'));
    expect(top).toContain('<b>Fatal (internal):</b> boom');
    expect(top).toContain('<b>Incomplete:</b> the run deadline (--run-timeout 100 ms) passed.');
    expect(top).toMatch(/<b>Incident \(target-died\):<\/b> the target died under 2 checks<pre>[^<]*Exit: code 1, signal null[^<]*panic/);
    expect(top).toContain('<code>SESS-ERR-1</code> expected failure: known bug #12');
    expect(top).toContain('<code>SESS-ERR-2</code> <b>stale</b>: did not fail, remove it from the list: fixed long ago');
    expect(top).toContain('tool &quot;wipe&quot; not tried: destructive name');
    expect(byId(html, 'verdict')).toBe('INCOMPLETE');
    const row = html.slice(html.indexOf('data-id="SESS-ERR-1"'));
    expect(row.slice(0, row.indexOf('</div>'))).toContain('<span class="ef">expected failure</span>');
  });

  test('two renderings of the same run are the same bytes (no clock), and timings appear only when asked', () => {
    expect(toHtml(everyStatusRun())).toBe(toHtml(everyStatusRun()));
    expect(toHtml(everyStatusRun())).not.toContain('ms wall');
    expect(toHtml(everyStatusRun(), { timings: true })).toContain('4322 ms wall');
  });
});
