// What Grafana's frontend makes of a panel's Prometheus answers, written down so a test can check
// what a user sees, not only that a query returns data. Ported from Grafana's sources:
// - the Prometheus data source (packages/grafana-prometheus/src/result_transformer.ts): every
//   series is one frame [Time, Value]; `format: table` frames are grouped per refId into one
//   frame [Time, <labels…>, Value] (`Value #<refId>` when the panel has several table queries);
// - transformations (packages/grafana-data/src/transformations/transformers): merge, organize,
//   sortBy, limit; any other id throws, so a new one must be modelled here first;
// - getFieldDisplayValues (packages/grafana-data/src/field/fieldDisplay.ts), the reduce step of
//   stat, gauge and bar gauge: without `reduceOptions.values` every numeric field of every frame
//   becomes one value per calculation; with it, one value per row.

export type Labels = Record<string, string>;
/** One series of a Prometheus answer: instant queries have one [seconds, value] pair. */
export type PromSeries = { labels: Labels; values: Array<[number, number]> };
export type Cell = number | string | null;
export type Field = {
  name: string;
  type: 'time' | 'number' | 'string';
  values: Cell[];
  labels?: Labels;
  /** Grafana's config.displayName / displayNameFromDS. */
  displayName?: string;
};
export type Frame = { refId: string; fields: Field[]; length: number };
export type TargetModel = {
  refId: string;
  format?: string;
  instant?: boolean;
  legendFormat?: string;
};
export type Transformation = { id: string; options?: Record<string, unknown> };
export type DisplayValue = { name: string; value: Cell };

/** Grafana's legend: `{{label}}` replaced, `__auto`/empty: the series' labels. */
export function legendName(legend: string | undefined, labels: Labels): string {
  const { __name__: metric = '', ...rest } = labels;
  if (!legend || legend === '__auto') {
    const inner = Object.entries(rest).map(([k, v]) => `${k}="${v}"`);
    return inner.length ? `${metric}{${inner.join(', ')}}` : metric || 'Value';
  }
  return legend.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, k: string) => labels[k] ?? '');
}

/** One frame per series (an empty answer: one frame without fields), as the data source gets them. */
function seriesFrames(t: TargetModel, series: readonly PromSeries[]): Frame[] {
  if (series.length === 0) return [{ refId: t.refId, fields: [], length: 0 }];
  return series.map((s) => ({
    refId: t.refId,
    length: s.values.length,
    fields: [
      { name: 'Time', type: 'time', values: s.values.map(([ts]) => ts * 1000) },
      {
        name: 'Value',
        type: 'number',
        values: s.values.map(([, v]) => v),
        labels: s.labels,
        displayName: legendName(t.legendFormat, s.labels),
      },
    ],
  }));
}

/** transformDFToTable: the table-format frames of each refId as one frame. */
function toTable(frames: Frame[]): Frame[] {
  if (frames.length === 0 || (frames.length === 1 && frames[0].length === 0)) return frames;
  const refIds = [...new Set(frames.map((f) => f.refId))];
  return refIds.map((refId) => {
    const mine = frames.filter((f) => f.refId === refId);
    const labelNames: string[] = [];
    for (const f of mine) {
      for (const l of Object.keys(f.fields[1]?.labels ?? {}).sort())
        if (!labelNames.includes(l)) labelNames.push(l);
    }
    const time: Field = { name: 'Time', type: 'time', values: [] };
    const value: Field = {
      name: refIds.length > 1 ? `Value #${refId}` : 'Value',
      type: 'number',
      values: [],
    };
    const labelFields: Field[] = labelNames.map((name) => ({ name, type: 'string', values: [] }));
    for (const f of mine) {
      time.values.push(...(f.fields[0]?.values ?? []));
      for (const v of f.fields[1]?.values ?? []) {
        value.values.push(v);
        for (const lf of labelFields) lf.values.push(f.fields[1].labels?.[lf.name] ?? '');
      }
    }
    return { refId, fields: [time, ...labelFields, value], length: time.values.length };
  });
}

/** The frames a panel receives for its targets' answers (by refId). */
export function panelFrames(
  targets: readonly TargetModel[],
  answers: Readonly<Record<string, readonly PromSeries[]>>,
): Frame[] {
  const table = targets.filter((t) => t.format === 'table');
  const other = targets.filter((t) => t.format !== 'table');
  return [
    ...other.flatMap((t) => seriesFrames(t, answers[t.refId] ?? [])),
    ...toTable(table.flatMap((t) => seriesFrames(t, answers[t.refId] ?? []))),
  ];
}

export const displayName = (f: Field): string => f.displayName ?? f.name;

function rows(frame: Frame): Array<Record<string, Cell>> {
  return Array.from({ length: frame.length }, (_, i) =>
    Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i] ?? null])),
  );
}

/** The merge transformation: joins rows on the fields every frame has (Time and shared labels). */
function merge(frames: Frame[]): Frame[] {
  const data = frames.filter((f) => f.fields.length > 0);
  if (frames.length <= 1) return frames;
  if (data.length === 0) return [frames[0]];
  const fields: Field[] = [];
  for (const f of data)
    for (const field of f.fields)
      if (!fields.some((x) => x.name === field.name))
        fields.push({ name: field.name, type: field.type, values: [] });
  const keys = fields
    .map((f) => f.name)
    .filter((n) => data.every((d) => d.fields.some((f) => f.name === n)));
  if (keys.length === 0) return frames;
  const byKey = new Map<string, Array<Record<string, Cell>>>();
  const order: Array<[string, number]> = [];
  for (const f of data) {
    for (const row of rows(f)) {
      const key = keys.map((k) => String(row[k])).join('\u0000');
      const existing = byKey.get(key);
      if (!existing) {
        byKey.set(key, [row]);
        order.push([key, 0]);
        continue;
      }
      const mergeable = (e: Record<string, Cell>): boolean =>
        Object.keys(row).every((p) => e[p] === undefined || e[p] === null || e[p] === row[p]);
      let merged = false;
      for (let i = 0; i < existing.length; i++) {
        if (!mergeable(existing[i])) continue;
        existing[i] = { ...existing[i], ...row };
        merged = true;
      }
      if (!merged) {
        existing.push(row);
        order.push([key, existing.length - 1]);
      }
    }
  }
  const out = order.map(([k, i]) => byKey.get(k)?.[i] ?? {});
  for (const f of fields) f.values = out.map((r) => r[f.name] ?? null);
  return [{ refId: data[0].refId, fields, length: out.length }];
}

function organize(frames: Frame[], options: Record<string, unknown>): Frame[] {
  const exclude = (options.excludeByName ?? {}) as Record<string, boolean>;
  const rename = (options.renameByName ?? {}) as Record<string, string>;
  return frames.map((f) => ({
    ...f,
    fields: f.fields
      .filter((x) => !exclude[displayName(x)])
      .map((x) => (rename[displayName(x)] ? { ...x, displayName: rename[displayName(x)] } : x)),
  }));
}

function sortBy(frames: Frame[], options: Record<string, unknown>): Frame[] {
  const [s] = (options.sort ?? []) as Array<{ field: string; desc?: boolean }>;
  if (!s) return frames;
  return frames.map((f) => {
    const by = f.fields.find((x) => displayName(x) === s.field);
    if (!by) return f;
    const index = [...Array(f.length).keys()].sort((a, b) => {
      const [x, y] = [by.values[a], by.values[b]];
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (s.desc ? -1 : 1);
    });
    return { ...f, fields: f.fields.map((x) => ({ ...x, values: index.map((i) => x.values[i]) })) };
  });
}

function limit(frames: Frame[], options: Record<string, unknown>): Frame[] {
  const n = Number(options.limitField ?? 10) || 10;
  return frames.map((f) =>
    f.length <= n
      ? f
      : { ...f, length: n, fields: f.fields.map((x) => ({ ...x, values: x.values.slice(0, n) })) },
  );
}

export function transform(frames: Frame[], transformations: readonly Transformation[]): Frame[] {
  return transformations.reduce((data, t) => {
    const o = t.options ?? {};
    if (t.id === 'merge') return merge(data);
    if (t.id === 'organize') return organize(data, o);
    if (t.id === 'sortBy') return sortBy(data, o);
    if (t.id === 'limit') return limit(data, o);
    throw new Error(`transformation ${t.id} is not modelled (dashboards/src/grafana-model.ts)`);
  }, frames);
}

const reducers: Record<string, (v: number[]) => number | null> = {
  lastNotNull: (v) => v.at(-1) ?? null,
  last: (v) => v.at(-1) ?? null,
  firstNotNull: (v) => v[0] ?? null,
  first: (v) => v[0] ?? null,
  mean: (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null),
  sum: (v) => v.reduce((a, b) => a + b, 0),
  max: (v) => (v.length ? Math.max(...v) : null),
  min: (v) => (v.length ? Math.min(...v) : null),
  count: (v) => v.length,
};

export type ReduceOptions = { values?: boolean; calcs?: string[]; limit?: number };

/** getFieldDisplayValues: the values a stat, gauge or bar gauge draws (one per bar / number). */
export function reduceToDisplay(frames: readonly Frame[], o: ReduceOptions): DisplayValue[] {
  const calcs = o.calcs?.length ? o.calcs : ['last'];
  const out: DisplayValue[] = [];
  for (const frame of frames) {
    for (const field of frame.fields.filter((f) => f.type === 'number')) {
      if (o.values) {
        for (const v of field.values.slice(0, (o.limit ?? 5000) - out.length))
          out.push({ name: displayName(field), value: v });
        continue;
      }
      const present = field.values.filter(
        (v): v is number => typeof v === 'number' && !Number.isNaN(v),
      );
      for (const calc of calcs) {
        const fn = reducers[calc];
        if (!fn) throw new Error(`calculation ${calc} is not modelled`);
        out.push({ name: displayName(field), value: fn(present) });
      }
    }
  }
  return out;
}

/** What a table panel shows: the rows of its first frame (Grafana offers the others in a menu). */
export function tableRows(frames: readonly Frame[]): Array<Record<string, Cell>> {
  const [first] = frames.filter((f) => f.fields.length > 0);
  if (!first) return [];
  return Array.from({ length: first.length }, (_, i) =>
    Object.fromEntries(first.fields.map((f) => [displayName(f), f.values[i] ?? null])),
  );
}
