package webbridge

import (
	"html/template"
	"net/http"
	"strings"
)

// joinWords are the join page's strings per language. The page is served
// without a token, before the app (and its translations) may load, so it
// carries its own; the desktop's Join screen is the app's.
var joinWords = map[string]map[string]string{
	"en": {
		"title": "Join the team", "intro": "You were invited to this team's Stormdesk. Choose your name, and a password if you want to sign in with one later.",
		"code": "Invitation code", "name": "Your name", "nameFixed": "(an invitation that names you keeps that name)", "password": "Password (optional, at least 12 characters)",
		"join": "Join", "invite-invalid": "This invitation code does not work: it is unknown, used, revoked or expired. Ask a team admin for a new one.",
		"name-taken": "A member of this team already has that name. Choose another.", "login-limited": "Too many attempts. Wait a few minutes, then try again.",
		"invalid-input": "Check the fields: a name is needed unless the invitation sets one, and a password has at least 12 characters.",
		"failed":        "Joining did not work. Try again.",
	},
	"ru": {
		"title": "Присоединиться к команде", "intro": "Вас пригласили в Stormdesk этой команды. Выберите имя и, если хотите входить по паролю, пароль.",
		"code": "Код приглашения", "name": "Ваше имя", "nameFixed": "(если приглашение называет вас, останется его имя)", "password": "Пароль (необязательно, не короче 12 символов)",
		"join": "Присоединиться", "invite-invalid": "Код приглашения не действует: он неизвестен, использован, отозван или истёк. Попросите администратора о новом.",
		"name-taken": "В этой команде уже есть участник с таким именем. Выберите другое.", "login-limited": "Слишком много попыток. Подождите несколько минут и повторите.",
		"invalid-input": "Проверьте поля: имя нужно, если приглашение его не задаёт, а пароль — не короче 12 символов.",
		"failed":        "Присоединиться не удалось. Повторите.",
	},
	"de": {
		"title": "Dem Team beitreten", "intro": "Sie wurden in das Stormdesk dieses Teams eingeladen. Wählen Sie Ihren Namen und, wenn Sie sich später mit Passwort anmelden möchten, ein Passwort.",
		"code": "Einladungscode", "name": "Ihr Name", "nameFixed": "(nennt die Einladung Sie, bleibt deren Name)", "password": "Passwort (optional, mindestens 12 Zeichen)",
		"join": "Beitreten", "invite-invalid": "Dieser Einladungscode gilt nicht: Er ist unbekannt, benutzt, widerrufen oder abgelaufen. Bitten Sie einen Team-Admin um einen neuen.",
		"name-taken": "Ein Mitglied dieses Teams hat diesen Namen bereits. Wählen Sie einen anderen.", "login-limited": "Zu viele Versuche. Warten Sie einige Minuten und versuchen Sie es dann erneut.",
		"invalid-input": "Prüfen Sie die Felder: Ein Name ist nötig, wenn die Einladung keinen festlegt, und ein Passwort hat mindestens 12 Zeichen.",
		"failed":        "Der Beitritt hat nicht geklappt. Versuchen Sie es erneut.",
	},
}

// joinLang is the first of the request's languages the page speaks (English otherwise).
func joinLang(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if _, ok := joinWords[base]; ok {
			return base
		}
	}
	return "en"
}

// joinPage is the page an invitation link opens: a form that POSTs /join
// and, once joined (the answer sets the session cookie), opens the app.
var joinPage = template.Must(template.New("join").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{index .W "title"}} · Stormdesk</title>
<style>body{font:15px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
label{display:block;margin:1rem 0 .25rem}input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}
button{margin-top:1.25rem;padding:.5rem 1.25rem;font:inherit}#err{color:#b42318}small{color:#59636e}</style></head>
<body><h1>{{index .W "title"}}</h1><p>{{index .W "intro"}}</p>
<form id="join"><label for="code">{{index .W "code"}}</label><input id="code" name="code" required autocomplete="off" value="{{.Code}}">
<label for="name">{{index .W "name"}} <small>{{index .W "nameFixed"}}</small></label><input id="name" name="name" autocomplete="name">
<label for="password">{{index .W "password"}}</label><input id="password" name="password" type="password" minlength="12" autocomplete="new-password">
<button type="submit">{{index .W "join"}}</button><p id="err" role="alert"></p></form>
<script>
const words = {{.W}};
document.getElementById('join').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.target, err = document.getElementById('err');
  err.textContent = '';
  const body = { code: f.code.value, name: f.name.value, password: f.password.value };
  try {
    const r = await fetch('/join', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (r.ok) { location.replace('/'); return; }
    const text = (await r.json()).error || '';
    const code = (/"code":"([a-z-]+)"/.exec(text) || [])[1];
    err.textContent = words[code] || words.failed;
  } catch (e) {
    err.textContent = words.failed;
  }
});
</script></body></html>
`))

// serveJoinPage answers GET /join?code=…, the invitation link.
func (t *Team) serveJoinPage(w http.ResponseWriter, r *http.Request) {
	lang := joinLang(r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = joinPage.Execute(w, struct {
		Lang, Code string
		W          map[string]string
	}{lang, r.URL.Query().Get("code"), joinWords[lang]})
}
