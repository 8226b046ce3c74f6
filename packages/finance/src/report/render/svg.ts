/** Hand-written SVG charts (no dependency): stacked horizontal bars and stacked columns. */

export interface Bar {
  label: string;
  /** One value per series, in money units (≥ 0). */
  values: number[];
}

export interface ChartSeries {
  name: string;
  color: string;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** 1, 2, 5 × 10^n steps giving about `count` ticks up to at least `max`. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = 0; t < max + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function legend(series: readonly ChartSeries[], x: number, y: number): string {
  return series
    .map(
      (s, i) =>
        `<g transform="translate(${x + i * 130},${y})"><rect width="12" height="12" rx="2" fill="${s.color}"/><text x="18" y="10" class="legend">${escapeXml(s.name)}</text></g>`,
    )
    .join('');
}

/** Stacked horizontal bars, one per item, largest first as given; `format` writes a value. */
export function horizontalBars(
  id: string,
  bars: readonly Bar[],
  series: readonly ChartSeries[],
  format: (units: number) => string,
  tick: (units: number) => string = format,
): string {
  const labelW = 200;
  const valueW = 90;
  const width = 760;
  const rowH = 24;
  const top = 28;
  const plotW = width - labelW - valueW;
  const height = top + bars.length * rowH + 24;
  const max = Math.max(0, ...bars.map((b) => b.values.reduce((a, v) => a + v, 0)));
  const ticks = niceTicks(max, 4);
  const scaleMax = ticks[ticks.length - 1] || 1;
  const sx = (v: number) => (v / scaleMax) * plotW;
  const grid = ticks
    .map(
      (t) =>
        `<line class="grid" x1="${labelW + sx(t)}" x2="${labelW + sx(t)}" y1="${top - 4}" y2="${height - 20}"/><text class="tick" x="${labelW + sx(t)}" y="${height - 6}" text-anchor="middle">${escapeXml(tick(t))}</text>`,
    )
    .join('');
  const rows = bars
    .map((b, i) => {
      const y = top + i * rowH;
      let x = labelW;
      const total = b.values.reduce((a, v) => a + v, 0);
      const segs = b.values
        .map((v, s) => {
          const w = sx(Math.max(0, v));
          const seg = `<rect class="seg" data-series="${escapeXml(series[s].name)}" data-units="${v}" x="${x.toFixed(2)}" y="${y + 3}" width="${w.toFixed(2)}" height="${rowH - 6}" fill="${series[s].color}"><title>${escapeXml(`${b.label} · ${series[s].name}: ${format(v)}`)}</title></rect>`;
          x += w;
          return seg;
        })
        .join('');
      const label = b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label;
      return `<g class="bar" data-label="${escapeXml(b.label)}" data-units="${total}"><text class="label" x="${labelW - 8}" y="${y + rowH / 2 + 4}" text-anchor="end">${escapeXml(label)}</text>${segs}<text class="value" x="${x + 6}" y="${y + rowH / 2 + 4}">${escapeXml(format(total))}</text></g>`;
    })
    .join('');
  return `<svg id="${id}" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">${legend(series, labelW, 6)}${grid}${rows}</svg>`;
}

/** Stacked columns over time (one per day), with a value axis. */
export function columns(
  id: string,
  bars: readonly Bar[],
  series: readonly ChartSeries[],
  format: (units: number) => string,
  tick: (units: number) => string = format,
): string {
  const width = 760;
  const height = 260;
  const left = 70;
  const top = 28;
  const bottom = 40;
  const plotW = width - left - 10;
  const plotH = height - top - bottom;
  const max = Math.max(0, ...bars.map((b) => b.values.reduce((a, v) => a + v, 0)));
  const ticks = niceTicks(max, 4);
  const scaleMax = ticks[ticks.length - 1] || 1;
  const sy = (v: number) => (v / scaleMax) * plotH;
  const slot = plotW / Math.max(1, bars.length);
  const colW = Math.max(1, slot * 0.75);
  const grid = ticks
    .map((t) => {
      const y = top + plotH - sy(t);
      return `<line class="grid" x1="${left}" x2="${width - 10}" y1="${y}" y2="${y}"/><text class="tick" x="${left - 6}" y="${y + 4}" text-anchor="end">${escapeXml(tick(t))}</text>`;
    })
    .join('');
  const every = Math.max(1, Math.ceil(bars.length / 12));
  const cols = bars
    .map((b, i) => {
      const x = left + i * slot + (slot - colW) / 2;
      let y = top + plotH;
      const total = b.values.reduce((a, v) => a + v, 0);
      const segs = b.values
        .map((v, s) => {
          const h = sy(Math.max(0, v));
          y -= h;
          return `<rect class="seg" data-series="${escapeXml(series[s].name)}" data-units="${v}" x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${colW.toFixed(2)}" height="${h.toFixed(2)}" fill="${series[s].color}"><title>${escapeXml(`${b.label} · ${series[s].name}: ${format(v)}`)}</title></rect>`;
        })
        .join('');
      const tick =
        i % every === 0
          ? `<text class="tick" x="${x + colW / 2}" y="${top + plotH + 16}" text-anchor="middle">${escapeXml(b.label.slice(5))}</text>`
          : '';
      return `<g class="bar" data-label="${escapeXml(b.label)}" data-units="${total}">${segs}${tick}</g>`;
    })
    .join('');
  return `<svg id="${id}" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">${legend(series, left, 6)}${grid}${cols}</svg>`;
}
