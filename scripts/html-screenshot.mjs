// Regenerates docs/html-report.png, the README's picture of the HTML report: the CLI runs the
// broken server prop-id-rewrite with --html, headless Chromium opens the page, filters it to the
// problems and photographs the top. Needs `npm run build` and Chromium (CHROMIUM_PATH or
// /usr/bin/chromium).  Usage: node scripts/html-screenshot.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const html = join(mkdtempSync(join(tmpdir(), 'msc-shot-')), 'report.html');
const server = `node dist/reference-servers/broken/prop-id-rewrite.js`;
try {
  execFileSync(process.execPath, ['dist/cli/bin.js', '--server', server, '--seed', '1', '-q', '--html', html], { cwd: root, stdio: 'ignore' });
} catch (err) {
  if (err.status !== 1) throw err; // 1: not conformant, as intended
}
const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 1250 });
  await page.goto(pathToFileURL(html).href);
  await page.click('[data-filter="problems"]');
  await page.screenshot({ path: join(root, 'docs/html-report.png') });
} finally {
  await browser.close();
}
