import { describe, expect, it } from 'vitest';
import { setLang } from './i18n';
import { approvalReason } from './reasons';

describe('approval reasons', () => {
  it('words Go’s codes in the UI language and keeps stored English text', () => {
    setLang('de');
    expect(approvalReason('crisis')).toBe('Krisenmodus: Eine zweite Person mit Freigaberecht muss freigeben.');
    setLang('ru');
    expect(approvalReason('injection')).toBe('В переписке подозревается промпт-инъекция.');
    expect(approvalReason('settings-injection')).toContain('базы знаний');
    expect(approvalReason('the thread contains a suspected prompt injection')).toBe('the thread contains a suspected prompt injection');
    setLang('en');
  });
});
