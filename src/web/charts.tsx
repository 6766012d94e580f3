// Charts rendered on the server as SVG: the cost cliff with echarts' server-side renderer (no
// script in the browser), the timeline per position as hand-written SVG. Each chart carries a
// German summary as its accessible name; the same numbers stand in a table beside it.
import type { SeriesOption } from 'echarts';
import { raw } from 'hono/html';
import { formatDate, formatWholeEuro } from './format.js';
import { programmeShortName } from './words.js';

/** One bar segment source: a programme's own share and continuation cost in one budget year. */
export interface CliffRow {
  year: number;
  programme: string;
  ownShareCents: number;
  continuationCents: number;
}

/** One colour family per programme: a dark shade for the own share, a light one for continuation. */
const PALETTE: ReadonlyArray<readonly [string, string]> = [
  ['#1f4e79', '#8fb4d9'],
  ['#2e6b30', '#9fcf91'],
  ['#7a3b8f', '#cfa6dd'],
  ['#8a4b08', '#e8b77f'],
];

/** The colours of a programme's two series, by its index among the programmes shown. */
export const programmeColours = (index: number) => PALETTE[index % PALETTE.length]!;

/** Totals per year (all programmes), in year order. */
export function totalsByYear(rows: readonly CliffRow[], years: readonly number[]): number[] {
  return years.map((y) => rows.filter((r) => r.year === y).reduce((sum, r) => sum + r.ownShareCents + r.continuationCents, 0));
}

/** The sentence that names the cliff: the year with the steepest rise, or the highest year. */
export function cliffSummary(years: readonly number[], totals: readonly number[]): string {
  if (years.length === 0) return 'Keine Eigenmittel in den gezeigten Haushaltsjahren.';
  let best = -1;
  let rise = 0;
  for (let i = 1; i < years.length; i++) {
    const delta = totals[i]! - totals[i - 1]!;
    if (delta > rise) {
      rise = delta;
      best = i;
    }
  }
  if (best > 0) {
    return `${years[best]} steigen die Eigenmittel von ${formatWholeEuro(totals[best - 1]!)} auf ${formatWholeEuro(totals[best]!)}.`;
  }
  const max = Math.max(...totals);
  return `Die Eigenmittel steigen in keinem der Jahre ${years[0]}–${years.at(-1)}; am höchsten sind sie mit ${formatWholeEuro(max)} ${years[totals.indexOf(max)]}.`;
}

/**
 * The cost cliff as an SVG string: stacked bars per budget year, for each programme "Eigenanteil
 * während der Förderung" and "Weiterführung aus Eigenmitteln"; with a scenario, a line "mit
 * Szenario" over the bars.
 */
export async function costCliffSvg(options: {
  years: readonly number[];
  programmes: readonly string[];
  rows: readonly CliffRow[];
  scenarioTotals?: readonly number[] | undefined;
  summary: string;
}): Promise<string> {
  // Loaded on first use: echarts is large, and the server should start quickly.
  const echarts = await import('echarts');
  const { years, programmes, rows, scenarioTotals, summary } = options;
  const value = (programme: string, year: number, key: 'ownShareCents' | 'continuationCents') =>
    Math.round((rows.find((r) => r.programme === programme && r.year === year)?.[key] ?? 0)) / 100;
  const series: SeriesOption[] = [];
  programmes.forEach((programme, i) => {
    const [dark, light] = programmeColours(i);
    series.push({
      type: 'bar',
      stack: 'kosten',
      name: `${programmeShortName(programme)}: Eigenanteil während der Förderung`,
      itemStyle: { color: dark },
      data: years.map((y) => value(programme, y, 'ownShareCents')),
    });
    series.push({
      type: 'bar',
      stack: 'kosten',
      name: `${programmeShortName(programme)}: Weiterführung aus Eigenmitteln`,
      itemStyle: { color: light, borderColor: dark, borderWidth: 1 },
      data: years.map((y) => value(programme, y, 'continuationCents')),
    });
  });
  if (scenarioTotals) {
    series.push({
      type: 'line',
      name: 'Summe mit Szenario',
      itemStyle: { color: '#b00020' },
      lineStyle: { width: 3, type: 'dashed' },
      symbol: 'diamond',
      symbolSize: 10,
      data: scenarioTotals.map((c) => Math.round(c) / 100),
    });
  }
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 880, height: 420 });
  try {
    chart.setOption({
      animation: false,
      aria: { enabled: true, description: summary },
      textStyle: { fontFamily: 'Fira Sans, sans-serif', color: '#171a2b' },
      legend: { type: 'plain', bottom: 0, left: 0, textStyle: { color: '#171a2b', fontSize: 12 } },
      grid: { left: 90, right: 16, top: 16, bottom: 40 + Math.ceil(series.length / 2) * 22, containLabel: false },
      xAxis: { type: 'category', data: years.map(String), axisLabel: { color: '#171a2b' } },
      yAxis: {
        type: 'value',
        axisLabel: { color: '#171a2b', formatter: (v: number) => `${new Intl.NumberFormat('de-DE').format(v)} €` },
      },
      series,
    });
    const svg = chart.renderToSVGString();
    // The server-side renderer has no DOM to put echarts' aria label on: name the SVG itself.
    return svg.replace('<svg ', `<svg role="img" aria-label="${escapeAttribute(summary)}" focusable="false" `);
  } finally {
    chart.dispose();
  }
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** A chart rendered by costCliffSvg inside a figure. */
export function CostCliffFigure({ svg }: { svg: string }) {
  return <figure class="vst-chart">{raw(svg)}</figure>;
}

/** One position's row on the timeline. All dates YYYY-MM-DD or null. */
export interface TimelineRow {
  label: string;
  fundedFrom: string | null;
  fundedUntil: string | null;
  contractUntil: string | null;
  inPost: boolean;
  continuationFrom: string | null;
  continuationUntil: string | null;
  budgetDeadline: string | null;
}

/**
 * The timeline: one bar per position over the years shown — funded period (filled), contract of
 * the person in post (outline), continuation (hatched), budget deadline (marker), a "Stand" line.
 */
export function Timeline({ rows, fromYear, toYear, today }: { rows: readonly TimelineRow[]; fromYear: number; toYear: number; today: string }) {
  const left = 260;
  const width = 880;
  const rowHeight = 30;
  const top = 28;
  const height = top + rows.length * rowHeight + 40;
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear + 1, 0, 1);
  const x = (date: string) => {
    const t = Date.parse(`${date}T00:00:00Z`);
    return left + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * (width - left - 8);
  };
  const windowStart = `${fromYear}-01-01`;
  const windowEnd = `${toYear}-12-31`;
  const years = Array.from({ length: toYear - fromYear + 1 }, (_, i) => fromYear + i);
  const summary =
    `Zeitleiste ${fromYear} bis ${toYear} für ${rows.length} ${rows.length === 1 ? 'Stelle' : 'Stellen'}: ` +
    'gefüllt die Förderung, umrandet der Vertrag der Person auf der Stelle, schraffiert die beschlossene Weiterführung, ' +
    `Rauten die Haushaltsfristen, die senkrechte Linie der Stand ${formatDate(today)}.`;
  return (
    <figure class="vst-timeline">
      <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={summary} focusable="false">
        <defs>
          <pattern id="vst-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#ffffff" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#2e6b30" stroke-width="3" />
          </pattern>
        </defs>
        {years.map((y) => (
          <g>
            <line x1={x(`${y}-01-01`)} x2={x(`${y}-01-01`)} y1={top - 6} y2={height - 34} stroke="#c8c8c8" />
            <text x={x(`${y}-01-01`) + 4} y={16} font-size="12" fill="#171a2b">
              {String(y)}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = top + i * rowHeight;
          const fundedFrom = r.fundedFrom && r.fundedFrom > windowStart ? r.fundedFrom : windowStart;
          return (
            <g>
              <text x={0} y={y + 18} font-size="12" fill="#171a2b">
                {r.label.length > 40 ? `${r.label.slice(0, 39)}…` : r.label}
              </text>
              {r.fundedUntil && r.fundedUntil >= windowStart ? (
                <rect x={x(fundedFrom)} y={y + 6} width={Math.max(1, x(r.fundedUntil) - x(fundedFrom))} height={16} fill="#1f4e79" />
              ) : null}
              {r.inPost ? (
                <rect
                  x={x(fundedFrom)}
                  y={y + 3}
                  width={Math.max(1, x(r.contractUntil ?? windowEnd) - x(fundedFrom))}
                  height={22}
                  fill="none"
                  stroke="#171a2b"
                  stroke-width="2"
                />
              ) : null}
              {r.continuationFrom ? (
                <rect
                  x={x(r.continuationFrom)}
                  y={y + 6}
                  width={Math.max(1, x(r.continuationUntil ?? windowEnd) - x(r.continuationFrom))}
                  height={16}
                  fill="url(#vst-hatch)"
                  stroke="#2e6b30"
                />
              ) : null}
              {r.budgetDeadline && r.budgetDeadline >= windowStart && r.budgetDeadline <= windowEnd ? (
                <path d={`M ${x(r.budgetDeadline)} ${y + 4} l 6 10 l -6 10 l -6 -10 z`} fill="#b00020" stroke="#ffffff" />
              ) : null}
            </g>
          );
        })}
        <line x1={x(today)} x2={x(today)} y1={top - 6} y2={height - 30} stroke="#b00020" stroke-width="2" stroke-dasharray="4 3" />
        <text x={x(today) + 4} y={height - 14} font-size="12" fill="#171a2b">
          {`Stand ${formatDate(today)}`}
        </text>
      </svg>
      <figcaption class="kern-body kern-body--small">
        Gefüllt: Förderung · umrandet: Vertrag der Person auf der Stelle · schraffiert: beschlossene Weiterführung · Raute:
        Haushaltsfrist · gestrichelte Linie: Stand.
      </figcaption>
    </figure>
  );
}
