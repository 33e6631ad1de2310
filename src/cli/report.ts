/**
 * Renders Vega-Lite specs to SVG with `vega` and `vega-lite` and assembles one self-contained
 * HTML report (no network needed to open it). Node-only: used by the `n1kit` command.
 */
import { N1kitError } from '../errors.js';
import type { VegaLiteSpec } from '../plot/plots.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
type ChartEngineLoader = () => Promise<readonly [unknown, unknown]>;
const importEngines: ChartEngineLoader = () => Promise.all([import('vega'), import('vega-lite')]);
let loader: ChartEngineLoader = importEngines;
let engines: Promise<{ vega: Vega; vl: VegaLite }> | undefined;

/** Replaces how `vega` and `vega-lite` are imported (tests simulate a missing peer); no argument restores it. @internal */
export function setChartEngineLoader(l?: ChartEngineLoader): void {
  loader = l ?? importEngines;
  engines = undefined;
}

/** True for Node's "cannot find module/package" errors (ESM and CommonJS). */
function isModuleNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * Loads the chart engine on first use: `vega` and `vega-lite` are optional peer dependencies
 * (only rendering SVG needs them; the Vega-Lite specs of `n1kit` are plain JSON). When they
 * cannot be loaded it throws an `E_DEPENDENCY` error with the install command (the command
 * exits with code 7), not an internal error.
 */
export function loadChartEngine(): Promise<{ vega: Vega; vl: VegaLite }> {
  engines ??= loader().then(
    ([vega, vl]) => ({ vega: vega as Vega, vl: vl as VegaLite }),
    (cause: unknown) => {
      engines = undefined;
      const why = isModuleNotFound(cause) ? 'are not installed' : `could not be loaded (${cause instanceof Error ? cause.message : String(cause)})`;
      throw new N1kitError('E_DEPENDENCY', `rendering charts needs the optional peers vega and vega-lite, which ${why}: npm install vega@5 vega-lite@5`, {
        fn: 'renderReport',
        field: 'vega',
        cause,
      });
    },
  );
  return engines;
}

/** Renders one Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega, vl } = await loadChartEngine();
  const compiled = vl.compile(spec as unknown as import('vega-lite').TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One section of a report: a heading, optional text (HTML-escaped), optional chart. */
export interface ReportSection {
  readonly heading: string;
  readonly text?: readonly string[];
  readonly spec?: VegaLiteSpec;
  readonly table?: { readonly header: readonly string[]; readonly rows: readonly (readonly (string | number)[])[] };
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Builds the report: every chart inlined as SVG, styles inlined, no script, no external URL. */
export async function renderReport(title: string, sections: readonly ReportSection[]): Promise<{ html: string; svgs: Record<string, string> }> {
  const parts: string[] = [];
  const svgs: Record<string, string> = {};
  for (const [i, s] of sections.entries()) {
    parts.push(`<section><h2>${escapeHtml(s.heading)}</h2>`);
    for (const t of s.text ?? []) parts.push(`<p>${escapeHtml(t)}</p>`);
    if (s.table) {
      parts.push('<table><thead><tr>');
      for (const h of s.table.header) parts.push(`<th>${escapeHtml(h)}</th>`);
      parts.push('</tr></thead><tbody>');
      for (const r of s.table.rows) {
        parts.push(`<tr>${r.map((c) => `<td>${escapeHtml(typeof c === 'number' ? (Number.isInteger(c) ? String(c) : c.toFixed(3)) : c)}</td>`).join('')}</tr>`);
      }
      parts.push('</tbody></table>');
    }
    if (s.spec) {
      const svg = await renderSvg(s.spec);
      svgs[`chart-${i + 1}`] = svg;
      parts.push(`<figure class="chart" id="chart-${i + 1}">${svg}</figure>`);
    }
    parts.push('</section>');
  }
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border-bottom:1px solid #eee;padding:.25rem .6rem;text-align:right}
td:first-child,th:first-child{text-align:left}figure.chart{margin:1rem 0}footer{margin-top:3rem;color:#777;font-size:.85rem}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
${parts.join('\n')}
<footer>Made by n1kit. Every chart is inline SVG; this file needs no network.</footer>
</body></html>
`;
  return { html, svgs };
}
