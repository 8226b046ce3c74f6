// deploy/grafana provisions the Burnrate data source and the bundled dashboards, and the
// docker compose service mounts exactly those files where the provider looks for them.
// (No Grafana server can be had on this machine: see dashboards/README.md.)
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, tools } from './harness/tools.ts';

const grafana = join(repoRoot, 'deploy/grafana');
const yaml = <T>(path: string): T => parse(readFileSync(join(grafana, path), 'utf8')) as T;
const dashboardFiles = readdirSync(join(repoRoot, 'dashboards'))
  .filter((f) => f.endsWith('.json') && f !== 'package.json')
  .sort();

/** Grafana's provisioning expansion: $VAR and ${VAR} from the environment, no defaults. */
function expandEnv(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => env[a ?? b] ?? '');
}

type ComposeService = { image: string; environment: Record<string, string>; volumes: string[] };

describe('deploy/grafana', () => {
  const compose = yaml<{ services: { grafana: ComposeService } }>('compose.grafana.yaml').services
    .grafana;
  const env = compose.environment;

  it('provisions one default Prometheus data source at BURNRATE_PROMETHEUS_URL', () => {
    const ds = yaml<{ apiVersion: number; datasources: Array<Record<string, unknown>> }>(
      'provisioning/datasources/burnrate.yaml',
    );
    expect(ds.apiVersion).toBe(1);
    expect(ds.datasources).toHaveLength(1);
    const [prom] = ds.datasources;
    expect(prom).toMatchObject({
      type: 'prometheus',
      uid: 'burnrate-prometheus',
      access: 'proxy',
      isDefault: true,
    });
    expect(expandEnv(String(prom.url), env)).toBe('http://prometheus:9090');
  });

  it('provisions the dashboards from a file provider that the UI cannot change', () => {
    const p = yaml<{
      apiVersion: number;
      providers: Array<{ type: string; allowUiUpdates: boolean; options: { path: string } }>;
    }>('provisioning/dashboards/burnrate.yaml');
    expect(p.apiVersion).toBe(1);
    expect(p.providers).toHaveLength(1);
    expect(p.providers[0]).toMatchObject({
      type: 'file',
      allowUiUpdates: false,
      folder: 'Burnrate',
    });
    expect(expandEnv(p.providers[0].options.path, env)).toBe(
      '/var/lib/grafana/dashboards/burnrate',
    );
  });

  it('mounts every bundled dashboard, and only those, into the provider folder', () => {
    const path = env.BURNRATE_DASHBOARDS_DIR;
    const mounted = compose.volumes
      .map((v) => v.split(':'))
      .filter(([, target]) => target.startsWith(`${path}/`))
      .map(([source, target]) => {
        expect(source).toBe(`./dashboards/${target.slice(path.length + 1)}`);
        return target.slice(path.length + 1);
      })
      .sort();
    expect(mounted).toEqual(dashboardFiles);
    for (const dir of ['datasources', 'dashboards']) {
      expect(compose.volumes).toContain(
        `./deploy/grafana/provisioning/${dir}:/etc/grafana/provisioning/${dir}:ro`,
      );
    }
  });

  it('is a compose file docker-compose accepts, with paths that exist', async () => {
    const { stdout } = await promisify(execFile)(
      tools.dockerCompose(),
      ['-f', join(grafana, 'compose.grafana.yaml'), '--project-directory', repoRoot, 'config'],
      { timeout: 60_000 },
    );
    const resolved = parse(stdout) as { services: { grafana: ComposeService } };
    for (const v of resolved.services.grafana.volumes) {
      const source = typeof v === 'string' ? v.split(':')[0] : (v as { source: string }).source;
      expect(existsSync(source), source).toBe(true);
    }
  });
});
