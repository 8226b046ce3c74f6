import { safely, withFrameworkAgent } from '@burnrate/core';

/**
 * Mastra's tools. A `Tool`'s `execute` is bound in its constructor, and Mastra's loop calls the
 * tools it converted for the run (`Agent#convertTools`: the agent's own tools, toolsets, client,
 * memory, workspace, skill tools, sub-agents and workflows as tools) as `tool.execute(args,
 * options)`. The converted record is wrapped: each tool with an `execute` becomes a copy (as
 * Mastra's own tool hooks do) whose `execute` runs in `withFrameworkAgent({ tool: name })`, the
 * name the model calls it by. Mastra's objects are never changed; fails open.
 */
type Method = (this: unknown, ...args: never[]) => unknown;

interface ToolLike {
  execute?: unknown;
}

function isObject(v: unknown): v is Record<PropertyKey, unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return isObject(v) && typeof v.then === 'function';
}

/** One tool whose `execute` runs in the tool's scope (the same tool when it has none). */
export function scopedTool(name: string, tool: unknown): unknown {
  if (!isObject(tool) || typeof (tool as ToolLike).execute !== 'function') return tool;
  const execute = (tool as ToolLike).execute as Method;
  return {
    ...tool,
    execute(this: unknown, ...args: unknown[]): unknown {
      return withFrameworkAgent({ tool: name }, () => Reflect.apply(execute, this, args));
    },
  };
}

/** A copy of the record of tools, each in its own scope. */
export function scopedTools(tools: unknown): unknown {
  if (!isObject(tools) || Array.isArray(tools)) return tools;
  const out: Record<string, unknown> = {};
  for (const [name, tool] of Object.entries(tools)) out[name] = scopedTool(name, tool);
  return out;
}

/** Wraps `Agent#convertTools` (async): its tools, once resolved, are scoped. */
export function convertToolsScoped(original: Method, on: () => boolean): Method {
  return function (this: unknown, ...args: unknown[]): unknown {
    const result = Reflect.apply(original, this, args);
    if (!on() || !isThenable(result)) return result;
    return Promise.resolve(result).then(
      (tools) => safely('scoping Mastra tools', () => scopedTools(tools)) ?? tools,
    );
  };
}
