// The bar chart of a comparison's median times per target (chart.js on a canvas). The canvas is an
// image with a sentence saying what it shows; the result table is the accessible form of the same
// numbers. The two series differ by pattern (solid, striped) as well as colour, and by their legend.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type TooltipItem } from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';
import type { ComparisonSummary } from '../../../shared/compare-summary';
import { chartDescription, chartSeries } from './chart-data';
import { useColorSchemeVersion } from './use-color-scheme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** The resolved colour of a swatch element (the stylesheet's variables are light-dark() values a canvas cannot take). */
function colourOf(element: Element | null, fallback: string): string {
  return element ? getComputedStyle(element).color || fallback : fallback;
}

/** Diagonal stripes in `colour`: the second series is told apart without colour. */
function stripes(colour: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const context = tile.getContext('2d');
  if (!context) return colour;
  context.strokeStyle = colour;
  context.lineWidth = 2.5;
  context.beginPath();
  context.moveTo(-2, 10);
  context.lineTo(10, -2);
  context.stroke();
  return context.createPattern(tile, 'repeat') ?? colour;
}

export function CompareChart({ summary }: { summary: ComparisonSummary }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const swatchesRef = useRef<HTMLSpanElement>(null);
  const chartRef = useRef<Chart<'bar', Array<number | null>, string> | null>(null);
  const scheme = useColorSchemeVersion();
  const series = useMemo(() => chartSeries(summary), [summary]);
  const spreads = useRef(series);
  spreads.current = series;

  // One chart per colour scheme; destroyed on unmount (chart.js keeps listeners and a resize observer).
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const swatches = swatchesRef.current;
    const wallColour = colourOf(swatches?.querySelector('.compare-chart__wall') ?? null, '#1a5fd0');
    const firstColour = colourOf(swatches?.querySelector('.compare-chart__first') ?? null, '#8a5300');
    const text = colourOf(swatches?.querySelector('.compare-chart__text') ?? null, '#5a6170');
    const grid = colourOf(swatches?.querySelector('.compare-chart__grid') ?? null, '#d5d9e0');
    const chart = new Chart<'bar', Array<number | null>, string>(canvas, {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'Wall time, median (ms)', data: [], backgroundColor: wallColour, borderColor: wallColour, borderWidth: 1 },
          { label: 'First output, median (ms)', data: [], backgroundColor: stripes(firstColour), borderColor: firstColour, borderWidth: 2 },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        // Live updates would otherwise replay the animation every few hundred milliseconds.
        animation: false,
        color: text,
        scales: {
          x: { ticks: { color: text }, grid: { color: grid } },
          y: { beginAtZero: true, title: { display: true, text: 'milliseconds', color: text }, ticks: { color: text }, grid: { color: grid } },
        },
        plugins: {
          legend: { labels: { color: text } },
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<'bar'>) => {
                const spread = item.datasetIndex === 0 ? spreads.current.wallSpread : spreads.current.firstOutputSpread;
                return `${item.dataset.label ?? ''}: ${Math.round(item.parsed.y ?? 0)} ms (${spread[item.dataIndex] ?? ''})`;
              },
            },
          },
        },
      },
    });
    chartRef.current = chart;
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, [scheme]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.data.labels = series.labels;
    chart.data.datasets[0]!.data = series.wall;
    chart.data.datasets[1]!.data = series.firstOutput;
    chart.update();
  }, [series, scheme]);

  return (
    <figure className="compare-chart">
      <div className="compare-chart__box">
        <canvas ref={canvasRef} role="img" aria-label={chartDescription(summary)} data-testid="compare-chart" />
      </div>
      <figcaption className="field-note">Median of the repeats; hover a bar for its spread. The table below has every number.</figcaption>
      {/* Colour sources for the canvas, read from the stylesheet so both themes apply. */}
      <span ref={swatchesRef} aria-hidden="true" className="compare-chart__swatches">
        <span className="compare-chart__wall" />
        <span className="compare-chart__first" />
        <span className="compare-chart__text" />
        <span className="compare-chart__grid" />
      </span>
    </figure>
  );
}
