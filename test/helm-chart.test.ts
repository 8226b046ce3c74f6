// The Helm chart (deploy/helm/burnrate) as a user installs it: every documented value set in
// ci/*.yaml passes `helm lint --strict`, renders, and every object it renders is valid for
// Kubernetes (and the prometheus-operator CRDs) by kubeconform -strict; what runs is what the
// repository ships (rules, dashboards; the Collector configs and what runs them:
// helm-chart-runtime.test.ts); every pod is locked down; bad values fail naming the value.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { chartCopies, chartCopyProblems, chartDir } from '../scripts/sync-chart-files.ts';
import { run } from './harness/run.ts';
import { repoRoot, tools } from './harness/tools.ts';
import {
  helmTemplate,
  helmTool,
  type K8s,
  k8sVersion,
  type Obj,
  podSpec,
  readValues,
  render,
  source,
  toolDir,
  valueSets,
  workload,
} from './helm-chart-support.ts';

const rendered = new Map<string, { text: string; objects: K8s[] }>();
const work = mkdtempSync(join(tmpdir(), 'helm-chart-'));

beforeAll(async () => {
  for (const set of valueSets) rendered.set(set, await render(set));
}, 120_000);

test('the chart carries exact copies of the configs, rules and dashboards it embeds', () => {
  const sources = chartCopies().map((c) => c.source);
  for (const must of ['collector/otelcol.yaml', 'collector/gateway.yaml', 'collector/agent.yaml']) {
    expect(sources).toContain(must);
  }
  expect(sources.filter((s) => s.startsWith('deploy/prometheus/rules/')).length).toBeGreaterThan(0);
  expect(sources.filter((s) => s.startsWith('dashboards/')).length).toBeGreaterThan(0);
  // A source changed without `node scripts/sync-chart-files.ts` fails here, naming the copy.
  expect(chartCopyProblems()).toEqual([]);
});

test('every value set in ci/ is described in the chart README', () => {
  const readme = readFileSync(join(chartDir, 'README.md'), 'utf8');
  expect(valueSets.length).toBeGreaterThanOrEqual(4);
  for (const set of valueSets) expect(readme).toContain(`| \`${set}\``);
});

test("the README's scrape jobs for Prometheus without the operator pass promtool", async () => {
  const readme = readFileSync(join(chartDir, 'README.md'), 'utf8');
  const block = /### Prometheus without the operator[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme);
  const config = parse(block![1]) as { scrape_configs: { job_name: string }[] };
  expect(config.scrape_configs.map((j) => j.job_name)).toEqual([
    'burnrate-collector',
    'burnrate-collector-telemetry',
    'burnrate-budget-evaluator',
  ]);
  const file = join(work, 'prometheus.yml');
  writeFileSync(file, block![1]);
  // The current release's promtool: Debian's Prometheus is built without Kubernetes discovery.
  const out = await run(tools.promtoolCurrent(), ['check', 'config', file]);
  expect(out.stdout + out.stderr).toContain('SUCCESS');
  expect(out.code).toBe(0);
});

describe.each(valueSets)('value set ci/%s', (set) => {
  const objects = (): K8s[] => rendered.get(set)!.objects;
  const values = readValues(set);
  test('helm lint --strict passes', async () => {
    const out = await run(helmTool('helm'), [
      'lint',
      '--strict',
      chartDir,
      '-f',
      join(chartDir, 'ci', set),
    ]);
    expect(out.stdout + out.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(out.code).toBe(0);
  });

  test(`every rendered object is valid Kubernetes ${k8sVersion} (kubeconform -strict)`, async () => {
    const file = join(work, `${set}.rendered.yaml`);
    writeFileSync(file, rendered.get(set)!.text);
    const out = await run(helmTool('kubeconform'), [
      '-strict',
      '-summary',
      '-output',
      'json',
      '-kubernetes-version',
      k8sVersion,
      '-schema-location',
      `${toolDir}/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
      file,
    ]);
    expect(out.stderr).toBe('');
    const { summary } = JSON.parse(out.stdout) as { summary: Record<string, number> };
    expect(summary).toEqual({ valid: objects().length, invalid: 0, errors: 0, skipped: 0 });
    expect(out.code).toBe(0);
  });

  test('every pod: non-root, read-only root fs, no capabilities, resource requests', () => {
    const workloads = objects().filter(
      (o) => (o.spec as { template?: unknown } | undefined)?.template,
    );
    expect(workloads.map((w) => w.kind).sort()).toContain('DaemonSet');
    for (const w of workloads) {
      const pod = podSpec(w);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(Object.keys(c.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(c.resources?.limits?.memory).toBeDefined();
      }
    }
  });

  test('every dashboard JSON is in a ConfigMap with the Grafana sidecar label', () => {
    const dashboards = readdirSync(join(repoRoot, 'dashboards')).filter(
      (f) => f.endsWith('.json') && f !== 'package.json',
    );
    const maps = objects().filter(
      (o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1',
    );
    const embedded = new Map(maps.flatMap((m) => Object.entries(m.data ?? {})));
    expect([...embedded.keys()].sort()).toEqual(dashboards.sort());
    for (const d of dashboards) expect(embedded.get(d)).toBe(source(`dashboards/${d}`));
    expect(maps.length).toBe(dashboards.length);
  });

  test('Prometheus: PrometheusRules equal deploy/prometheus/rules, scrape jobs the alerts name', () => {
    const rules = objects().filter((o) => o.kind === 'PrometheusRule');
    const monitors = objects().filter((o) => o.kind === 'ServiceMonitor');
    const ruleFiles = readdirSync(join(repoRoot, 'deploy/prometheus/rules')).filter((f) =>
      f.endsWith('.yml'),
    );
    if (!values.metrics?.prometheusRule?.enabled) expect(rules).toEqual([]);
    else {
      const groups = rules.flatMap((r) => (r.spec as { groups: unknown[] }).groups);
      const want = ruleFiles.flatMap(
        (f) => (parse(source(`deploy/prometheus/rules/${f}`)) as { groups: unknown[] }).groups,
      );
      expect(groups).toEqual(want);
    }
    if (!values.metrics?.serviceMonitor?.enabled) {
      expect(monitors).toEqual([]);
      const gw = workload(objects(), 'burnrate-gateway');
      const annotations = (gw.spec as { template: { metadata: { annotations: Obj } } }).template
        .metadata.annotations;
      expect(annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8889',
      });
      return;
    }
    // Each endpoint's job, and the port it names exists on a Service its selector matches.
    const jobs: string[] = [];
    for (const m of monitors) {
      const spec = m.spec as {
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; relabelings: { replacement: string }[] }[];
      };
      const services = objects().filter(
        (s) =>
          s.kind === 'Service' &&
          Object.entries(spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v),
      );
      for (const e of spec.endpoints) {
        jobs.push(e.relabelings[0].replacement);
        const ports = services.flatMap((s) =>
          (s.spec as { ports: { name: string }[] }).ports.map((p) => p.name),
        );
        expect(ports).toContain(e.port);
      }
    }
    expect([...new Set(jobs)].sort()).toEqual([
      'burnrate-budget-evaluator',
      'burnrate-collector',
      'burnrate-collector-telemetry',
    ]);
    for (const job of [
      'burnrate-budget-evaluator',
      'burnrate-collector',
      'burnrate-collector-telemetry',
    ]) {
      expect(ruleFiles.map((f) => source(`deploy/prometheus/rules/${f}`)).join('')).toContain(
        `job="${job}"`,
      );
    }
  });
});

describe('bad values fail `helm template` with a message naming the value', () => {
  const minimal = join(chartDir, 'ci/minimal-values.yaml');
  test.each([
    [
      'evaluator.replicas 0',
      ['-f', minimal, '--set', 'evaluator.replicas=0'],
      "at '/evaluator/replicas': minimum: got 0, want 1",
    ],
    ['no Collector image', [], "at '/collector/image/repository': minLength: got 0, want 1"],
    [
      'no Prometheus URL',
      ['-f', minimal, '--set', 'evaluator.prometheusUrl='],
      "at '/evaluator/prometheusUrl'",
    ],
    [
      'a misspelt value',
      ['-f', minimal, '--set', 'evaluator.replica=2'],
      "additional properties 'replica' not allowed",
    ],
    [
      'remote write without a URL',
      ['-f', minimal, '--set', 'gateway.remoteWrite.enabled=true'],
      "at '/gateway/remoteWrite/url'",
    ],
    [
      'auth without its Secrets',
      ['-f', minimal, '--set', 'gateway.auth.enabled=true'],
      "at '/gateway/auth/tlsSecret'",
    ],
  ])('%s', async (_, args, message) => {
    const out = await helmTemplate(args);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(message);
  });
});
