//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestWindowDeliveryAndTemplatesInRussianAndGerman opens, in the real window
// (WebKitGTK under Xvfb) in Russian and in German, a demo WhatsApp
// conversation whose 24-hour window has closed and which holds three sent
// replies that Meta reported read, delivered and not delivered (131047). The
// thread shows each status under its message, the composer's reply history
// shows the same, and the composer offers the template picker instead of free
// text. In each, no text of a delivery status or of the picker may be cut
// (wider than its box where the box clips) or stick out of its pane: the page
// measures the elements' boxes (a script the e2e-tagged build runs, as
// TestWindowAxe does) and reports them. Screenshots of the thread and of the
// composer go to STORMDESK_WINDOW_SHOTS when set (else the test's temp dir),
// for a person to look at.
func TestWindowDeliveryAndTemplatesInRussianAndGerman(t *testing.T) {
	t.Setenv("STORMDESK_BIN", evalBinary(t))
	display := startXvfb(t)
	shots := os.Getenv("STORMDESK_WINDOW_SHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	for _, lang := range []string{"ru", "de"} {
		t.Run(lang, func(t *testing.T) {
			home := t.TempDir()
			db := filepath.Join(home, "stormdesk.db")
			if out, errOut, code := runCLI(t, nil, "demo", "--db", db); code != 0 {
				t.Fatalf("demo exit %d: %s%s", code, out, errOut)
			}
			conv := sentRepliesWithStatuses(t, db)
			w := startEvalWindow(t, display, home, "", "--db", db)
			if !waitFor(90*time.Second, func() bool { return strings.Contains(w.app.logs.String(), "frontend ready") }) {
				t.Fatalf("the window did not get ready; app output:\n%s", w.app.logs.String())
			}
			for _, st := range []struct{ name, steps string }{
				{"thread", fmt.Sprintf(openConversationJS, conv) + `
					const ds = await waitAll('section.thread .messages [data-delivery]', 3);
					reveal(ds[ds.length - 1]);`},
				{"composer", fmt.Sprintf(openConversationJS, conv) + `
					if (!document.querySelector('[data-role=template-picker]')) (await wait('section.composer [data-action=open-composer]')).click();
					const picker = await wait('[data-role=template-picker]');
					const sel = await wait('[data-role=template-choose]');
					const opt = [...sel.options].find((o) => o.value);
					if (!opt) throw new Error('the picker offers no template');
					sel.value = opt.value;
					sel.dispatchEvent(new Event('change', { bubbles: true }));
					await wait('[data-role=template-preview]');
					await waitAll('section.composer .history [data-delivery]', 3);
					reveal(picker);`},
				{"history", fmt.Sprintf(openConversationJS, conv) + `
					if (!document.querySelector('[data-role=template-picker]')) (await wait('section.composer [data-action=open-composer]')).click();
					const ds = await waitAll('section.composer .history [data-delivery]', 3);
					reveal(ds[ds.length - 1]);`},
			} {
				r := w.layout(t, st.name, lang, st.steps)
				shot := filepath.Join(shots, fmt.Sprintf("delivery-%s-%s.png", st.name, lang))
				savePNG(t, screenshot(t, display), shot)
				t.Logf("%s (%s): %d boxes measured, statuses %q; screenshot %s", st.name, lang, r.Checked, r.Words, shot)
				if r.Lang != lang {
					t.Errorf("%s: the page is in %q, want %q", st.name, r.Lang, lang)
				}
				if r.Checked < 3 {
					t.Errorf("%s (%s): %d boxes measured: not the screen the test meant", st.name, lang, r.Checked)
				}
				for _, word := range r.Words {
					if englishStatus[word] {
						t.Errorf("%s (%s): a delivery status reads %q, in English", st.name, lang, word)
					}
				}
				for _, p := range r.Problems {
					t.Errorf("%s (%s): %s", st.name, lang, p)
				}
			}
			if strings.Contains(w.app.logs.String(), "level=ERROR") {
				t.Errorf("the app logged errors:\n%s", w.app.logs.String())
			}
		})
	}
}

var englishStatus = map[string]bool{"Sent": true, "Delivered": true, "Read": true, "Not delivered": true}

// openConversationJS sets the language (reloading once), then opens
// conversation %d from the inbox list, scrolling the list until its row exists.
const openConversationJS = `
	if (localStorage.getItem('stormdesk.lang') !== LANG || !document.querySelector('nav.sidebar')) {
		localStorage.setItem('stormdesk.lang', LANG); location.reload(); return 'reload';
	}
	await go('inbox', '[role=listbox] .row');
	const id = 'conv-%d';
	let row = null;
	for (let i = 0; i < 200 && !row; i++) {
		row = document.getElementById(id);
		if (!row) { const lb = document.querySelector('[role=listbox]'); lb.scrollTop += 300; await new Promise((r) => setTimeout(r, 100)); }
	}
	if (!row) throw new Error('no row ' + id + ' in the inbox list');
	row.click();
	await wait('section.thread .messages .msg');`

var layoutResultRE = regexp.MustCompile(`layout-result (\{.*\})`)

type layoutResult struct {
	scriptReport
	Lang     string   `json:"lang"`
	Checked  int      `json:"checked"`
	Words    []string `json:"words"`
	Problems []string `json:"problems"`
}

// layout reaches a state with steps in lang and measures the boxes of every
// element holding text inside the delivery statuses and the template picker:
// one whose content is wider or taller than its box while the box clips
// (overflow other than visible, or an ellipsis) is cut; one reaching past the
// thread pane or the composer is overflowing.
func (w *evalWindow) layout(t *testing.T, name, lang, steps string) layoutResult {
	t.Helper()
	return runScript[layoutResult](t, w, name+" ("+lang+")", layoutResultRE, func(seq int) string {
		return reportingScript("layout-result", seq, fmt.Sprintf(`    const LANG = %q;
%s
    const waitAll = async (sel, n) => {
      for (let i = 0; i < 300; i++) {
        const els = document.querySelectorAll(sel);
        if (els.length >= n) return [...els];
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(n + ' elements wanted for ' + sel + ', found ' + document.querySelectorAll(sel).length);
    };
    // reveal scrolls el's nearest scrolling pane only (scrollIntoView would
    // scroll the document too, and shift the whole window's layout).
    const reveal = (el) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const oy = getComputedStyle(p).overflowY;
        if ((oy === 'auto' || oy === 'scroll') && p.scrollHeight > p.clientHeight) {
          p.scrollTop += el.getBoundingClientRect().bottom - p.getBoundingClientRect().bottom + 8;
          return;
        }
      }
    };
    const step = await (async () => { %s })();
    if (step === 'reload') return report({ reload: true });
    await new Promise((r) => setTimeout(r, 800));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const problems = [];
    let checked = 0;
    const label = (el) => el.tagName.toLowerCase() + (el.dataset.role ? '[data-role=' + el.dataset.role + ']' : el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : '');
    const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const measure = (root, pane) => {
      const p = pane.getBoundingClientRect();
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const r = el.getBoundingClientRect();
        // Words for screen readers only are clipped on purpose.
        if (r.width === 0 || r.height === 0 || el.closest('.visually-hidden')) continue;
        const text = el.tagName === 'SELECT' ? (el.selectedOptions[0]?.text ?? '') : ownText(el) ? el.textContent.trim() : '';
        if (!text && !['INPUT', 'TEXTAREA', 'BUTTON'].includes(el.tagName)) continue;
        checked++;
        const cs = getComputedStyle(el);
        const clips = cs.overflowX !== 'visible' || cs.overflowY !== 'visible' || cs.textOverflow === 'ellipsis';
        const what = label(el) + ' "' + text.slice(0, 60) + '"';
        if (el.tagName === 'SELECT') {
          const c = document.createElement('canvas').getContext('2d');
          c.font = cs.font;
          const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
          if (c.measureText(text).width > room + 1) problems.push(what + ': the chosen option is wider than the select (' + Math.round(c.measureText(text).width) + ' > ' + room + ')');
        } else if (clips && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) && !['INPUT', 'TEXTAREA'].includes(el.tagName)) {
          problems.push(what + ': cut (content ' + el.scrollWidth + '×' + el.scrollHeight + ' in a box of ' + el.clientWidth + '×' + el.clientHeight + ')');
        }
        if (r.left < p.left - 1 || r.right > p.right + 1) problems.push(what + ': outside its pane (' + Math.round(r.left) + '–' + Math.round(r.right) + ' in ' + Math.round(p.left) + '–' + Math.round(p.right) + ')');
      }
    };
    const thread = document.querySelector('section.thread');
    for (const d of document.querySelectorAll('[data-delivery]')) measure(d, d.closest('section.composer') ?? thread);
    const picker = document.querySelector('[data-role=template-picker]');
    if (picker && picker.getBoundingClientRect().height > 0) measure(picker, picker.closest('section.composer'));
    const words = [...document.querySelectorAll('[data-delivery] .word')].map((e) => e.textContent.trim());
    report({ lang: document.documentElement.lang, checked, words, problems });`, lang, pageHelpersJS, steps))
	})
}

// sentRepliesWithStatuses picks a demo WhatsApp conversation whose customer
// last wrote more than a day ago, records three replies sent in it a few
// minutes ago as the outbox does, and Meta's statuses for them: read,
// delivered, and failed with 131047 (the window had closed). It returns the
// conversation's id.
func sentRepliesWithStatuses(t *testing.T, db string) int64 {
	t.Helper()
	ctx := context.Background()
	st := openStore(t, db)
	defer st.Close()
	// Open ones only: the window's inbox opens on its open conversations, and
	// which demo conversation qualifies first changes with the hour.
	page, err := st.Conversations(ctx, store.InboxQuery{Channel: inbox.ChannelWhatsApp, Status: inbox.StatusOpen, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var conv inbox.Conversation
	for _, c := range page.Items {
		msgs, err := st.Thread(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var lastIn time.Time
		for _, m := range msgs {
			if m.Direction == inbox.DirectionIn && m.SentAt.After(lastIn) {
				lastIn = m.SentAt
			}
		}
		if !lastIn.IsZero() && time.Since(lastIn) > 26*time.Hour {
			conv = c
			break
		}
	}
	if conv.ID == 0 {
		t.Fatalf("no demo WhatsApp conversation (of %d) has a closed window", len(page.Items))
	}
	agent := drafts.Actor{Name: "anna", Role: drafts.RoleAgent}
	approver := drafts.Actor{Name: "boris", Role: drafts.RoleApprover}
	system := drafts.Actor{Name: "outbox", Role: drafts.RoleSystem}
	texts := []string{
		"Ваш багаж найден и будет доставлен завтра до 12:00. Ihr Gepäck wird morgen zugestellt.",
		"Мы оформили компенсацию: деньги придут в течение пяти рабочих дней. Die Erstattung ist veranlasst.",
		"Если остались вопросы, напишите нам. Bei Fragen schreiben Sie uns gern.",
	}
	statuses := []store.Delivery{
		{Status: store.DeliveryRead},
		{Status: store.DeliveryDelivered},
		{Status: store.DeliveryFailed, ErrorCode: 131047, Error: "Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
	}
	now := time.Now().Add(-5 * time.Minute)
	for i, text := range texts {
		id := fmt.Sprintf("e2e-delivery-%d", i)
		at := now.Add(time.Duration(i) * time.Minute)
		r, audit, err := drafts.NewReply(id, conv.ID, drafts.Draft{Text: text, Lang: "ru", Source: drafts.SourceCanned, Citations: []string{}, Problems: []string{}}, agent, false, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateReply(ctx, r, audit); err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			who drafts.Actor
			a   drafts.Action
		}{{agent, drafts.ActionSubmit}, {approver, drafts.ActionApprove}, {agent, drafts.ActionQueue}} {
			if _, err := st.ApplyReplyStep(ctx, id, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
				return drafts.Apply(r, s.who, drafts.Step{Action: s.a}, at)
			}); err != nil {
				t.Fatal(err)
			}
		}
		wamid := fmt.Sprintf("wamid.e2e%d", i)
		out := &inbox.Item{ExternalID: wamid, ThreadKey: conv.ThreadKey, Kind: inbox.KindDM, Direction: inbox.DirectionOut, Text: text, SentAt: at}
		if err := st.MarkSent(ctx, id, at, out, func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
			return drafts.Apply(r, system, drafts.Step{Action: drafts.ActionSent, ExternalID: wamid}, at)
		}); err != nil {
			t.Fatal(err)
		}
		d := statuses[i]
		d.ExternalID, d.At = wamid, at.Add(30*time.Second)
		if _, err := st.RecordDelivery(ctx, conv.AccountID, []store.Delivery{d}); err != nil {
			t.Fatal(err)
		}
	}
	return conv.ID
}
