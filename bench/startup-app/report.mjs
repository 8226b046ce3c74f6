// Imported first: at exit, prints the process's CPU time and its wall time since it started.
import { performance } from 'node:perf_hooks';

process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(
    `\nstartup-report ${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() })}\n`,
  );
});
