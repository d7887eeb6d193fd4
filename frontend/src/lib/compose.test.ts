import { describe, expect, it } from 'vitest';
import type { StepAction, Thread } from './api';
import { allowedActions, editable, fillVariables, parseDiff, problemMarkers, splitAuditComment, threadVariables, unfilledVariables, currentReply } from './compose';
import { translate } from './i18n';

describe('allowedActions shows exactly the steps Go allows', () => {
  const cases: { name: string; allowed: StepAction[]; want: string[] }[] = [
    { name: 'draft', allowed: ['edit', 'submit'], want: ['save', 'submit'] },
    { name: 'submitted, author outside crisis', allowed: ['withdraw', 'approve', 'reject'], want: ['withdraw', 'approve', 'approveSend', 'reject'] },
    // a single-person workspace in crisis: a self-review, never a plain approval Go would refuse
    { name: 'submitted crisis reply, one person', allowed: ['withdraw', 'self-review'], want: ['withdraw', 'selfReview'] },
    { name: 'submitted crisis reply, team author', allowed: ['withdraw'], want: ['withdraw'] },
    { name: 'approved', allowed: ['queue'], want: ['queue'] },
    { name: 'queued or sent', allowed: [], want: [] },
    { name: 'failed', allowed: ['retry'], want: ['retry'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(allowedActions(c.allowed)).toEqual(c.want);
    });
  }

  it('only drafts and rejected replies are editable', () => {
    expect(['draft', 'submitted', 'approved', 'rejected', 'queued', 'sent', 'failed'].filter(editable)).toEqual(['draft', 'rejected']);
  });
});

describe('problemMarkers', () => {
  const text = (problems: string[], injection = [] as { rule: string; lang: string; excerpt: string }[]) =>
    problemMarkers(problems, injection, (c) => ({ de: 'German' })[c] ?? c).map((m) => translate('en', m.key, m.params));

  it('reads every Go marker as a sentence with its argument', () => {
    expect(
      text(['empty', 'truncated', 'wrong-language:de', 'unbacked-promise:refund', 'unknown-source:faq-9', 'missing-variable:eta', 'injection-suspected']),
    ).toEqual([
      'Empty: the draft has no text.',
      'Cut off: the model stopped at its length limit, the end is missing.',
      'Wrong language: the draft is in German, not the customer’s language.',
      'Promises a refund that no knowledge-base entry backs.',
      'Cites “faq-9”, which is not in the knowledge base.',
      'Missing value for {{eta}}.',
      'Suspected prompt injection in the customer’s messages: an approver must check this reply.',
    ]);
  });

  it('never hides a marker it does not know, and lists each injection finding with its excerpt', () => {
    const out = text(['made-up-marker:x'], [{ rule: 'override-instructions', lang: 'en', excerpt: 'ignore your instructions' }]);
    expect(out).toEqual(['Problem: made-up-marker:x', 'Injection attempt (override-instructions): “ignore your instructions”']);
  });

  it('says what a draft states that nothing backs, in EN, RU and DE', () => {
    const problems = [
      'unlisted-phone:+1 800 555 0199',
      'unlisted-url:https://evil.example.com/form',
      'unlisted-email:claims@evil.example',
      'unbacked-deadline:by Friday',
      'unbacked-amount:$50',
      'unbacked-promise:credit',
      'settings-injection:tone',
      'settings-injection:kb:kb-bad',
    ];
    const label = (k: Parameters<typeof translate>[1]) => translate('en', k);
    const en = problemMarkers(problems, [], (c) => c, label).map((m) => translate('en', m.key, m.params));
    expect(en).toEqual([
      'Phone number +1 800 555 0199 is not in the knowledge base or the brand profile.',
      'Link https://evil.example.com/form is not in the knowledge base or the brand profile.',
      'E-mail address claims@evil.example is not in the knowledge base or the brand profile.',
      'Deadline or date “by Friday” is not in any knowledge-base entry: the company has not promised it.',
      'Amount $50 is not in any knowledge-base entry: the company has not offered it.',
      'Promises a credit or bonus that no knowledge-base entry backs.',
      'The setting “Tone of voice” reads like instructions to the model (suspected prompt injection): check it in Settings.',
      'Knowledge-base entry “kb-bad” reads like instructions to the model (suspected prompt injection): check it in Settings.',
    ]);
    for (const lang of ['ru', 'de'] as const) {
      const out = problemMarkers(problems, []).map((m) => translate(lang, m.key, m.params));
      out.forEach((line, i) => {
        expect(line, `${lang} ${problems[i]}`).not.toMatch(/^Problem|^Проблема/);
        expect(line).not.toBe(en[i]);
      });
      expect(out[0]).toContain('+1 800 555 0199');
      expect(out[3]).toContain('by Friday');
    }
    expect(problemMarkers(problems, []).every((m) => m.severity === 'error')).toBe(true);
  });

  it('marks content problems as errors and a missing variable as a warning', () => {
    const m = problemMarkers(['truncated', 'missing-variable:eta'], []);
    expect(m.map((x) => x.severity)).toEqual(['error', 'warn']);
  });
});

describe('splitAuditComment', () => {
  it('separates the approver’s note from the warnings Go recorded', () => {
    const cases: { comment: string; note: string; warnings: string[] }[] = [
      { comment: '', note: '', warnings: [] },
      { comment: 'looks good', note: 'looks good', warnings: [] },
      {
        comment: 'checked the number\napproved with open warnings: unlisted-phone:+1 800 555 0123; unbacked-deadline:by Friday',
        note: 'checked the number',
        warnings: ['unlisted-phone:+1 800 555 0123', 'unbacked-deadline:by Friday'],
      },
      { comment: 'approved with open warnings: unbacked-amount:$50', note: '', warnings: ['unbacked-amount:$50'] },
      // A person quoting the phrase mid-line is just a note.
      { comment: 'he said approved with open warnings: no', note: 'he said approved with open warnings: no', warnings: [] },
    ];
    for (const c of cases) expect(splitAuditComment(c.comment)).toEqual({ note: c.note, warnings: c.warnings });
  });
});

describe('canned variables', () => {
  const thread = {
    conversation: {
      id: 1, accountId: 2, channel: 'mail', subject: 'Broken suitcase',
      author: { id: 1, channel: 'mail', externalId: '', handle: 'old@example.com', displayName: 'Old Name', reach: 0, notes: '', vip: false, banned: false, blockedUntil: null },
    },
    messages: [
      { direction: 'in', author: { handle: 'hannah@example.com', displayName: 'Hannah Smith' } },
      { direction: 'out', author: { handle: 'support', displayName: 'Support' } },
    ],
  } as unknown as Thread;

  it('fills from the thread: the newest inbound author, subject, agent and brand', () => {
    const vars = threadVariables(thread, 'alex', 'Aurora Air');
    expect(vars).toMatchObject({ customer: 'Hannah Smith', first_name: 'Hannah', handle: 'hannah@example.com', subject: 'Broken suitcase', agent: 'alex', brand: 'Aurora Air' });
    const r = fillVariables('Hi {{ customer }}, about “{{subject}}”: {{eta}}. {{agent}}, {{brand}} {{eta}}', vars);
    expect(r.text).toBe('Hi Hannah Smith, about “Broken suitcase”: {{eta}}. alex, Aurora Air {{eta}}');
    expect(r.missing).toEqual(['eta']);
  });

  it('leaves blank values and unknown names visible as {{name}}', () => {
    const r = fillVariables('{{customer}} {{brand}} {{1bad}}', threadVariables(null, '', '  '));
    expect(r.text).toBe('{{customer}} {{brand}} {{1bad}}');
    expect(r.missing).toEqual(['customer', 'brand']);
    expect(unfilledVariables(r.text)).toEqual(['customer', 'brand']);
  });
});

describe('parseDiff', () => {
  it('splits Go’s wdiff notation into kept, removed and added words', () => {
    expect(parseDiff('Hello [-there-] {+Hannah,+} we {+are+} sorry')).toEqual([
      { kind: 'same', text: 'Hello ' },
      { kind: 'del', text: 'there' },
      { kind: 'same', text: ' ' },
      { kind: 'ins', text: 'Hannah,' },
      { kind: 'same', text: ' we ' },
      { kind: 'ins', text: 'are' },
      { kind: 'same', text: ' sorry' },
    ]);
    expect(parseDiff('')).toEqual([]);
  });
});

describe('currentReply', () => {
  it('is the newest reply unless it was sent', () => {
    const r = (id: string, state: string) => ({ id, state }) as never;
    expect(currentReply([])).toBeNull();
    expect(currentReply([r('a', 'sent'), r('b', 'failed')])).toMatchObject({ id: 'b' });
    expect(currentReply([r('a', 'draft'), r('b', 'sent')])).toBeNull();
  });
});

describe('reading Go’s composer answers', async () => {
  const { normReply, normLLM } = await import('./api');
  const { goReply } = await import('../test/goRows');

  it('keeps Go’s empty lists and unknown states as they are', () => {
    const r = normReply(goReply({ id: 'x', state: 'weird' }));
    expect(r).toMatchObject({ id: 'x', state: 'weird', problems: [], citations: [], injection: [] });
    expect(r.approval).toEqual({ needsApprover: false, twoPerson: false, reasons: [] });
  });

  it('keeps the LLM settings it does not edit, and never has a key field', () => {
    // Only the settings this test is about; the rest of Go's settings would land in extra too.
    const settings = { provider: 'azure', baseUrl: 'https://x.openai.azure.com', model: 'gpt', apiVersion: '', timeout: 120e9, retry: { maxAttempts: 4 } } as never;
    const s = normLLM({ settings, hasApiKey: true, apiKey: '' });
    expect(s.hasApiKey).toBe(true);
    expect(s.settings).toEqual({ provider: 'azure', baseUrl: 'https://x.openai.azure.com', model: 'gpt', apiVersion: '', extra: { timeout: 120e9, retry: { maxAttempts: 4 } } });
    expect(normLLM({ settings: { provider: 'bogus', baseUrl: '', model: '', apiVersion: '' } as never, hasApiKey: false, apiKey: '' }).settings.provider).toBe('openai');
  });
});
