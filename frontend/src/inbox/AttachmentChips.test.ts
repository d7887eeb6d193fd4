import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

// The generated binding is replaced; lib/api and the component are the real code.
const inboxMock = vi.hoisted(() => ({ SaveAttachment: vi.fn() }));
vi.mock('../../wailsjs/go/main/InboxService', () => inboxMock);

import AttachmentChips from './AttachmentChips.svelte';
import { setLang } from '../lib/i18n';

const voice = { name: '', contentType: 'audio/ogg', size: 0, kind: 'audio', ref: '1483', sha256: 'x' };
const pass = { name: 'pass.pdf', contentType: 'application/pdf', size: 2048, kind: 'document', ref: '1482', sha256: 'y' };
const mailed = { name: 'invoice.pdf', contentType: 'application/pdf', size: 1200, kind: '', ref: '', sha256: '' };

beforeEach(() => {
  vi.resetAllMocks();
  (globalThis as unknown as { go: unknown }).go = { main: {} };
  setLang('en');
});

describe('AttachmentChips', () => {
  it('shows each attachment and offers Save only for what the platform keeps', () => {
    render(AttachmentChips, { messageId: 7, attachments: [voice, pass, mailed] });
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.label')?.textContent)).toEqual(['Audio', 'pass.pdf', 'invoice.pdf']);
    expect(items[1].textContent).toContain('2 KB');
    expect(screen.getByRole('button', { name: 'Save Audio' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save pass.pdf' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save invoice.pdf' })).toBeNull();
  });

  it('says where the window saved it', async () => {
    inboxMock.SaveAttachment.mockResolvedValue({ dialog: true, path: '/home/anna/pass.pdf', name: 'pass.pdf', contentType: 'application/pdf', size: 2048, data: '' });
    render(AttachmentChips, { messageId: 7, attachments: [voice, pass] });
    await fireEvent.click(screen.getByRole('button', { name: 'Save pass.pdf' }));
    expect(inboxMock.SaveAttachment).toHaveBeenCalledWith(7, 1);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Saved to /home/anna/pass.pdf'));
  });

  it('downloads the bytes outside the window', async () => {
    inboxMock.SaveAttachment.mockResolvedValue({ dialog: false, path: '', name: 'audio.ogg', contentType: 'audio/ogg', size: 3, data: btoa('abc') });
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return 'blob:x';
    });
    URL.revokeObjectURL = vi.fn();
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    render(AttachmentChips, { messageId: 9, attachments: [voice] });
    await fireEvent.click(screen.getByRole('button', { name: 'Save Audio' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('audio.ogg downloaded.'));
    expect(clicked).toHaveBeenCalledOnce();
    expect(created).toHaveLength(1);
    expect(created[0].type).toBe('audio/ogg');
    expect(created[0].size).toBe(3); // jsdom's Blob cannot be read back; the bytes are decoded in attachments.test.ts
    clicked.mockRestore();
  });

  it('words a refusal from Go in the reader’s language', async () => {
    setLang('de');
    inboxMock.SaveAttachment.mockRejectedValue('stormdesk-error:' + JSON.stringify({ code: 'media-too-large', params: { limitMB: '100' }, detail: 'whatsapp media 1: too large' }));
    render(AttachmentChips, { messageId: 7, attachments: [pass] });
    await fireEvent.click(screen.getByRole('button', { name: 'pass.pdf speichern' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Der Anhang ist größer als 100 MB.'));
    expect(screen.getByRole('status').textContent).toBe('');
  });
});
