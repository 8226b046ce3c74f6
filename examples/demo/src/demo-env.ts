/**
 * The demo's defaults for Burnrate's own environment variables, set before `@burnrate/auto`
 * starts (main.ts imports this module first). Whatever the environment already sets wins; an
 * empty value turns a default off.
 *
 * The agent breaker in record mode: a `planner` run (POST /api/research) may make 5 model calls;
 * its 6th (the writer's) is only marked on its span, never refused, so the Agents dashboard's
 * breaker panels have something to show while the demo's spend stays what it is.
 */
process.env.BURNRATE_BREAKER_AGENTS ??= 'planner:maxCalls=5,mode=record';
