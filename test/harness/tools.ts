import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/harness/tools.ts). */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** The Collector release the project builds and tests against (collector/builder-config.yaml). */
export const COLLECTOR_VERSION = '0.155.0';

/** The current releases docker-compose.yml runs (scripts/setup/prometheus-current.sh builds their tools). */
export const CURRENT_PROMETHEUS_VERSION = '3.16.0';
export const CURRENT_ALERTMANAGER_VERSION = '0.34.2';

const SETUP_HINT = 'run `npm run setup:tools` (scripts/setup-tools.sh) first';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds a tool: an explicit env var override, then the given candidates (absolute paths or
 * names looked up on PATH). Throws one clear error that names the setup command when missing.
 */
function findTool(what: string, envVar: string, candidates: string[]): string {
  const override = process.env[envVar];
  if (override) {
    if (isExecutable(override)) return override;
    throw new Error(`${envVar}=${override} is not an executable file (${what}); ${SETUP_HINT}`);
  }
  for (const c of candidates) {
    const found = c.includes('/') ? (isExecutable(c) ? c : undefined) : onPath(c);
    if (found) return found;
  }
  throw new Error(`${what} not found (looked for ${candidates.join(', ')}); ${SETUP_HINT}`);
}

export const tools = {
  otelcol: (): string =>
    findTool('the Burnrate OpenTelemetry Collector', 'BURNRATE_OTELCOL_BIN', [
      join(repoRoot, '.tools/otelcol', COLLECTOR_VERSION, 'otelcol-burnrate'),
    ]),
  prometheus: (): string => findTool('Prometheus', 'BURNRATE_PROMETHEUS_BIN', ['prometheus']),
  promtool: (): string => findTool('promtool', 'BURNRATE_PROMTOOL_BIN', ['promtool']),
  alertmanager: (): string =>
    findTool('Alertmanager', 'BURNRATE_ALERTMANAGER_BIN', [
      'alertmanager',
      'prometheus-alertmanager',
    ]),
  amtool: (): string => findTool('amtool', 'BURNRATE_AMTOOL_BIN', ['amtool']),
  /** promtool of the current Prometheus release (the docker compose image). */
  promtoolCurrent: (): string =>
    findTool(`promtool ${CURRENT_PROMETHEUS_VERSION}`, 'BURNRATE_PROMTOOL_CURRENT_BIN', [
      join(
        repoRoot,
        '.tools/prometheus-current',
        `prometheus-${CURRENT_PROMETHEUS_VERSION}`,
        'promtool',
      ),
    ]),
  /** amtool of the current Alertmanager release (the docker compose image). */
  amtoolCurrent: (): string =>
    findTool(`amtool ${CURRENT_ALERTMANAGER_VERSION}`, 'BURNRATE_AMTOOL_CURRENT_BIN', [
      join(
        repoRoot,
        '.tools/prometheus-current',
        `alertmanager-${CURRENT_ALERTMANAGER_VERSION}`,
        'amtool',
      ),
    ]),
  dockerCompose: (): string =>
    findTool('docker-compose', 'BURNRATE_DOCKER_COMPOSE_BIN', ['docker-compose']),
};
