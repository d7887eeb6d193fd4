package teamclient

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/stormdesk/stormdesk/backend/apperr"
)

// offlinePage is what the window shows when it opens the team's page (a
// navigation, not a call) and the server cannot be asked: the page itself
// comes from the server, so without one there is nothing else to show. It
// tries again by itself while the server is unreachable. It is also what the
// window shows when the server refuses the member (token revoked, member
// disabled), then with "Join again", which leaves the team. The words follow the
// frontend's three languages (frontend/src/lib/i18n.errors.ts says the same).
var offlinePage = template.Must(template.New("offline").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Stormdesk</title>
{{if .Retry}}<meta http-equiv="refresh" content="5">{{end}}
<style>body{font:15px system-ui,sans-serif;margin:0;display:flex;align-items:center;justify-content:center;height:100vh;color:#1c1f24;background:#f6f7f9}
main{max-width:520px;padding:24px}code{word-break:break-all}</style></head>
<body><main data-code="{{.Code}}">
<h1 id="t"></h1><p id="n"></p>{{if .Old}}<p><code>{{.Old}}</code> → <code>{{.New}}</code></p>{{end}}
{{if .Rejoin}}<p><button type="button" id="j" data-action="join-again"></button></p>{{end}}
</main>
<script>
var words = {
  en: {{.En}},
  ru: {{.Ru}},
  de: {{.De}}
};
var l = (navigator.language || 'en').slice(0, 2);
var w = words[l] || words.en;
document.getElementById('t').textContent = w[0];
document.getElementById('n').textContent = w[1];
document.documentElement.lang = words[l] ? l : 'en';
var j = document.getElementById('j');
if (j) {
  j.textContent = w[2];
  j.focus();
  // The desktop answers this itself: it forgets the team and shows its Join screen.
  j.onclick = function () {
    fetch('/bridge/call/JoinService/Leave', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' });
  };
}
</script></body></html>
`))

// offlineWords are the title and the next step per code and language (and,
// where the way on is joining again, the button's label).
var offlineWords = map[string]map[string][]string{
	apperr.CodeServerUnreachable: {
		"en": {"The team server does not answer.", "Check the network; Stormdesk keeps retrying."},
		"ru": {"Сервер команды не отвечает.", "Проверьте сеть; Stormdesk продолжает попытки."},
		"de": {"Der Team-Server antwortet nicht.", "Prüfen Sie das Netzwerk; Stormdesk versucht es weiter."},
	},
	apperr.CodeServerCertChanged: {
		"en": {"The team server shows a different certificate than when you joined.", "Do not continue unless your admin replaced it. Restart Stormdesk to leave the team and join again."},
		"ru": {"Сервер команды показывает другой сертификат, чем при подключении.", "Не продолжайте, если администратор его не менял. Перезапустите Stormdesk, чтобы выйти из команды и подключиться снова."},
		"de": {"Der Team-Server zeigt ein anderes Zertifikat als beim Beitritt.", "Fahren Sie nur fort, wenn Ihr Admin es ersetzt hat. Starten Sie Stormdesk neu, um das Team zu verlassen und erneut beizutreten."},
	},
	apperr.CodeServerUntrusted: {
		"en": {"This computer does not trust the team server's certificate.", "Restart Stormdesk to leave the team and join again."},
		"ru": {"Этот компьютер не доверяет сертификату сервера команды.", "Перезапустите Stormdesk, чтобы выйти из команды и подключиться снова."},
		"de": {"Dieser Computer vertraut dem Zertifikat des Team-Servers nicht.", "Starten Sie Stormdesk neu, um das Team zu verlassen und erneut beizutreten."},
	},
	apperr.CodeMemberDisabled: {
		"en": {"Your access to this team was disabled.", "Ask a team admin to enable it again, or join again with a new invitation.", "Join again"},
		"ru": {"Ваш доступ к команде отключён.", "Попросите администратора команды включить его снова или подключитесь заново по новому приглашению.", "Подключиться заново"},
		"de": {"Ihr Zugang zu diesem Team wurde deaktiviert.", "Bitten Sie jemanden mit Admin-Rolle, ihn wieder zu aktivieren, oder treten Sie mit einer neuen Einladung erneut bei.", "Erneut beitreten"},
	},
	apperr.CodeTokenRefused: {
		"en": {"The team server no longer accepts this desktop’s access: it was revoked or has expired.", "Join the team again with a new invitation or access token.", "Join again"},
		"ru": {"Сервер команды больше не принимает доступ этого компьютера: он отозван или истёк.", "Подключитесь к команде снова с новым приглашением или токеном доступа.", "Подключиться заново"},
		"de": {"Der Team-Server nimmt den Zugang dieses Computers nicht mehr an: Er wurde widerrufen oder ist abgelaufen.", "Treten Sie dem Team mit einer neuen Einladung oder einem neuen Zugangstoken erneut bei.", "Erneut beitreten"},
	},
}

// wantsPage reports whether r is the window opening a page rather than a
// script's call: it is answered with offlinePage instead of JSON.
func wantsPage(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html")
}

func writeOfflinePage(w http.ResponseWriter, status int, coded *apperr.Error) {
	words, ok := offlineWords[coded.Code]
	if !ok {
		words = offlineWords[apperr.CodeServerUnreachable]
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = offlinePage.Execute(w, map[string]any{
		"Code": coded.Code, "Retry": coded.Code == apperr.CodeServerUnreachable, "Rejoin": len(words["en"]) > 2,
		"Old": coded.Params["old"], "New": coded.Params["new"],
		"En": words["en"], "Ru": words["ru"], "De": words["de"],
	})
}
