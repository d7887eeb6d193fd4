import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { render } from '@testing-library/svelte';
import ErrorDetails from './ErrorDetails.svelte';
import { toApiError } from '../lib/api';
import { ERROR_MARKER } from '../lib/errors';
import { setLang, translate } from '../lib/i18n';

const coded = `${ERROR_MARKER}{"code":"unreachable","params":{},"detail":"llm: GET http://127.0.0.1:9/v1/models: connection refused"}`;

describe('ErrorDetails with an ApiError', () => {
  afterEach(() => setLang('en'));

  it('words a coded error with its next step and folds Go’s text, closed, under Details; a language switch rewords it', () => {
    setLang('en');
    const { container } = render(ErrorDetails, { error: toApiError('ModelSettingsService.TestLLM', coded) });
    const message = () => container.querySelector('[data-role=error-message]')?.textContent;
    expect(message()).toBe(`${translate('en', 'error.code.unreachable')} ${translate('en', 'error.next.unreachable')}`);
    const fold = container.querySelector<HTMLDetailsElement>('[data-role=error-details]');
    expect(fold?.open).toBe(false);
    expect(fold?.querySelector('code')?.textContent).toBe('llm: GET http://127.0.0.1:9/v1/models: connection refused');
    setLang('ru');
    flushSync();
    expect(message()).toBe(`${translate('ru', 'error.code.unreachable')} ${translate('ru', 'error.next.unreachable')}`);
    expect(container.querySelector('[data-role=error-details] summary')?.textContent).toBe(translate('ru', 'error.details'));
  });

  it('shows an error without a code as Go’s text, with no fold repeating it', () => {
    const { container } = render(ErrorDetails, { error: toApiError('AccountsService.Test', 'telegram getMe: 401 Unauthorized') });
    expect(container.querySelector('[data-role=error-message]')?.textContent).toBe('telegram getMe: 401 Unauthorized');
    expect(container.querySelector('[data-role=error-details]')).toBeNull();
  });
});
