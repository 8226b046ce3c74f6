import { loadHar } from '@burnrate/test-utils';
import { describe, expect, it } from 'vitest';
import { appsDir, lastJson, useAppHarness } from './test-support/app-harness.ts';

const apps = appsDir();

const h = useAppHarness();

describe('the one import bounds labels and ends unread streams', () => {
  it('caps tenants per process, reports a bad cap by name once, and exports an unread stream', async () => {
    for (let i = 0; i < 4; i++)
      h.replay.add(loadHar('openai/should-set-attributes-in-span-for-chat.har'));
    h.replay.add(loadHar('openai/should-set-attributes-in-span-for-streaming-chat.har'));
    const { stdout, stderr } = await h.run(apps, ['tenants.mjs'], 'caps', {
      TENANTS: '4',
      BURNRATE_MAX_TENANTS: '2',
      BURNRATE_MAX_ENDPOINTS: 'lots',
    });
    expect(lastJson(stdout)).toEqual({ calls: 5 });
    const errors = stderr.split('\n').filter((l) => l.includes('[burnrate]'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('BURNRATE_MAX_ENDPOINTS');
    const spans = await h.receiver.waitForSpans(5, (s) => s.resource['service.name'] === 'caps');
    expect(spans).toHaveLength(5);
    const chats = spans.filter((s) => s.attributes['gen_ai.request.stream'] === undefined);
    expect(chats.map((s) => s.attributes['burnrate.tenant']).sort()).toEqual([
      'other',
      'other',
      'tenant-0',
      'tenant-1',
    ]);
    for (const s of chats.filter((c) => c.attributes['burnrate.tenant'] === 'other')) {
      expect(s.attributes['burnrate.label.overflow']).toBe('tenant');
      expect(s.attributes['burnrate.cost.usd']).toBeGreaterThan(0);
    }
    // The stream the app never read: its span ended at exit, with the estimated prompt cost.
    const unread = spans.find((s) => s.attributes['burnrate.endpoint'] === '/unread');
    expect(unread?.attributes['burnrate.stream.abandoned']).toBe(true);
    expect(unread?.attributes['burnrate.cost.source']).toBe('estimated');
    expect(unread?.attributes['burnrate.cost.usd']).toBeGreaterThan(0);
  });
});
