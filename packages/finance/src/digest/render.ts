// The digest for each channel: Slack incoming-webhook JSON (Block Kit), a generic webhook's JSON,
// and an e-mail's plain-text and HTML bodies.
import type { DigestContent } from './content.ts';
import type { DigestData } from './data.ts';

// Slack's documented limits: header text 150 characters, section text 3000, 50 blocks.
const SLACK_HEADER_MAX = 150;
const SLACK_SECTION_MAX = 3000;

/** Escapes the three characters Slack's mrkdwn gives meaning to. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'divider' }
  | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> };

export interface SlackMessage {
  /** Fallback for notifications and clients without blocks. */
  text: string;
  blocks: SlackBlock[];
}

export function renderSlack(c: DigestContent, dashboardUrl: string | null): SlackMessage {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(c.title, SLACK_HEADER_MAX) } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(slackEscape(c.summary), SLACK_SECTION_MAX) },
    },
  ];
  for (const s of c.sections) {
    const body =
      s.items.length > 0
        ? s.items.map((i) => `• ${slackEscape(i)}`).join('\n')
        : `_${slackEscape(s.empty)}_`;
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*${slackEscape(s.title)}*\n${body}`, SLACK_SECTION_MAX) },
    });
  }
  const link = dashboardUrl ? ` · <${dashboardUrl}|Open the dashboard>` : '';
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: clip(slackEscape(c.footer.split(' · ')[0]) + link, SLACK_SECTION_MAX),
      },
    ],
  });
  return { text: clip(`${c.title}: ${c.summary}`, SLACK_SECTION_MAX), blocks };
}

/** The generic webhook's JSON: the data as numbers and ISO times, plus the text summary. */
export function renderWebhook(d: DigestData, c: DigestContent): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const f = d.forecast;
  return {
    kind: 'burnrate-digest',
    version: 1,
    generatedAt: iso(d.generatedAt),
    timeZone: d.timeZone,
    week: { start: iso(d.week.start), end: iso(d.week.end) },
    totals: d.totals,
    movers: d.movers,
    alerts: d.alerts.map((a) => ({ ...a, firstSeen: iso(a.firstSeen), lastSeen: iso(a.lastSeen) })),
    spendJumps: d.jumps.map((j) => ({ ...j, day: iso(j.day) })),
    budgetsAtRisk: d.budgets.atRisk,
    budgetsEvaluated: d.budgets.evaluated,
    forecast: !f
      ? null
      : f.ok
        ? {
            ok: true,
            model: f.model,
            coverage: f.coverage,
            horizons: f.horizons.map((h) => ({
              ...h,
              periodStart: iso(h.periodStart),
              end: iso(h.end),
            })),
          }
        : {
            ok: false,
            reason: f.reason,
            historyDays: f.historyDays,
            requiredDays: f.requiredDays,
            message: f.message,
          },
    problems: d.problems,
    dashboardUrl: d.dashboardUrl,
    title: c.title,
    text: renderText(c),
  };
}

export function renderText(c: DigestContent): string {
  const out = [c.title, '='.repeat(Math.min(c.title.length, 72)), '', c.summary, ''];
  for (const s of c.sections) {
    out.push(s.title, '-'.repeat(s.title.length));
    if (s.items.length === 0) out.push(s.empty);
    for (const i of s.items) out.push(`- ${i}`);
    out.push('');
  }
  out.push(c.footer, '');
  return out.join('\n');
}

export function htmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function renderHtml(c: DigestContent, dashboardUrl: string | null): string {
  const e = htmlEscape;
  const sections = c.sections
    .map((s) => {
      const body =
        s.items.length > 0
          ? `<ul>${s.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`
          : `<p style="color:#666"><em>${e(s.empty)}</em></p>`;
      return `<h2 style="font-size:16px;margin:20px 0 6px">${e(s.title)}</h2>${body}`;
    })
    .join('\n');
  const link = dashboardUrl ? ` · <a href="${e(dashboardUrl)}">Open the dashboard</a>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(c.title)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1d1d1d;max-width:760px">
<h1 style="font-size:20px">${e(c.title)}</h1>
<p>${e(c.summary)}</p>
${sections}
<p style="color:#666;font-size:12px">${e(c.footer.split(' · ')[0])}${link}</p>
</body></html>
`;
}
