import { describe, expect, it } from 'vitest';
import { setLang } from './i18n';
import { permissionList } from './tokenPermissions';

describe('permissionList', () => {
  it('shows nothing for a channel whose token carries no permissions', () => {
    expect(permissionList({ granted: [], missing: [] })).toBeNull();
    expect(permissionList(null)).toBeNull();
  });

  it('words what Stormdesk uses first, Meta’s other grants after, each sorted by name', () => {
    setLang('en');
    const list = permissionList({ granted: ['public_profile', 'pages_show_list', 'email', 'pages_messaging'], missing: [] })!;
    expect(list.has.map((r) => r.name)).toEqual(['pages_messaging', 'pages_show_list', 'email', 'public_profile']);
    expect(list.has[0].words).toBe('Read and answer Messenger conversations');
    expect(list.has[2].words).toBe('');
    expect(list.lacks).toEqual([]);
  });

  it('lists what is lacking once, and never as both had and lacking', () => {
    setLang('en');
    const list = permissionList({
      granted: ['instagram_basic'],
      missing: ['instagram_manage_messages', 'instagram_basic', 'instagram_manage_messages', 'instagram_manage_comments'],
    })!;
    expect(list.has.map((r) => r.name)).toEqual(['instagram_basic']);
    expect(list.lacks.map((r) => r.name)).toEqual(['instagram_manage_comments', 'instagram_manage_messages']);
  });

  it('words the permissions in Russian and German', () => {
    setLang('ru');
    expect(permissionList({ granted: ['whatsapp_business_messaging'], missing: [] })!.has[0].words).toBe(
      'Отправлять сообщения WhatsApp и видеть номер телефона',
    );
    setLang('de');
    expect(permissionList({ granted: [], missing: ['pages_manage_engagement'] })!.lacks[0].words).toBe(
      'Kommentare auf der Seite beantworten, ausblenden und löschen',
    );
    setLang('en');
  });
});
