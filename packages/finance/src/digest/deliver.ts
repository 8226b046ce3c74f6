// Delivery to every configured channel. Each channel fails on its own (the others still get
// the digest); errors name the channel, never its URL or credentials.
import type { Channel, DigestConfig } from './config.ts';
import { digestContent } from './content.ts';
import type { DigestData } from './data.ts';
import { buildMessage } from './mime.ts';
import { renderHtml, renderSlack, renderText, renderWebhook } from './render.ts';
import { sendMail as smtpSend } from './smtp.ts';

export interface DeliveryResult {
  channel: string;
  type: Channel['type'];
  ok: boolean;
  /** Why it failed (no secrets). */
  error?: string;
  durationMs: number;
}

export interface DeliveryDeps {
  fetch?: typeof fetch;
  sendMail?: typeof smtpSend;
  /** The clock for the e-mail's Date header. */
  now?: () => number;
}

async function postJson(
  f: typeof fetch,
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<void> {
  let res: Response;
  try {
    res = await f(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') throw new Error(`no answer within ${timeoutMs / 1000} s`);
    throw new Error(`cannot reach the webhook (${e.cause?.code ?? e.message})`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    throw new Error(
      `HTTP ${res.status}${text ? `: ${text.slice(0, 200).replace(/\s+/g, ' ')}` : ''}`,
    );
  }
}

async function deliverOne(channel: Channel, data: DigestData, deps: DeliveryDeps): Promise<void> {
  const content = digestContent(data);
  const f = deps.fetch ?? fetch;
  if (channel.type === 'slack') {
    const message = renderSlack(content, data.dashboardUrl);
    return postJson(f, channel.url.reveal(), message, {}, channel.timeoutMs);
  }
  if (channel.type === 'webhook') {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(channel.headers)) headers[k] = v.reveal();
    return postJson(
      f,
      channel.url.reveal(),
      renderWebhook(data, content),
      headers,
      channel.timeoutMs,
    );
  }
  const message = buildMessage({
    from: channel.from,
    fromName: channel.fromName,
    to: channel.to,
    subject: channel.subject ? `${channel.subject}: ${content.title}` : content.title,
    text: renderText(content),
    html: renderHtml(content, data.dashboardUrl),
    date: new Date((deps.now ?? Date.now)()),
  });
  await (deps.sendMail ?? smtpSend)(channel.smtp, {
    from: channel.from,
    to: channel.to,
    data: message,
  });
}

/** Sends to every channel (or the named ones); one result per channel, in config order. */
export async function deliverDigest(
  config: Pick<DigestConfig, 'channels'>,
  data: DigestData,
  deps: DeliveryDeps = {},
  only?: readonly string[],
): Promise<DeliveryResult[]> {
  const channels = only ? config.channels.filter((c) => only.includes(c.name)) : config.channels;
  return Promise.all(
    channels.map(async (channel): Promise<DeliveryResult> => {
      const started = performance.now();
      try {
        await deliverOne(channel, data, deps);
        return {
          channel: channel.name,
          type: channel.type,
          ok: true,
          durationMs: performance.now() - started,
        };
      } catch (err) {
        return {
          channel: channel.name,
          type: channel.type,
          ok: false,
          error: (err as Error).message,
          durationMs: performance.now() - started,
        };
      }
    }),
  );
}
