import type { Line, Tolerance } from './reconcile.ts';
import { KINDS, type Kind, sumKinds } from './types.ts';

const KIND_NAMES: Record<Kind, string> = {
  input: 'input',
  output: 'output',
  cacheRead: 'cache read',
  cacheWrite: 'cache write',
};

const usd = (x: number) => `$${x.toFixed(x !== 0 && Math.abs(x) < 0.01 ? 4 : 2)}`;
const perMtok = (x: number) => `$${x.toFixed(x < 1 ? 4 : 2)}/Mtok`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "project proj_shop, key key_search": where the export saw the usage, to find its service. */
function seenAt(l: Line): string {
  const parts = [
    ...[...l.export.projects].sort().map((p) => `project ${p}`),
    ...[...l.export.keys].sort().map((k) => `key ${k}`),
  ];
  return parts.length === 0 ? '' : ` (${l.provider} saw it under ${parts.join(', ')})`;
}

function nextDay(day: string, delta: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + delta * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Unit prices the ledger applied vs the ones the provider's dollars and tokens imply. */
function priceChanges(l: Line): string[] {
  const out: string[] = [];
  const tokens = l.export.tokens;
  if (!tokens) return out;
  for (const k of KINDS) {
    const billed = l.export.usdByKind[k];
    if (billed === undefined || tokens[k] === 0 || l.ledger.pricedTokens[k] === 0) continue;
    const implied = (billed / tokens[k]) * 1e6;
    const ledger = (l.ledger.usdByKind[k] / l.ledger.pricedTokens[k]) * 1e6;
    if (Math.abs(implied - ledger) > 0.005 * Math.max(implied, ledger)) {
      out.push(
        `price change: ${KIND_NAMES[k]} priced at ${perMtok(ledger)} in the ledger, ${l.provider} billed ${perMtok(implied)} (update the prices file)`,
      );
    }
  }
  return out;
}

/**
 * The likely causes of a line's difference, each with its evidence from the ledger. Empty when
 * the line is within tolerance.
 */
export function explain(l: Line, all: Line[], t: Tolerance): string[] {
  if (!l.over) return [];
  if (l.charge) {
    return [`non-token charge (${l.charge}): the ledger prices model tokens only`];
  }
  const causes: string[] = [];
  const providerMore = (l.diffUsd ?? l.diffTokens ?? 0) < 0;
  const exportTokens = l.export.tokens ? sumKinds(l.export.tokens) : null;
  if (l.ledger.calls === 0 && l.export.records > 0) {
    causes.push(
      `not in the ledger: no instrumented calls to ${l.model} on ${l.day} (${l.ledger.refused > 0 ? `${plural(l.ledger.refused, 'refused call')} only; ` : ''}calls from services without Burnrate, or a key the ledger does not see)${seenAt(l)}`,
    );
    return causes;
  }
  if (l.export.records === 0) {
    causes.push(
      `not in the ${l.provider} export: ${plural(l.ledger.calls, 'ledger call')} from ${[...l.ledger.services].join(', ')} (a different account or project, or the export is not final yet)`,
    );
    return causes;
  }
  if (l.ledger.unpriced.calls > 0) {
    const implied =
      l.export.usd !== null && exportTokens
        ? (l.export.usd / exportTokens) * l.ledger.unpriced.tokens
        : null;
    causes.push(
      `unpriced: ${plural(l.ledger.unpriced.calls, 'call')} with cost_source unpriced (${l.ledger.unpriced.tokens} tokens) without dollars in the ledger${implied === null ? '' : `, about ${usd(implied)} at the provider's average price`} (add the model to the prices file)`,
    );
  }
  if (l.ledger.estimated.calls > 0) {
    causes.push(
      `estimated: ${plural(l.ledger.estimated.calls, 'stream')} with cost_source estimated (${l.ledger.estimated.tokens} tokens, ${usd(l.ledger.estimated.usd)}) were counted from the text, not from the provider's usage`,
    );
  }
  causes.push(...priceChanges(l));
  const neighbours = [nextDay(l.day, -1), nextDay(l.day, 1)]
    .map((d) => all.find((o) => o.day === d && o.provider === l.provider && o.model === l.model))
    .filter((o): o is Line => o !== undefined && o.diffUsd !== null && l.diffUsd !== null);
  const offset = neighbours.find(
    (o) =>
      Math.sign(o.diffUsd as number) === -Math.sign(l.diffUsd as number) &&
      Math.abs((o.diffUsd as number) + (l.diffUsd as number)) <= Math.max(t.usd, 0.005),
  );
  const straddling = l.ledger.straddling + (offset?.ledger.straddling ?? 0);
  if (offset || l.ledger.straddling > 0) {
    const calls =
      straddling > 0
        ? `${plural(straddling, 'call')} started before midnight UTC and ended after it (the ledger counts a call on the day it ended)`
        : '';
    causes.push(
      `day boundary: ${offset ? `${offset.day}'s difference offsets this one${calls ? '; ' : ''}` : ''}${calls}`,
    );
  }
  const ledgerTokens = sumKinds(l.ledger.tokens);
  if (
    !offset &&
    providerMore &&
    exportTokens !== null &&
    exportTokens > ledgerTokens &&
    l.ledger.unpriced.calls === 0 &&
    l.ledger.estimated.calls === 0
  ) {
    causes.push(
      `calls outside instrumented services: ${l.provider} counted ${exportTokens - ledgerTokens} more tokens than the ledger's ${plural(l.ledger.calls, 'call')} from ${[...l.ledger.services].join(', ')}${seenAt(l)}`,
    );
  }
  if (causes.length === 0)
    causes.push(
      providerMore
        ? 'provider more than the ledger: no cause found in the ledger'
        : 'ledger more than the provider: retries counted twice, or the export is not final yet',
    );
  return causes;
}
