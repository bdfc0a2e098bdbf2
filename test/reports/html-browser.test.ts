// The HTML report as a person sees it: the CLI runs against broken reference servers with
// --html, and a real headless Chromium (Debian package `chromium`, driven by puppeteer-core)
// opens the file. Counts, a failure's fields, the filter, the copy buttons and a property
// counterexample are checked on the rendered page; every request the page makes is intercepted
// (there must be none), and screenshots go to out/html-report/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toHtml } from '../../reports/html.js';
import { brokenServer, ROOT, runCli, type CliRun } from '../conformance/run-cli.js';
import { check, run } from './factory.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'out/html-report');

interface Opened {
  page: Page;
  /** Every request other than the report file itself (each was aborted). */
  requests: string[];
  /** Console errors (a Content-Security-Policy violation is one) and uncaught page errors. */
  errors: string[];
}

let browser: Browser;
let scripted: CliRun;
let property: CliRun;
let rotating: CliRun;
const opened: Opened[] = [];

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  const url = pathToFileURL(file).href;
  const result: Opened = { page, requests: [], errors: [] };
  // The clipboard of a headless browser cannot be read back: record what the page hands to it.
  await page.evaluateOnNewDocument(() => {
    const record = (text: string) => {
      (window as any).copied = text;
      return Promise.resolve();
    };
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: record } });
  });
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) return void request.continue();
    result.requests.push(request.url());
    void request.abort();
  });
  page.on('console', (m) => void (m.type() === 'error' && result.errors.push(m.text())));
  page.on('pageerror', (e) => void result.errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  opened.push(result);
  return result;
}

async function text(handle: ElementHandle | Page, selector: string): Promise<string> {
  const el = await handle.$(selector);
  expect(el, `no element ${selector}`).not.toBeNull();
  return el!.evaluate((e) => (e as HTMLElement).innerText);
}

/** The <dd> next to the <dt> with this label in a check's explanation. */
async function field(article: ElementHandle, label: string): Promise<{ text: string; visible: boolean }> {
  return article.evaluate((a, label) => {
    const dt = Array.from(a.querySelectorAll(':scope > dl > dt')).find((d) => d.textContent === label);
    const dd = dt?.nextElementSibling as HTMLElement | undefined;
    return { text: dd?.innerText ?? '', visible: !!dd && dd.checkVisibility() };
  }, label);
}

/** Whether the element is rendered (closed <details> content and [hidden] rows are not). */
function shown(handle: ElementHandle): Promise<boolean> {
  return handle.evaluate((e) => e.checkVisibility());
}

async function visibleRows(page: Page): Promise<{ id: string; status: string }[]> {
  return page.$$eval('article.check', (rows) =>
    rows.filter((r) => r.checkVisibility()).map((r) => ({ id: r.getAttribute('data-id')!, status: r.getAttribute('data-status')! })),
  );
}

function report(server: string, draft?: string, extra: string[] = []): Promise<CliRun> {
  const dir = join(OUT, server);
  mkdirSync(dir, { recursive: true });
  const args = ['--server', brokenServer(server, draft), '--seed', '1', '-q', '--html', join(dir, 'report.html'), ...extra];
  return runCli(draft ? [...args, '--draft', draft] : args, { timeoutMs: 90_000 });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  [browser, scripted, property, rotating] = await Promise.all([
    puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless'] }),
    report('err-unknown-session-tool-error'),
    report('prop-forgetful-delete', '2026-02-27'),
    report('prop-id-rewrite'),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe.sequential('the HTML report in a real Chromium', () => {
  test('shows the verdict and counts that match the JSON report of the same run', async () => {
    expect(scripted.code, scripted.stderr).toBe(1);
    const { page } = await open(join(OUT, 'err-unknown-session-tool-error/report.html'));
    const summary = scripted.json.summary as Record<string, number>;
    expect(await text(page, '#verdict')).toBe('NOT CONFORMANT');
    const counts = await text(page, '#counts');
    expect(counts).toContain(`${summary.fail} failed`);
    expect(counts).toContain(`${summary.pass} passed`);
    for (const [status, n] of Object.entries(summary).filter(([, n]) => n > 0)) {
      expect(await text(page, `[data-filter="${status}"] .n`), status).toBe(String(n));
    }
    expect(await text(page, '#shown')).toBe(`${scripted.json.checks.length} of ${scripted.json.checks.length} checks shown`);
    expect(await visibleRows(page)).toHaveLength(scripted.json.checks.length);
  });

  test('a failure shows its message, expected, actual, fix, transcript and rerun command, as the JSON report has them', async () => {
    const { page } = opened[0]!;
    const failing = scripted.json.checks.filter((c: any) => c.status === 'fail');
    expect(failing.map((c: any) => c.id)).toEqual(['SESS-ERR-1']);
    const c = failing[0];
    const article = (await page.$('article[data-id="SESS-ERR-1"]'))!;
    for (const [label, value] of [['Message', c.message], ['Expected', c.expected], ['Actual', c.actual], ['Fix', c.fix]]) {
      expect(await field(article, label), label).toEqual({ text: value, visible: true });
    }
    // The excerpt is visible; the whole exchange opens on a click and holds every line.
    expect(c.transcript.length).toBeGreaterThan(8);
    const excerpt = await text(article, 'dd > pre');
    expect(excerpt.split('\n')[0]).toBe(`… ${c.transcript.length - 7} earlier lines in the whole exchange …`);
    expect(excerpt.split('\n').slice(1)).toEqual(c.transcript.slice(-7));
    const whole = (await article.$('details.exchange pre'))!;
    expect(await shown(whole)).toBe(false);
    await (await article.$('details.exchange summary'))!.click();
    expect(await shown(whole)).toBe(true);
    expect(await whole.evaluate((e) => (e as HTMLElement).innerText)).toBe(c.transcript.join('\n'));
    // Like every report, the page names the command that explains the check.
    expect(await field(article, 'Explain')).toEqual({ text: `npx mcp-session-conformance explain ${c.id}`, visible: true });
    // The rerun command sits beside a copy button that copies exactly it.
    expect((await field(article, 'Rerun')).text).toContain(c.rerun);
    const copy = (await article.$('dt:last-of-type + dd button.copy'))!;
    expect(await shown(copy)).toBe(true);
    const target = await copy.evaluate((b) => document.getElementById(b.getAttribute('data-copy')!)!.textContent);
    expect(target).toBe(c.rerun);
    await copy.click();
    await page.waitForFunction((b) => b.textContent === 'Copied', { timeout: 5000 }, copy);
    expect(await page.evaluate(() => (window as any).copied)).toBe(c.rerun);
    await page.screenshot({ path: join(OUT, 'err-unknown-session-tool-error/failure-open.png'), fullPage: true });
  });

  test('a status filter hides the other rows and sections; "all" shows them again', async () => {
    const { page } = opened[0]!;
    const total = scripted.json.checks.length;
    await page.click('[data-filter="fail"]');
    expect(await visibleRows(page)).toEqual([{ id: 'SESS-ERR-1', status: 'fail' }]);
    expect(await page.$eval('article[data-id="SESS-CREATE-1"]', (e) => e.checkVisibility())).toBe(false);
    expect(await page.$$eval('section.group', (s) => s.filter((g) => !(g as HTMLElement).hidden).map((g) => g.getAttribute('data-section')))).toEqual(['errors']);
    expect(await text(page, '#shown')).toBe(`1 of ${total} checks shown`);
    expect(await page.$eval('[data-filter="fail"]', (b) => b.getAttribute('aria-pressed'))).toBe('true');
    await page.screenshot({ path: join(OUT, 'err-unknown-session-tool-error/filter-fail.png'), fullPage: true });
    await page.click('[data-filter="skip"]');
    const skipped = scripted.json.checks.filter((c: any) => c.status === 'skip').map((c: any) => c.id).sort();
    expect((await visibleRows(page)).map((r) => r.id).sort()).toEqual(skipped);
    await page.click('[data-filter="all"]');
    expect(await visibleRows(page)).toHaveLength(total);
  });

  test('a property-based failure shows its seed, path, counterexample and a --replay command to copy', async () => {
    expect(property.code, property.stderr).toBe(1);
    const c = property.json.checks.find((x: any) => x.id === 'SESS-DELETE-2');
    expect(c.status).toBe('fail');
    const { page } = await open(join(OUT, 'prop-forgetful-delete/report.html'));
    const article = (await page.$('article[data-id="SESS-DELETE-2"]'))!;
    expect(await field(article, 'Seed')).toEqual({ text: String(c.details.seed), visible: true });
    expect(await field(article, 'Path')).toEqual({ text: c.details.path, visible: true });
    expect((await field(article, 'Counterexample')).text.split('\n')).toHaveLength(c.details.counterexample.length);
    const replay = await field(article, 'Replay');
    expect(replay.text).toContain(`${c.rerun} --replay ${c.details.replayArg}`);
    const buttons = await article.$$('button.copy');
    expect(buttons).toHaveLength(2);
    await buttons[0]!.click();
    expect(await page.evaluate(() => (window as any).copied)).toBe(`${c.rerun} --replay ${c.details.replayArg}`);
    await page.click('[data-filter="problems"]');
    await page.screenshot({ path: join(OUT, 'prop-forgetful-delete/problems.png'), fullPage: true });
  });

  test('when the excerpt leaves lines out, the whole exchange holds them: it starts earlier and ends the same', async () => {
    expect(rotating.code, rotating.stderr).toBe(1);
    const c = rotating.json.checks.find((x: any) => x.id === 'SESS-ID-4');
    expect(c.status).toBe('fail');
    const { page } = await open(join(OUT, 'prop-id-rewrite/report.html'));
    const article = (await page.$('article[data-id="SESS-ID-4"]'))!;
    await (await article.$('details.exchange summary'))!.click();
    const whole = (await article.$eval('details.exchange pre', (e) => (e as HTMLElement).innerText)).split('\n');
    expect(whole.length).toBeGreaterThan(c.transcript.length);
    // The JSON report's transcript is the tail of the exchange (its lines are short enough here to be kept whole in both).
    expect(c.transcript.every((l: string) => l.length < 600)).toBe(true);
    expect(whole.slice(-c.transcript.length)).toEqual(c.transcript);
  });

  test('hostile target text renders as inert text: no script runs, no element or request is injected', async () => {
    const hostile = '</script><script>window.pwned=1</script><img src="https://example.invalid/x.png" onerror="window.pwned=2">\u0000\u001b[31m';
    const file = join(OUT, 'hostile.html');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(file, toHtml(run([check({ id: 'A-1', status: 'fail', message: hostile, transcript: [`<<< ${hostile}`] })], { target: hostile })));
    const { page } = await open(file);
    expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
    expect(await page.$$('img, main script, header script')).toHaveLength(0);
    const article = (await page.$('article[data-id="A-1"]'))!;
    expect((await field(article, 'Message')).text).toBe(hostile.replace('\u0000', '\\u0000').replace('\u001b', '\\u001b'));
  });

  test('no page made a network request or hit its security policy', () => {
    expect(opened.length).toBeGreaterThanOrEqual(3);
    for (const o of opened) {
      expect(o.requests).toEqual([]);
      expect(o.errors).toEqual([]);
    }
  });
});
