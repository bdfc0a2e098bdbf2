// The report writers: pure functions of a RunResult, each returning a string (or the JSON object).
export { colorEnabled, formatConsoleReport, formatProgress, summaryLine, type ConsoleOptions } from './console.js';
export { formatMatrix, sectionCell, type MatrixCell } from './matrix.js';
export { formatJson, toJsonReport, type JsonCheck, type JsonReport, type JsonReportOptions } from './json.js';
export { toJUnit, type JUnitOptions } from './junit.js';
export { toMarkdown } from './markdown.js';
export { countStatuses, groupBySection, SECTION_ORDER, STATUSES } from './model.js';
export { toHtml, type HtmlOptions } from './html.js';
