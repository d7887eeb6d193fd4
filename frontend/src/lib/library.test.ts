import { describe, expect, it } from 'vitest';
import { cannedPayload } from './library';

describe('cannedPayload', () => {
  it('trims fields, splits and deduplicates tags', () => {
    expect(cannedPayload({ id: ' ack ', title: ' Ack ', lang: 'de', body: ' Hallo {{customer}} ', tags: 'Delay, delay; refund,,' })).toEqual({
      id: 'ack',
      title: 'Ack',
      lang: 'de',
      body: 'Hallo {{customer}}',
      tags: ['delay', 'refund'],
    });
  });
  it('refuses a form without id, title or text', () => {
    expect(cannedPayload({ id: ' ', title: 'x', lang: '', body: 'y', tags: '' })).toBeNull();
    expect(cannedPayload({ id: 'a', title: '', lang: '', body: 'y', tags: '' })).toBeNull();
    expect(cannedPayload({ id: 'a', title: 'x', lang: '', body: '  ', tags: '' })).toBeNull();
  });
});
