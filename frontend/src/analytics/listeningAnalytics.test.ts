import { describe, expect, it } from 'vitest';
import type { Engagement, TopicShare } from '../lib/api';
import { depthRows, percent, shareOrder } from './listeningAnalytics';

const topic = (id: number, name: string, mentions: number, share: number): TopicShare => ({
  topic: { id, name, kind: 'brand', mentions, negative: 0, neutral: mentions, positive: 0 },
  share,
  selected: true,
});

describe('listening analytics helpers', () => {
  it('formats shares as whole percents, marking tiny ones', () => {
    expect(percent(0)).toBe('0');
    expect(percent(0.004)).toBe('<1');
    expect(percent(0.666)).toBe('67');
    expect(percent(1)).toBe('100');
  });

  it('orders topics by mentions, then name', () => {
    const got = shareOrder([topic(1, 'b', 2, 0.2), topic(2, 'a', 2, 0.2), topic(3, 'c', 6, 0.6)]);
    expect(got.map((t) => t.topic.name)).toEqual(['c', 'a', 'b']);
  });

  it('averages messages and participants per conversation and drops empty channels', () => {
    const depth = (channel: string, conversations: number, messages: number, participants: number) => ({
      channel,
      conversations,
      messages,
      replies: 1,
      participants,
      maxMessages: messages,
      maxParticipants: participants,
      byMessages: [0, 0, conversations, 0, 0],
    });
    const e: Engagement = { from: '', to: '', channels: [depth('', 3, 10, 7), depth('vk', 3, 10, 7), depth('mail', 0, 0, 0)] };
    const rows = depthRows(e);
    expect(rows.map((r) => r.channel)).toEqual(['', 'vk']);
    expect(rows[0]).toMatchObject({ avgMessages: '3.3', avgParticipants: '2.3', conversations: 3 });
    expect(depthRows({ from: '', to: '', channels: [depth('', 0, 0, 0)] })[0]!.avgMessages).toBe('0');
  });
});
