import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot, run } from './harness/index.ts';

// The Go unit tests of our own Collector components, run from the project's one test command with
// the toolchain and module cache scripts/setup/collector.sh uses (.tools/go), so they need no
// network once the setup has run (it also fetches the modules only the components' tests use):
// - collector/labelcapprocessor: the per-service caps on agent, tool, tenant, endpoint and team;
// - collector/burnratemetricsconnector: spans to the burnrate_* metrics, run against
//   collector/otelcol.yaml's own burnrate_metrics section.

function goBinary(): string {
  for (const d of ['/usr/local/go/bin', ...(process.env.PATH ?? '').split(delimiter)]) {
    const candidate = join(d, 'go');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  throw new Error(
    'the Go toolchain is needed (see scripts/setup/collector.sh); run `npm run setup:tools` first',
  );
}

const env = {
  GOMODCACHE: join(repoRoot, '.tools/go/mod'),
  GOCACHE: join(repoRoot, '.tools/go/cache'),
  GOFLAGS: '-modcacherw',
};

test.for(['labelcapprocessor', 'burnratemetricsconnector'])(
  '%s: gofmt, go vet and go test -race pass',
  { timeout: 300_000 },
  async (module) => {
    const dir = join(repoRoot, 'collector', module);
    const go = goBinary();
    const fmt = await run(join(go, '../gofmt'), ['-l', '.'], { cwd: dir });
    expect(fmt.code).toBe(0);
    expect(fmt.stdout.trim(), 'files gofmt would change').toBe('');
    // Every module the component and its tests need, into the cache (a no-op once there:
    // scripts/setup/collector.sh fetches them on a fresh machine), so that vet's output below is
    // vet's alone: on a cache without the test-only modules, vet printed "go: downloading ...".
    const download = await run(go, ['mod', 'download'], { cwd: dir, env });
    expect(download.code, download.stderr).toBe(0);
    const vet = await run(go, ['vet', './...'], { cwd: dir, env });
    expect(vet.stderr + vet.stdout).toBe('');
    expect(vet.code).toBe(0);
    // -race checks the concurrency tests for data races (it needs cgo: gcc is on the machine).
    const tests = await run(go, ['test', '-race', '-count=1', './...'], {
      cwd: dir,
      env,
      timeoutMs: 280_000,
    });
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(new RegExp(`^ok\\s+\\S+${module}`, 'm'));
  },
);
