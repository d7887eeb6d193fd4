import { beforeEach, describe, expect, it, vi } from 'vitest';

const svc = vi.hoisted(() => ({
  Topics: vi.fn(),
  SaveTopic: vi.fn(),
  DeleteTopic: vi.fn(),
  CheckQuery: vi.fn(),
  Preview: vi.fn(),
  Mentions: vi.fn(),
  CorrectTonality: vi.fn(),
  ToConversation: vi.fn(),
  Sources: vi.fn(),
  SaveSource: vi.fn(),
  DeleteSource: vi.fn(),
}));
vi.mock('../../../wailsjs/go/main/ListeningService', () => svc);

import { ApiError } from './call';
import { checkListeningQuery, listeningMentions, listeningSources, mentionToConversation, saveListeningTopic } from './listening';

beforeEach(() => vi.resetAllMocks());

const goMention = {
  id: 7, source: 'mastodon', externalId: '1', url: 'https://m.example/1', author: 'ann', authorId: 'ann', authorUrl: '',
  reach: 120, title: '', text: 'Aurora Air lost my bag', lang: 'en', published: '2026-05-01T10:00:00Z', replies: -1,
  reactions: -1, replyChannel: 'mastodon', replyThread: '1', replyTo: '1', sentiment: 'negative', score: -0.8,
  corrected: false, conversationId: 0, foundAt: '2026-05-01T10:05:00Z', sources: null, topicIds: null,
};

describe('listening api', () => {
  it('sends the whole filter Go expects and gives nil slices as empty arrays', async () => {
    svc.Mentions.mockResolvedValue({ mentions: [goMention], next: 'c2' });
    const page = await listeningMentions({ topicId: 3, sentiment: 'negative' }, 'c1');
    expect(svc.Mentions).toHaveBeenCalledWith({ topicId: 3, source: '', sentiment: 'negative', lang: '', limit: 0 }, 'c1');
    expect(page.next).toBe('c2');
    expect(page.mentions[0].sources).toEqual([]);
    expect(page.mentions[0].topicIds).toEqual([]);
    expect(page.mentions[0].sentiment).toBe('negative');

    svc.Mentions.mockResolvedValue({ mentions: null, next: '' });
    expect((await listeningMentions({})).mentions).toEqual([]);
  });

  it('reads a query check and a source status with empty lists and params', async () => {
    svc.CheckQuery.mockResolvedValue({ ok: false, code: 'unknown-lang', pos: 10, end: 12, param: 'xx', terms: null });
    expect(await checkListeningQuery('acme lang:xx')).toEqual({ ok: false, code: 'unknown-lang', pos: 10, end: 12, param: 'xx', terms: [] });
    svc.Sources.mockResolvedValue([{ id: 1, kind: 'reddit', name: 'r', errorCode: 'rate-limited', errorParams: null }]);
    expect((await listeningSources())[0].errorParams).toEqual({});
  });

  it('passes a refused topic and a failed conversation on as coded ApiErrors', async () => {
    const refused = 'stormdesk-error:{"code":"query-invalid","params":{"reason":"unclosed-quote","pos":"5","end":"6"},"detail":"topic query"}';
    svc.SaveTopic.mockRejectedValue(refused);
    const err = await saveListeningTopic({ id: 0, name: 'Acme', query: 'acme "x', kind: 'brand', enabled: true, createdAt: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('query-invalid');
    expect((err as ApiError).params).toEqual({ reason: 'unclosed-quote', pos: '5', end: '6' });
    svc.ToConversation.mockResolvedValue(42);
    expect(await mentionToConversation(7)).toBe(42);
  });
});
