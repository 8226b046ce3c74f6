// Checks a dashboard's PromQL against the metric contract (contract.ts), with Prometheus's own
// PromQL grammar (@prometheus-io/lezer-promql): every metric a query names, every label it
// matches or groups by, and every value of a closed-set label must be in the contract.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { allContractLabels, isContractMetric, labelValues, metrics } from './contract.ts';

/** Grafana's global variables, replaced by sample values so the query parses as plain PromQL. */
const grafanaGlobals: Array<[RegExp, string]> = [
  [/\$__rate_interval\b/g, '1m'],
  [/\$__interval_ms\b/g, '60000'],
  [/\$__interval\b/g, '1m'],
  [/\$__range_s\b/g, '3600'],
  [/\$__range_ms\b/g, '3600000'],
  [/\$__range\b/g, '1h'],
];

export function withSampleGlobals(expr: string): string {
  return grafanaGlobals.reduce((e, [re, v]) => e.replace(re, v), expr);
}

type Matcher = { label: string; op: string; value: string };
type Selector = { metrics: string[]; matchers: Matcher[] };

function text(src: string, n: SyntaxNode): string {
  return src.slice(n.from, n.to);
}

function unquote(s: string): string {
  return s.length >= 2 ? s.slice(1, -1) : s;
}

function readSelector(src: string, node: SyntaxNode): Selector {
  const sel: Selector = { metrics: [], matchers: [] };
  const id = node.getChild('Identifier');
  if (id) sel.metrics.push(text(src, id));
  const list = node.getChild('LabelMatchers');
  for (const m of list?.getChildren('UnquotedLabelMatcher') ?? []) {
    const label = m.getChild('LabelName');
    const op = m.getChild('MatchOp');
    const value = m.getChild('StringLiteral');
    if (!label || !op || !value) continue;
    const matcher = {
      label: text(src, label),
      op: text(src, op),
      value: unquote(text(src, value)),
    };
    if (matcher.label === '__name__') sel.metrics.push(...matcher.value.split('|'));
    else sel.matchers.push(matcher);
  }
  return sel;
}

/** The contract problems of one PromQL expression (Grafana variables allowed); [] when clean. */
export function contractProblems(expr: string): string[] {
  const src = withSampleGlobals(expr);
  const problems: string[] = [];
  const selectors: Selector[] = [];
  const grouping: string[] = [];
  const cursor = parser.parse(src).cursor();
  do {
    const n = cursor.node;
    if (n.type.isError)
      problems.push(
        `does not parse at ${n.from}: ${JSON.stringify(src.slice(n.from, n.from + 20))}`,
      );
    else if (n.name === 'VectorSelector') selectors.push(readSelector(src, n));
    else if (n.name === 'GroupingLabels') {
      for (const l of n.getChildren('LabelName')) grouping.push(text(src, l));
    } else if (n.name === 'FunctionIdentifier' && /^label_(replace|join)$/.test(text(src, n))) {
      problems.push(`${text(src, n)} makes labels outside the contract`);
    }
  } while (cursor.next());

  const used = new Set<string>();
  for (const s of selectors) {
    if (s.metrics.length === 0) problems.push('a selector names no metric');
    const known = s.metrics.filter((name) => {
      if (isContractMetric(name)) return true;
      problems.push(`metric ${name} is not in the contract`);
      return false;
    });
    for (const name of known) used.add(name);
    for (const m of s.matchers) {
      const carriers = known.filter((name) => metrics[name].includes(m.label));
      if (carriers.length === 0) {
        problems.push(`label ${m.label} is not a label of ${s.metrics.join('|') || 'any metric'}`);
      }
      const allowed = labelValues[m.label];
      if (allowed && !m.value.startsWith('$')) {
        const values = m.op.includes('~') ? m.value.split('|') : [m.value];
        for (const v of values) {
          if (!allowed.includes(v))
            problems.push(`${m.label}="${v}" is not a value the contract defines`);
        }
      }
    }
  }
  const labelsInUse = used.size
    ? new Set([...used].flatMap((name) => metrics[name]))
    : allContractLabels();
  for (const l of grouping) {
    if (!labelsInUse.has(l))
      problems.push(`groups by ${l}, not a label of ${[...used].join(', ')}`);
  }
  return [...new Set(problems)];
}

/** Checks a Grafana Prometheus variable query, `label_values(<selector>, <label>)`. */
export function variableQueryProblems(query: string): string[] {
  const m = /^label_values\((.+),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(query.trim());
  if (!m)
    return [
      `unsupported variable query ${JSON.stringify(query)} (want label_values(selector, label))`,
    ];
  const [, selector, label] = m;
  const problems = contractProblems(selector);
  const names = [...selector.matchAll(/burnrate_[a-z_]+/g)].map((x) => x[0]);
  if (!names.some((name) => isContractMetric(name) && metrics[name].includes(label))) {
    problems.push(`label ${label} is not a label of ${names.join('|')}`);
  }
  return problems;
}
