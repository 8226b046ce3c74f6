// The Helm chart's value sets against what runs them: the budget evaluator's own flag parser and
// budgets check, and the Collector (`otelcol-burnrate validate`) with the rendered configs and
// environment; the gateways run the repository's collector/*.yaml byte for byte.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseServeArgs } from '../packages/budget-evaluator/src/cli-args.ts';
import { run } from './harness/run.ts';
import { repoRoot, tools } from './harness/tools.ts';
import {
  envOf,
  extensionsOf,
  find,
  type K8s,
  NAMESPACE,
  type Obj,
  podSpec,
  readValues,
  render,
  source,
  valueSets,
  workload,
} from './helm-chart-support.ts';

const rendered = new Map<string, K8s[]>();
const work = mkdtempSync(join(tmpdir(), 'helm-chart-runtime-'));

beforeAll(async () => {
  for (const set of valueSets) rendered.set(set, (await render(set)).objects);
}, 120_000);

describe.each(valueSets)('value set ci/%s', (set) => {
  const objects = (): K8s[] => rendered.get(set)!;
  const values = readValues(set);

  test('the budget evaluator: 2 replicas on 0.0.0.0, flags it accepts, a PDB, budgets it accepts', async () => {
    const deploy = find(objects(), 'Deployment', 'burnrate-budget-evaluator');
    expect(deploy.spec!.replicas).toBe(2);
    expect(
      find(objects(), 'PodDisruptionBudget', 'burnrate-budget-evaluator').spec!.minAvailable,
    ).toBe(1);
    // The evaluator's own parser reads the rendered flags and environment.
    const [c] = podSpec(deploy).containers;
    const serve = parseServeArgs(c.args!, Object.fromEntries(envOf(c)));
    expect(serve.host).toBe('0.0.0.0');
    expect(serve.port).toBe(9464);
    expect(serve.config).toBe('/etc/burnrate/budgets/budgets.yaml');
    expect(serve.alertmanagers).toEqual(values.evaluator.alertmanagerUrls);
    expect(serve.http.allowedHosts).toContain(`burnrate-budget-evaluator.${NAMESPACE}.svc`);
    const mounts = (c.volumeMounts ?? []).map((m) => m.mountPath);
    const files = [serve.http.access?.readTokenFile, serve.prometheusConnection.bearerTokenFile];
    for (const f of files.filter((x) => x !== undefined)) {
      expect(mounts.some((m) => f!.startsWith(`${m}/`))).toBe(true);
    }
    const budgets = join(work, `${set}.budgets.yaml`);
    writeFileSync(budgets, find(objects(), 'ConfigMap', 'burnrate-budgets').data!['budgets.yaml']);
    const check = await run(process.execPath, [
      '--conditions=@burnrate/source',
      join(repoRoot, 'packages/budget-evaluator/src/cli.ts'),
      'check',
      budgets,
    ]);
    expect(check.stderr + check.stdout).not.toMatch(/error/i);
    expect(check.code).toBe(0);
  });

  test('gateways run collector/otelcol.yaml + overlays, byte for byte, one collector_instance each', () => {
    const want = ['otelcol.yaml', 'gateway.yaml'];
    if (values.gateway?.auth?.enabled) want.push('gateway-auth.yaml');
    if (values.gateway?.remoteWrite?.enabled) want.push('remote-write.yaml');
    const config = find(objects(), 'ConfigMap', 'burnrate-gateway').data!;
    expect(Object.keys(config).sort()).toEqual([...want].sort());
    for (const f of want) expect(config[f]).toBe(source(`collector/${f}`));
    const gw = workload(objects(), 'burnrate-gateway');
    expect(gw.kind).toBe(values.gateway?.persistence?.enabled ? 'StatefulSet' : 'Deployment');
    const [c] = podSpec(gw).containers;
    expect(c.args!.slice(0, -1)).toEqual(want.map((f) => `--config=/etc/burnrate/config/${f}`));
    expect(c.args!.at(-1)).toMatch(/^--set=service::extensions=\[/);
    expect(envOf(c).get('BURNRATE_COLLECTOR_INSTANCE')).toBe('fieldRef:metadata.name');
    expect(gw.spec!.replicas).toBeGreaterThanOrEqual(2);
    // The agents resolve the headless Service: one address per gateway, round robin.
    const agent = podSpec(find(objects(), 'DaemonSet', 'burnrate-agent')).containers[0];
    expect(envOf(agent).get('BURNRATE_GATEWAY_ENDPOINT')).toBe(
      `dns:///burnrate-gateway-headless.${NAMESPACE}.svc:4317`,
    );
    const headless = find(objects(), 'Service', 'burnrate-gateway-headless').spec!;
    expect(headless.clusterIP).toBe('None');
    expect(headless.selector).toEqual((gw.spec!.selector as { matchLabels: Obj }).matchLabels);
    expect(find(objects(), 'ConfigMap', 'burnrate-agent').data!['agent.yaml']).toBe(
      source('collector/agent.yaml'),
    );
  });

  test('the Collector accepts the rendered configs with the rendered environment', async () => {
    // The ConfigMap of each is named like it.
    for (const name of ['burnrate-gateway', 'burnrate-agent']) {
      const pod = podSpec(workload(objects(), name));
      const root = join(work, set, name);
      const local = (p: string): string => join(root, p);
      mkdirSync(local('/etc/burnrate/config'), { recursive: true });
      for (const [file, text] of Object.entries(find(objects(), 'ConfigMap', name).data!)) {
        writeFileSync(local(`/etc/burnrate/config/${file}`), text);
      }
      const env: Record<string, string> = {};
      for (const [k, v] of envOf(pod.containers[0])) {
        env[k] = v.startsWith('fieldRef:')
          ? 'pod-0'
          : v.replace(/(\/(etc|var)\/[^\s,}]+)/g, (p) => local(p));
        // Mounted Secrets (tokens, certificates): a file must be there, as in the pod.
        if (/_FILE$/.test(k)) {
          mkdirSync(dirname(env[k]), { recursive: true });
          writeFileSync(env[k], 'secret-value\n');
        }
      }
      const args = pod.containers[0].args!.map((a) => a.replace('=/etc/', `=${local('/etc/')}`));
      expect(args.filter((a) => a.startsWith('--config=')).length).toBeGreaterThan(0);
      const out = await run(tools.otelcol(), ['validate', ...args], { env });
      expect({ name, code: out.code, stderr: out.stderr }).toEqual({
        name,
        code: 0,
        stderr: '',
      });
      // `validate` does not resolve extensions; starting does. Every authenticator and queue
      // storage of a component in a pipeline must be a started extension.
      const { started, needed, storageDirs } = extensionsOf(args, env);
      // The agent's queue is on disk (file_storage): always one to check there.
      if (name === 'burnrate-agent') expect(needed).toContain('file_storage/queue');
      expect({ name, missing: needed.filter((n) => !started.includes(n)) }).toEqual({
        name,
        missing: [],
      });
      // The root file system is read-only: every queue directory is on a writable volume.
      const writable = (pod.containers[0].volumeMounts ?? []).filter((m) => !m.readOnly);
      for (const dir of storageDirs.map((d) => (d.startsWith(root) ? d.slice(root.length) : d))) {
        expect({
          name,
          dir,
          onVolume: writable.some((m) => `${dir}/`.startsWith(`${m.mountPath}/`)),
        }).toEqual({ name, dir, onVolume: true });
      }
    }
  });
});
