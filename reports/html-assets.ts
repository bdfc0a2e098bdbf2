// The HTML report's own style and script, inlined into the page (no network, no external asset).
// The page's Content-Security-Policy allows exactly these two blocks by their hashes, so even a
// string that escaped escaping could neither run a script nor load anything.
import { createHash } from 'node:crypto';

export const STYLE = `
:root { --fg:#1d2330; --muted:#5d6678; --line:#dde1e8; --bg:#f6f7f9; --card:#fff;
  --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --info:#0969da; --skip:#6e7781;
  --untestable:#bc4c00; --incomplete:#8250df; --harness-error:#a40e26; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; }
h1 { font-size: 22px; margin: 0 0 4px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
h2 { font-size: 16px; margin: 22px 0 8px; text-transform: capitalize; }
h2 .n { color: var(--muted); font-weight: normal; font-size: 13px; text-transform: none; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { margin: 4px 0; padding: 8px 10px; background: #f0f2f5; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.verdict { padding: 3px 10px; border-radius: 6px; color: #fff; font-size: 15px; letter-spacing: .02em; }
.v-conformant { background: var(--pass); } .v-non-conformant { background: var(--fail); }
.v-incomplete { background: var(--incomplete); } .v-error { background: var(--harness-error); }
.meta { color: var(--muted); margin: 2px 0 10px; overflow-wrap: anywhere; }
.counts { font-size: 15px; margin: 6px 0 12px; }
.problems { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 10px; }
.problems a { text-decoration: none; color: var(--fg); background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1px 8px 1px 2px; }
.problems .badge { min-width: 0; }
.check:target { outline: 2px solid var(--info); }
.toolbar { position: sticky; top: 0; z-index: 1; background: var(--bg); padding: 8px 0; border-bottom: 1px solid var(--line); display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.toolbar button { border: 1px solid var(--line); background: var(--card); border-radius: 14px; padding: 3px 11px; cursor: pointer; font: inherit; }
.toolbar button[aria-pressed="true"] { background: var(--fg); color: #fff; border-color: var(--fg); }
.toolbar button .n { font-weight: 600; margin-left: 4px; }
.toolbar .shown { color: var(--muted); margin-left: auto; }
.toolbar.nojs { display: none; }
.notice { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--warn); border-radius: 6px; padding: 8px 12px; margin: 10px 0; }
.notice.bad { border-left-color: var(--fail); }
.check { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--skip); border-radius: 6px; margin: 6px 0; padding: 7px 12px; }
.check > .head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.check .id { font-weight: 600; }
.check .title { flex: 1 1 300px; }
.check .level { color: var(--muted); font-size: 12px; }
.badge { display: inline-block; min-width: 86px; text-align: center; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; color: #fff; background: var(--skip); }
.note { color: var(--muted); margin: 3px 0 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; margin: 8px 0 2px; }
dt { font-weight: 600; color: var(--muted); }
dd { margin: 0; min-width: 0; overflow-wrap: anywhere; white-space: pre-wrap; }
details > summary { cursor: pointer; color: var(--info); }
.cmd { display: flex; gap: 8px; align-items: flex-start; }
.cmd pre { flex: 1; margin: 0; }
button.copy { border: 1px solid var(--line); background: var(--card); border-radius: 6px; padding: 4px 10px; cursor: pointer; font: inherit; }
.ef { font-size: 12px; color: var(--muted); border: 1px dashed var(--line); border-radius: 8px; padding: 0 6px; }
footer { color: var(--muted); font-size: 12px; padding: 20px; }
${['pass', 'fail', 'warn', 'info', 'skip', 'untestable', 'incomplete', 'harness-error']
  .map((s) => `.s-${s} { border-left-color: var(--${s}); } .s-${s} .badge { background: var(--${s}); }`)
  .join('\n')}
`;

/** Filter buttons (by status, "problems", "all") and copy buttons; nothing else runs. */
export const SCRIPT = `
(function () {
  var PROBLEMS = ['fail', 'warn', 'untestable', 'incomplete', 'harness-error'];
  var rows = Array.prototype.slice.call(document.querySelectorAll('.check'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('.group'));
  var buttons = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var shown = document.getElementById('shown');
  function matches(filter, status) {
    return filter === 'all' || (filter === 'problems' ? PROBLEMS.indexOf(status) >= 0 : status === filter);
  }
  function apply(filter) {
    var n = 0;
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-filter') === filter)); });
    rows.forEach(function (r) { r.hidden = !matches(filter, r.getAttribute('data-status')); if (!r.hidden) n++; });
    groups.forEach(function (g) { g.hidden = !g.querySelector('.check:not([hidden])'); });
    shown.textContent = n + ' of ' + rows.length + ' checks shown';
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { apply(b.getAttribute('data-filter')); }); });
  document.querySelector('.toolbar').classList.remove('nojs');
  apply('all');
  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } finally { document.body.removeChild(area); }
  }
  Array.prototype.forEach.call(document.querySelectorAll('button.copy'), function (b) {
    b.addEventListener('click', function () {
      var text = document.getElementById(b.getAttribute('data-copy')).textContent;
      var done = function () { b.textContent = 'Copied'; setTimeout(function () { b.textContent = 'Copy'; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
      } else { fallbackCopy(text); done(); }
    });
  });
})();
`;

function hash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** Nothing from the network, no plugin, no form; only the page's own style and script. */
export const CSP = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
