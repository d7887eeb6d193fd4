//go:build e2e

package e2e

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// loopWords are, per language, what the notice of a failed loop must say:
// the two loops' names, how each comes back (a restart at a time, or now
// when that time has passed and the page has not asked Go again yet), and
// the restart count once there is one (frontend/src/lib/i18n.loops.ts).
var loopWords = map[string]struct{ crisis, sync, restartAt, restartNow, stopped, restarts string }{
	"en": {"Crisis detection", "Account sync", "restarts at", "is restarting now", "runs again when Stormdesk is restarted", "Restarts so far:"},
	"ru": {"Обнаружение кризисов", "Синхронизация аккаунтов", "перезапуск в", "идёт перезапуск", "возобновится после перезапуска Stormdesk", "Перезапусков:"},
	"de": {"Krisenerkennung", "Kontensynchronisierung", "Neustart um", "Neustart läuft", "sobald Stormdesk neu gestartet wird", "Bisherige Neustarts:"},
}

var loopsResultRE = regexp.MustCompile(`loops-result (\{.*\})`)

type loopsResult struct {
	scriptReport
	Lang    string `json:"lang"`
	Notices []struct {
		Loop   string `json:"loop"`
		State  string `json:"state"`
		Text   string `json:"text"`
		Detail string `json:"detail"`
	} `json:"notices"`
	Checked  int      `json:"checked"`
	Problems []string `json:"problems"`
	// After hiding the sync notice: the loops still shown.
	Shown []string `json:"shown"`
}

// TestWindowLoopFailureNotice runs the real window (WebKitGTK under Xvfb)
// with two background loops made to fail (the e2e build's
// STORMDESK_E2E_FAIL_LOOPS): crisis detection, which the supervisor restarts
// after each panic, and account sync, which stays stopped. In English,
// Russian and German the notice above the screens names each loop in the
// page's language, says when crisis detection restarts (then, once the page
// has asked Go again, how many restarts there were) and that sync runs
// again when the app restarts, keeps Go's panic under Details, fits the
// window without cutting a word or pushing the screens off it, and hides a
// notice when asked while the other stays. Screenshots go to
// STORMDESK_WINDOW_SHOTS when set (else the test's temp dir).
func TestWindowLoopFailureNotice(t *testing.T) {
	t.Setenv("STORMDESK_BIN", evalBinary(t))
	t.Setenv("STORMDESK_E2E_FAIL_LOOPS", "crisis,sync")
	display := startXvfb(t)
	w, shots := startDemoEvalWindow(t, display)
	for _, lang := range []string{"en", "ru", "de"} {
		words := loopWords[lang]
		r := w.loopsScript(t, "notices", lang, fmt.Sprintf(`
    const RESTARTS = %q;
    const crisis = await wait('[data-role=loop-health] [data-loop=crisis]');
    await wait('[data-role=loop-health] [data-loop=sync]');
    // The count comes once the page asks Go again after a restart (3 s, then 5 s, 9 s...).
    for (let i = 0; i < 400 && !crisis.textContent.includes(RESTARTS); i++) await new Promise((r) => setTimeout(r, 100));
    crisis.querySelector('[data-role=error-details] summary').click();
    await new Promise((r) => setTimeout(r, 300));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const notices = [...document.querySelectorAll('[data-role=loop-health] [data-loop]')].map((n) => ({
      loop: n.dataset.loop, state: n.dataset.state,
      text: n.querySelector('[data-role=error-message]')?.textContent.trim() ?? '',
      detail: n.querySelector('[data-role=error-details] code')?.textContent.trim() ?? '',
    }));
    const problems = [];
    let checked = 0;
    const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    for (const el of document.querySelectorAll('[data-role=loop-health] *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('.visually-hidden') || (!ownText(el) && el.tagName !== 'BUTTON')) continue;
      checked++;
      const cs = getComputedStyle(el);
      const clips = cs.overflowX !== 'visible' || cs.overflowY !== 'visible' || cs.textOverflow === 'ellipsis';
      const what = el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 60) + '"';
      if (clips && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) problems.push(what + ': cut (content ' + el.scrollWidth + '×' + el.scrollHeight + ' in ' + el.clientWidth + '×' + el.clientHeight + ')');
      if (r.left < -1 || r.right > innerWidth + 1) problems.push(what + ': outside the window (' + Math.round(r.left) + '–' + Math.round(r.right) + ' of ' + innerWidth + ')');
    }
    const nav = document.querySelector('nav.sidebar').getBoundingClientRect();
    if (nav.bottom > innerHeight + 1) problems.push('the sidebar ends at ' + Math.round(nav.bottom) + ', below the window (' + innerHeight + '): the notices push the screens off it');
    if (document.scrollingElement.scrollHeight > innerHeight + 1) problems.push('the page scrolls (' + document.scrollingElement.scrollHeight + ' > ' + innerHeight + ')');
    report({ lang: document.documentElement.lang, notices, checked, problems });`, words.restarts))
		shot := filepath.Join(shots, fmt.Sprintf("loop-failure-%s.png", lang))
		savePNG(t, screenshot(t, display), shot)
		t.Logf("%s: %d boxes measured, notices %+v; screenshot %s", lang, r.Checked, r.Notices, shot)
		if r.Lang != lang {
			t.Errorf("the page is in %q, want %q", r.Lang, lang)
		}
		for _, p := range r.Problems {
			t.Errorf("%s: %s", lang, p)
		}
		if r.Checked < 4 {
			t.Errorf("%s: %d boxes measured: not the notices the test meant", lang, r.Checked)
		}
		seen := map[string]bool{}
		for _, n := range r.Notices {
			seen[n.Loop] = true
			switch n.Loop {
			case "crisis":
				for _, want := range []string{words.crisis, words.restarts} {
					if !strings.Contains(n.Text, want) {
						t.Errorf("%s: the crisis notice reads %q, without %q", lang, n.Text, want)
					}
				}
				if !strings.Contains(n.Text, words.restartAt) && !strings.Contains(n.Text, words.restartNow) {
					t.Errorf("%s: the crisis notice reads %q, without %q or %q", lang, n.Text, words.restartAt, words.restartNow)
				}
				if n.State != "restarting" {
					t.Errorf("%s: the crisis notice's state is %q, want restarting", lang, n.State)
				}
				if !strings.Contains(n.Detail, "e2e: crisis made to fail") {
					t.Errorf("%s: the crisis notice's details read %q, not Go's panic", lang, n.Detail)
				}
			case "sync":
				for _, want := range []string{words.sync, words.stopped} {
					if !strings.Contains(n.Text, want) {
						t.Errorf("%s: the sync notice reads %q, without %q", lang, n.Text, want)
					}
				}
				if n.State != "stopped" {
					t.Errorf("%s: the sync notice's state is %q, want stopped", lang, n.State)
				}
				if strings.Contains(n.Text, words.restarts) {
					t.Errorf("%s: the sync notice counts restarts it never had: %q", lang, n.Text)
				}
			default:
				t.Errorf("%s: a notice for loop %q, which did not fail", lang, n.Loop)
			}
		}
		if !seen["crisis"] || !seen["sync"] {
			t.Errorf("%s: notices for %v, want crisis and sync", lang, seen)
		}

		h := w.loopsScript(t, "hide", lang, `
    (await wait('[data-role=loop-health] [data-loop=sync] button.close')).click();
    // Longer than a crisis restart: its new failure must not bring the hidden sync notice back.
    await new Promise((r) => setTimeout(r, 6000));
    report({ lang: document.documentElement.lang, shown: [...document.querySelectorAll('[data-role=loop-health] [data-loop]')].map((n) => n.dataset.loop) });`)
		if strings.Join(h.Shown, ",") != "crisis" {
			t.Errorf("%s: after hiding the sync notice the loops shown are %q, want just crisis", lang, h.Shown)
		}
	}
}

// loopsScript runs steps in the page in lang and returns their report.
func (w *evalWindow) loopsScript(t *testing.T, name, lang, steps string) loopsResult {
	t.Helper()
	return langScript[loopsResult](t, w, "loops-result", loopsResultRE, name, lang, steps)
}
