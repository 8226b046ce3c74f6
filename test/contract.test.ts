// docs/contract.md is checked both ways: every name the code, the Collector config, the rules, the
// evaluator and the dashboards use is listed there, and every name listed there is produced by
// something in the repository.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');

/** Section heading → names in backticks in the first cell of that section's table rows. */
function contractSections(): Map<string, Set<string>> {
  const sections = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const line of read('docs/contract.md').split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) {
      current = new Set();
      sections.set(heading[1], current);
      continue;
    }
    const row = /^\|([^|]*)\|/.exec(line);
    if (!row || !current || /^\|\s*-+/.test(line)) continue;
    for (const m of row[1].matchAll(/`([^`]+)`/g)) current.add(m[1]);
  }
  return sections;
}

function namesIn(sections: Map<string, Set<string>>, prefix: string): Set<string> {
  const out = new Set<string>();
  for (const [heading, names] of sections)
    if (heading.startsWith(prefix)) for (const n of names) out.add(n);
  return out;
}

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'test-support') walk(rel);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(rel);
    }
  };
  for (const pkg of readdirSync(path.join(root, 'packages'))) {
    if (pkg === 'test-utils') continue;
    try {
      walk(path.join('packages', pkg, 'src'));
    } catch {}
  }
  return out;
}

const sources = sourceFiles().map((f) => ({ file: f, text: read(f) }));

/** Attribute names the instrumentations write or read: quoted `burnrate.*` / `gen_ai.*` literals
 * and every semconv constant, minus context keys and symbols (not attributes). */
function codeAttributes(): Map<string, string> {
  const found = new Map<string, string>();
  const literal =
    /(Symbol\.for\(|createContextKey\()?['"`]((?:burnrate|gen_ai)\.[a-z0-9_.]*[a-z0-9_])['"`]/g;
  for (const { file, text } of sources) {
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of code.matchAll(literal)) if (!m[1]) found.set(m[2], file);
  }
  for (const m of read('packages/core/src/semconv.ts').matchAll(
    /export const ATTR_\w+ =\s*'([^']+)'/g,
  ))
    found.set(m[1], 'packages/core/src/semconv.ts');
  return found;
}

interface CollectorMetric {
  name: string;
  sum?: { monotonic?: boolean };
  attributes?: { key: string }[];
}
const collector = parse(read('collector/otelcol.yaml')) as {
  connectors: { burnrate_metrics: { metrics: CollectorMetric[] } };
};
const collectorText = read('collector/otelcol.yaml');
const collectorMetrics = collector.connectors.burnrate_metrics.metrics;
/** The span and resource attributes Burnrate's connector reads (its Go source names them). */
const connectorSource = read('collector/burnratemetricsconnector/attributes.go');
const promName = (m: CollectorMetric) =>
  m.name.replace(/\./g, '_') + (m.sum?.monotonic ? '_total' : '');

const ruleFiles = readdirSync(path.join(root, 'deploy/prometheus/rules')).map(
  (f) =>
    parse(read(`deploy/prometheus/rules/${f}`)) as {
      groups: { rules: { record?: string; alert?: string; expr: string }[] }[];
    },
);
const rules = ruleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules));

function dashboardExprs(): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'expr' || k === 'query') && typeof x === 'string') out.push(x);
        else visit(x);
      }
  };
  for (const f of readdirSync(path.join(root, 'dashboards')).filter((f) => f.endsWith('.json')))
    if (f !== 'package.json') visit(JSON.parse(read(`dashboards/${f}`)));
  return out;
}

/** OTLP metric names the process itself exports (core's cost meter: cumulative sums). */
const sdkMetrics = [
  ...read('packages/core/src/cost-meter.ts').matchAll(
    /'(burnrate\.[a-z_.]+)': new CumulativeSums\(\)/g,
  ),
].map((m) => m[1]);
const otlpMetricNames = new Set([...collectorMetrics.map((m) => m.name), ...sdkMetrics]);

const evaluatorSources = sources.filter((s) => s.file.startsWith('packages/budget-evaluator/'));
const evaluatorMetrics = new Set(
  evaluatorSources.flatMap(({ text }) =>
    [...text.matchAll(/(?:name: |this\.gauge\()\s*'(burnrate_[a-z_]+)'/g)].map((m) => m[1]),
  ),
);
const evaluatorAlerts = new Set(
  evaluatorSources.flatMap(({ text }) =>
    [...text.matchAll(/_ALERT\s*=\s*'(Burnrate\w+)'/g)].map((m) => m[1]),
  ),
);

/** Metric and recording-rule names a PromQL expression refers to. */
function referencedNames(expr: string): string[] {
  const names = expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return names
    .filter((n) => n.includes('burnrate') && n !== 'burnrate_source')
    .map((n) => n.replace(/_(bucket|count|sum)$/, ''))
    .filter((n) => n.includes(':') || n.startsWith('burnrate_'));
}

const contract = contractSections();
const listedAttributes = new Set([
  ...namesIn(contract, 'Span attributes'),
  ...namesIn(contract, 'Attributes read'),
  ...namesIn(contract, 'Resource attributes'),
]);
const listedLabels = namesIn(contract, 'Labels');
const listedMetrics = namesIn(contract, 'Metrics');
const listedRules = namesIn(contract, 'Recording rules');
const listedAlerts = namesIn(contract, 'Alerts');
const listedPorts = namesIn(contract, 'Ports');
const producedMetrics = new Set([
  ...collectorMetrics.map(promName),
  ...sdkMetrics.map((n) => `${n.replace(/\./g, '_')}_total`),
  ...evaluatorMetrics,
]);
const recordedRules = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
const expressions = [...rules.map((r) => r.expr), ...dashboardExprs()];

describe('docs/contract.md lists every name in use', () => {
  it('has every section the test reads', () => {
    for (const set of [listedAttributes, listedLabels, listedMetrics, listedRules, listedAlerts])
      expect(set.size).toBeGreaterThan(0);
  });

  it('every attribute the code writes or reads', () => {
    const missing = [...codeAttributes()].filter(
      ([n]) => !listedAttributes.has(n) && !otlpMetricNames.has(n),
    );
    expect(missing.map(([n, f]) => `${n} (${f})`)).toEqual([]);
  });

  it('every attribute the Collector reads', () => {
    const used = new Set([
      ...[...collectorText.matchAll(/(?:span|resource)\.attributes\["([^"]+)"\]/g)].map(
        (m) => m[1],
      ),
      // The connector's attribute table (attrKeys) and resource keys: `name: "key"` / `= "key"`.
      ...[...connectorSource.matchAll(/(?::|=)\s*"([a-z_]+(?:\.[a-z_]+)+)"/g)].map((m) => m[1]),
    ]);
    const attrs = [...used].filter((n) => n.includes('.') && n !== 'burnrate.none');
    expect(attrs.length).toBeGreaterThan(25);
    expect(attrs.filter((n) => !listedAttributes.has(n))).toEqual([]);
  });

  it('every metric and label the Collector makes', () => {
    expect(collectorMetrics.map(promName).filter((n) => !listedMetrics.has(n))).toEqual([]);
    const labels = new Set(collectorMetrics.flatMap((m) => (m.attributes ?? []).map((a) => a.key)));
    expect([...labels].filter((l) => !listedLabels.has(l))).toEqual([]);
  });

  it('every metric the process exports itself', () => {
    expect(sdkMetrics.length).toBeGreaterThan(4);
    const names = sdkMetrics.map((n) => `${n.replace(/\./g, '_')}_total`);
    expect(names.filter((n) => !listedMetrics.has(n))).toEqual([]);
  });

  it('every metric the evaluator serves, and its alerts', () => {
    expect([...evaluatorMetrics].filter((n) => !listedMetrics.has(n))).toEqual([]);
    expect([...evaluatorAlerts].filter((n) => !listedAlerts.has(n))).toEqual([]);
  });

  it('every recording rule, alert, and every metric the rules and dashboards query', () => {
    expect([...recordedRules].filter((n) => !listedRules.has(n))).toEqual([]);
    const alerts = rules.flatMap((r) => (r.alert ? [r.alert] : []));
    expect(alerts.filter((n) => !listedAlerts.has(n))).toEqual([]);
    const refs = new Set(expressions.flatMap(referencedNames));
    const unknown = [...refs].filter(
      (n) => !listedMetrics.has(n) && !listedRules.has(n) && !n.endsWith('_'),
    );
    expect(unknown).toEqual([]);
  });

  it('every default port of the Collector config', () => {
    const ports = [
      ...collectorText.matchAll(/(?:ENDPOINT|PORT):-(?:(?:127\.0\.0\.1|0\.0\.0\.0):)?(\d{4,5})\}/g),
    ].map((m) => m[1]);
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.filter((p) => !listedPorts.has(p))).toEqual([]);
  });
});

describe('docs/contract.md lists nothing that nothing produces', () => {
  const everything = [
    ...sources.map((s) => s.text),
    collectorText,
    read('docker-compose.yml'),
    ...readdirSync(path.join(root, 'deploy/prometheus/rules')).map((f) =>
      read(`deploy/prometheus/rules/${f}`),
    ),
  ].join('\n');

  it('attributes', () => {
    const orphans = [...listedAttributes].filter(
      (n) => !everything.includes(`'${n}'`) && !everything.includes(`"${n}"`),
    );
    expect(orphans).toEqual([]);
  });

  it('metrics', () => {
    expect([...listedMetrics].filter((n) => !producedMetrics.has(n))).toEqual([]);
  });

  it('recording rules and alerts', () => {
    expect([...listedRules].filter((n) => !recordedRules.has(n))).toEqual([]);
    const alerts = new Set([...rules.flatMap((r) => r.alert ?? []), ...evaluatorAlerts]);
    expect([...listedAlerts].filter((n) => !alerts.has(n))).toEqual([]);
  });

  it('labels', () => {
    const meterText = read('packages/core/src/cost-meter.ts');
    // The tier and remote-write overlays add labels as the exporters' const / external labels.
    const overlayText = ['gateway.yaml', 'agent.yaml', 'remote-write.yaml']
      .map((f) => read(`collector/${f}`))
      .join('\n');
    const orphans = [...listedLabels].filter(
      (l) =>
        !new RegExp(`key: ${l}\\b|'${l}'|"${l}"`).test(collectorText) &&
        !new RegExp(`^\\s+${l}:`, 'm').test(overlayText) &&
        !new RegExp(`[{,]\\s*${l}[,:}\\s]`).test(meterText) &&
        !evaluatorSources.some((s) => s.text.includes(`'${l}'`) || s.text.includes(`"${l}"`)) &&
        // Prometheus' scrape renames a series' own job / instance (the exporting process).
        !['exported_job', 'exported_instance'].includes(l),
    );
    expect(orphans).toEqual([]);
  });

  it('ports', () => {
    const orphans = [...listedPorts].filter((p) => !new RegExp(`\\b${p}\\b`).test(everything));
    expect(orphans).toEqual([]);
  });
});
