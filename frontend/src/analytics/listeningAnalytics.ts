// Pure helpers of the Listening and engagement sections of the analytics page.
import type { Engagement, TopicShare } from '../lib/api';

/** percent formats a share (0 to 1) as a whole percent, "<1" for a small non-zero share. */
export function percent(share: number): string {
  if (share > 0 && share < 0.005) return '<1';
  return String(Math.round(share * 100));
}

/** shareOrder lists topics by mentions, most first, ties by name. */
export function shareOrder(topics: TopicShare[]): TopicShare[] {
  return [...topics].sort((a, b) => b.topic.mentions - a.topic.mentions || a.topic.name.localeCompare(b.topic.name));
}

/** DepthRow is one channel's discussion depth with its averages per conversation (one decimal). */
export type DepthRow = {
  channel: string;
  conversations: number;
  messages: number;
  replies: number;
  avgMessages: string;
  avgParticipants: string;
  maxMessages: number;
  byMessages: number[];
};

/** depthRows turns the engagement answer into table rows; a channel without conversations is left out. */
export function depthRows(e: Engagement): DepthRow[] {
  const avg = (n: number, d: number) => (d === 0 ? '0' : (n / d).toFixed(1));
  return e.channels
    .filter((c, i) => i === 0 || c.conversations > 0)
    .map((c) => ({
      channel: c.channel,
      conversations: c.conversations,
      messages: c.messages,
      replies: c.replies,
      avgMessages: avg(c.messages, c.conversations),
      avgParticipants: avg(c.participants, c.conversations),
      maxMessages: c.maxMessages,
      byMessages: c.byMessages,
    }));
}

/** DEPTH_BUCKETS label byMessages' five columns. */
export const DEPTH_BUCKETS = ['1', '2', '3–5', '6–10', '11+'] as const;
