package demo

import "github.com/stormdesk/stormdesk/backend/inbox"

// lang is a message language. Text tables are indexed by it.
type lang int

const (
	en lang = iota
	de
	ru
)

// domain is what a brand sells; it picks the complaint topics.
type domain int

const (
	rail domain = iota
	air
	telecom
)

// byLang holds variants of one text in each language.
type byLang [3][]string

// topic is one kind of customer message for a domain, with everything needed to
// write it, label it and answer it. Placeholders in braces are filled per
// message (see slots). reply[l][i % len(reply[l])] answers text[l][i].
type topic struct {
	tag       string
	sentiment inbox.Sentiment
	weight    int
	text      byLang
	subject   byLang
	reply     byLang
}

var topics = map[domain][]topic{
	rail: {
		{tag: "delay", sentiment: inbox.SentimentNegative, weight: 22,
			text: byLang{
				en: {
					"Train {train} from {from} to {to} is {mins} late again and I missed my connection.",
					"We've been stuck outside {to} for {mins} with no announcement at all. What is going on?",
					"{train} at {time}: first 10 minutes, then 30, now {mins} delay. I'll be late for my meeting.",
					"Every single morning the {train} is late. Today {mins} into {to}.",
				},
				de: {
					"Der {train} von {from} nach {to} hat mal wieder {mins} Verspätung. Anschluss natürlich weg.",
					"Seit {mins} stehen wir kurz vor {to} auf freier Strecke. Keine einzige Durchsage. Was ist da los?",
					"{train} heute um {time} ab {from}: erst 10 Minuten, dann 30, jetzt {mins} Verspätung. Ich komme zu spät zur Arbeit.",
					"Jeden Morgen dasselbe mit dem {train}. Heute {mins} später in {to}. So kann man nicht pendeln.",
					"Wegen {mins} Verspätung habe ich meinen Anschluss in {to} verpasst und sitze jetzt hier fest.",
				},
				ru: {
					"Поезд {train} {from} — {to} опять опаздывает на {mins}. Пересадку, конечно, пропустили.",
					"Стоим в поле уже {mins}, никаких объявлений. Что происходит?",
					"{train} в {time}: сначала задержка 10 минут, потом 30, теперь {mins}. Опаздываю на работу.",
				},
			},
			subject: byLang{
				en: {"Delay on {train} – compensation", "Missed connection because of a delay"},
				de: {"Verspätung {train} – Entschädigung", "Anschluss verpasst wegen Verspätung"},
				ru: {"Опоздание поезда {train}", "Пропущенная пересадка из-за задержки"},
			},
			reply: byLang{
				en: {
					"We're really sorry about the delay on {train}, {first}. From 60 minutes' delay you get 25% of the fare back; you can claim it in the app under “Passenger rights”.",
					"Sorry for the wait today. The delay was caused by a signal failure near {to}. Please keep your ticket, you can claim compensation online.",
				},
				de: {
					"Das tut uns sehr leid, {first}. Ab 60 Minuten Verspätung erhalten Sie 25 % des Fahrpreises zurück – einfach in der App unter „Fahrgastrechte“ beantragen.",
					"Entschuldigen Sie bitte die Verspätung. Ursache war eine Signalstörung bei {to}. Bitte heben Sie Ihr Ticket auf, die Entschädigung können Sie online beantragen.",
				},
				ru: {
					"Приносим извинения за задержку, {first}. При опоздании от 60 минут можно вернуть 25 % стоимости билета: заявка подаётся в приложении, раздел «Права пассажиров».",
					"Извините за ожидание. Задержка возникла из-за неисправности сигнализации. Сохраните билет — компенсацию можно оформить онлайн.",
				},
			}},
		{tag: "cancellation", sentiment: inbox.SentimentNegative, weight: 10,
			text: byLang{
				en: {
					"The {time} {train} from {from} was cancelled without any replacement. What now?",
					"Third cancellation on the {from} – {to} line this week. Unacceptable.",
					"Why do I only find out on the platform that {train} isn't running today? The app showed nothing.",
				},
				de: {
					"Der {train} um {time} ab {from} fällt ersatzlos aus. Und jetzt? Der nächste Zug ist voll.",
					"Zugausfall auf der Strecke {from} – {to}, schon der dritte diese Woche. Ich bin echt bedient.",
					"Warum erfahre ich erst am Bahnsteig, dass der {train} heute gar nicht fährt? Die App zeigt nichts an.",
				},
				ru: {
					"Поезд {train} ({from} — {to}) в {time} отменили без замены. И что теперь?",
					"Третья отмена на линии {from} — {to} за неделю. Это недопустимо.",
					"Почему я узнаю на перроне, что {train} сегодня не идёт? В приложении ничего не было.",
				},
			},
			subject: byLang{
				en: {"Cancelled train {train}", "Train cancelled – no replacement"},
				de: {"Zugausfall {train}", "Ausgefallener Zug – keine Alternative"},
				ru: {"Отмена поезда {train}", "Поезд отменён без замены"},
			},
			reply: byLang{
				en: {
					"We're sorry your train was cancelled, {first}. Your ticket is valid on any other train today, and we cover a taxi up to €80 if there is no connection after 11 pm.",
					"Apologies for the cancellation. Please send us your booking number by DM so we can arrange a refund or rebooking.",
				},
				de: {
					"Es tut uns leid, dass Ihr Zug ausgefallen ist, {first}. Ihr Ticket gilt heute in jedem anderen Zug; fährt nach 23 Uhr keine Verbindung mehr, übernehmen wir ein Taxi bis 80 €.",
					"Entschuldigung für den Ausfall. Schicken Sie uns bitte Ihre Buchungsnummer per Direktnachricht, dann kümmern wir uns um Erstattung oder Umbuchung.",
				},
				ru: {
					"Сожалеем, что поезд отменили, {first}. Сегодня ваш билет действует на любой другой поезд, а если после 23:00 поездов нет, мы оплатим такси до 80 €.",
					"Приносим извинения за отмену. Пришлите, пожалуйста, номер бронирования в личные сообщения — оформим возврат или замену билета.",
				},
			}},
		{tag: "refund", sentiment: inbox.SentimentNegative, weight: 10,
			text: byLang{
				en: {
					"I've been waiting {days} for my {amount} refund for the cancelled {train}. Where is my money?",
					"My compensation claim {ref} was rejected with no reason given.",
					"Submitted the refund form {days} ago and never heard back.",
				},
				de: {
					"Ich warte seit {days} auf meine Erstattung über {amount} für den ausgefallenen {train}. Wann kommt das Geld?",
					"Mein Fahrgastrechte-Antrag {ref} wurde ohne Begründung abgelehnt. Das lasse ich mir nicht gefallen.",
					"Habe vor {days} das Erstattungsformular eingereicht und nie wieder etwas gehört.",
				},
				ru: {
					"Уже {days} жду возврат {amount} за отменённый {train}. Где деньги?",
					"Мою заявку на компенсацию {ref} отклонили без объяснения причин.",
					"Отправил форму на возврат {days} назад — и тишина.",
				},
			},
			subject: byLang{
				en: {"Refund still not received ({ref})", "Compensation claim {ref}"},
				de: {"Erstattung noch nicht erhalten ({ref})", "Fahrgastrechte-Antrag {ref}"},
				ru: {"Возврат до сих пор не получен ({ref})", "Заявка на компенсацию {ref}"},
			},
			reply: byLang{
				en: {
					"Sorry it's taking so long, {first}. I've escalated your claim; you'll hear from us within 5 working days.",
					"Thanks for your patience. Please DM us your claim number and we'll check the status right away.",
				},
				de: {
					"Entschuldigen Sie die lange Wartezeit, {first}. Ich habe Ihren Antrag priorisiert, Sie erhalten innerhalb von 5 Werktagen eine Rückmeldung.",
					"Danke für Ihre Geduld. Schicken Sie uns bitte die Vorgangsnummer per Direktnachricht, wir prüfen den Status sofort.",
				},
				ru: {
					"Извините за долгое ожидание, {first}. Ваша заявка передана в приоритетную обработку, ответ придёт в течение 5 рабочих дней.",
					"Спасибо за терпение. Пришлите номер заявки в личные сообщения, и мы сразу проверим статус.",
				},
			}},
		{tag: "billing", sentiment: inbox.SentimentNegative, weight: 7,
			text: byLang{
				en: {
					"I was charged twice for ticket {ref}, {amount} each time. Please refund the duplicate.",
					"Why did my NordlichtCard subscription go up without any notice?",
					"My monthly invoice is wrong, I was overcharged by {amount}.",
				},
				de: {
					"Mir wurde das Ticket {ref} zweimal abgebucht, jeweils {amount}. Bitte sofort zurückbuchen.",
					"Warum kostet die NordlichtCard plötzlich mehr? Es gab keine Ankündigung.",
					"Die Rechnung für mein Abo stimmt nicht, mir wurden {amount} zu viel berechnet.",
				},
				ru: {
					"С меня дважды списали {amount} за билет {ref}. Верните, пожалуйста, лишнее.",
					"Почему подписка NordlichtCard подорожала без предупреждения?",
					"В счёте за месяц ошибка: списали на {amount} больше.",
				},
			},
			subject: byLang{
				en: {"Double charge for ticket {ref}", "Wrong invoice"},
				de: {"Doppelte Abbuchung Ticket {ref}", "Fehlerhafte Rechnung"},
				ru: {"Двойное списание за билет {ref}", "Ошибка в счёте"},
			},
			reply: byLang{
				en: {
					"Sorry about that, {first}. A double charge is usually a pending authorisation that drops off within 3 days. If it doesn't, send us your booking number and we'll refund it.",
					"Thanks for flagging this. Please DM us your customer number so we can check your invoice and payments.",
				},
				de: {
					"Das tut uns leid, {first}. Doppelte Abbuchungen sind meist nur Vormerkungen, die nach 3 Tagen verschwinden. Falls nicht, schicken Sie uns die Buchungsnummer, wir erstatten den Betrag.",
					"Danke für den Hinweis. Bitte senden Sie uns Ihre Kundennummer per Direktnachricht, wir prüfen Rechnung und Zahlungen.",
				},
				ru: {
					"Извините, {first}. Двойное списание обычно оказывается блокировкой средств, которая снимается за 3 дня. Если нет — пришлите номер бронирования, и мы вернём деньги.",
					"Спасибо, что сообщили. Пришлите в личные сообщения номер клиента, мы проверим счёт и платежи.",
				},
			}},
		{tag: "staff", sentiment: inbox.SentimentNegative, weight: 6,
			text: byLang{
				en: {
					"The conductor on {train} was incredibly rude and shouted at me in front of everyone.",
					"Staff at the {from} ticket desk just walked away mid-conversation. Terrible service.",
					"Got threatened with a fine even though my mobile ticket was valid.",
				},
				de: {
					"Der Zugbegleiter im {train} war unglaublich unfreundlich und hat mich vor allen angeschrien.",
					"Am Schalter in {from} wurde ich einfach stehen gelassen. So geht man nicht mit Kunden um.",
					"Die Schaffnerin hat mir eine Strafe angedroht, obwohl mein Handyticket gültig war.",
				},
				ru: {
					"Проводник в {train} вёл себя по-хамски и накричал на меня при всех.",
					"В кассе на вокзале со мной просто отказались разговаривать.",
					"Контролёр грозил штрафом, хотя мой электронный билет был действителен.",
				},
			},
			subject: byLang{
				en: {"Complaint about staff on {train}", "Rude treatment at the station"},
				de: {"Beschwerde über Personal im {train}", "Unfreundliche Behandlung am Bahnhof"},
				ru: {"Жалоба на персонал поезда {train}", "Грубое обращение на вокзале"},
			},
			reply: byLang{
				en: {
					"That's not how we want to treat our passengers, {first}. I'm sorry. I've passed your feedback to the team lead on that route.",
					"We're sorry to hear this. Could you DM us the date, time and place so we can follow up with the team?",
				},
				de: {
					"So wollen wir mit unseren Fahrgästen nicht umgehen, {first}. Das tut mir leid. Ich habe Ihr Feedback an die Teamleitung weitergegeben.",
					"Das tut uns leid zu hören. Schicken Sie uns bitte Datum, Uhrzeit und Ort per Direktnachricht, damit wir das mit dem Team klären können.",
				},
				ru: {
					"Так с пассажирами обращаться нельзя, {first}. Приносим извинения. Ваш отзыв передан руководителю бригады.",
					"Очень жаль это слышать. Напишите, пожалуйста, в личные сообщения дату, время и место, чтобы мы разобрались.",
				},
			}},
		{tag: "comfort", sentiment: inbox.SentimentNegative, weight: 8,
			text: byLang{
				en: {
					"No Wi-Fi again on {train}, the AC is off and it's boiling in coach 5.",
					"My reserved seat doesn't exist, coach 7 is simply missing. Standing all the way to {to}.",
					"All toilets on {train} are locked. On a {mins} journey.",
				},
				de: {
					"Im {train} gibt es mal wieder kein WLAN, die Klimaanlage ist aus und es sind 30 Grad im Wagen.",
					"Reservierter Platz weg, Wagen 7 fehlt einfach. Ich stehe jetzt bis {to} im Gang.",
					"Die Toiletten im {train} sind alle gesperrt. Bei {mins} Fahrt eine Zumutung.",
				},
				ru: {
					"В {train} опять нет Wi-Fi, кондиционер не работает, в вагоне жара.",
					"Моего места по брони не существует, седьмого вагона просто нет. Еду стоя.",
					"Все туалеты в {train} закрыты. И это на поездке длиной {mins}.",
				},
			},
			subject: byLang{
				en: {"Conditions on board {train}", "Reserved seat missing"},
				de: {"Zustand im {train}", "Reservierter Platz nicht vorhanden"},
				ru: {"Условия в поезде {train}", "Нет забронированного места"},
			},
			reply: byLang{
				en: {
					"Sorry about the conditions on board, {first}. I've reported it to our fleet team so the coach is checked at the next depot stop.",
					"Apologies! If your reserved seat was missing, the reservation fee is refunded automatically.",
				},
				de: {
					"Entschuldigen Sie die Zustände an Bord, {first}. Ich habe es an unser Fahrzeugteam gemeldet, der Wagen wird beim nächsten Werkstatthalt geprüft.",
					"Das tut uns leid! Bei fehlendem reservierten Platz erstatten wir die Reservierungsgebühr automatisch.",
				},
				ru: {
					"Извините за неудобства в поезде, {first}. Мы передали информацию техническим службам, вагон проверят при следующем заходе в депо.",
					"Приносим извинения! Если забронированного места не было, плата за бронь возвращается автоматически.",
				},
			}},
		{tag: "question", sentiment: inbox.SentimentNeutral, weight: 20,
			text: byLang{
				en: {
					"Can I take my bike on the {train} from {from} to {to}? Do I need a reservation?",
					"Is my ticket valid on an earlier train if mine is cancelled?",
					"How do I cancel my NordlichtCard?",
					"Is there a bistro car on the {train}?",
				},
				de: {
					"Kann ich mit meinem Fahrrad im {train} von {from} nach {to} mitfahren? Braucht man eine Reservierung?",
					"Gilt mein Ticket auch für einen früheren Zug, wenn meiner ausfällt?",
					"Wie kann ich meine NordlichtCard kündigen?",
					"Gibt es im {train} ein Bordbistro?",
				},
				ru: {
					"Можно ли провезти велосипед в поезде {train} {from} — {to}? Нужна ли бронь?",
					"Действует ли мой билет на более ранний поезд, если мой отменят?",
					"Как отказаться от подписки NordlichtCard?",
					"Есть ли в поезде {train} вагон-бистро?",
				},
			},
			subject: byLang{
				en: {"Question about my trip", "Quick question"},
				de: {"Frage zu meiner Reise", "Kurze Frage"},
				ru: {"Вопрос о поездке", "Вопрос"},
			},
			reply: byLang{
				en: {
					"Yes, the {train} has bike spaces. Please book one in the app under “Bike”, the reservation costs €3.",
					"Yes. If your train is cancelled or expected to be more than 20 minutes late, you may take any other train.",
					"You can cancel the NordlichtCard in your customer account under “Subscriptions” up to six weeks before it ends.",
					"Yes, the bistro is in coach 5 and open until 9 pm.",
				},
				de: {
					"Ja, im {train} gibt es Fahrradstellplätze. Bitte reservieren Sie vorab in der App unter „Fahrrad“, die Reservierung kostet 3 €.",
					"Ja. Bei Ausfall oder mehr als 20 Minuten erwarteter Verspätung ist die Zugbindung aufgehoben, Sie dürfen einen anderen Zug nehmen.",
					"Sie können die NordlichtCard bis sechs Wochen vor Ablauf im Kundenkonto unter „Abos“ kündigen.",
					"Ja, das Bordbistro befindet sich in Wagen 5 und ist bis 21 Uhr geöffnet.",
				},
				ru: {
					"Да, в поезде {train} есть места для велосипедов. Забронируйте место в приложении в разделе «Велосипед», бронь стоит 3 €.",
					"Да. Если поезд отменён или ожидается опоздание больше 20 минут, можно ехать любым другим поездом.",
					"Отказаться от NordlichtCard можно в личном кабинете в разделе «Подписки» не позднее чем за шесть недель до окончания.",
					"Да, бистро находится в 5-м вагоне и работает до 21:00.",
				},
			}},
		{tag: "praise", sentiment: inbox.SentimentPositive, weight: 12,
			text: byLang{
				en: {
					"Huge thanks to the crew on {train} today! On time, clean and really friendly.",
					"The conductor helped me with my stroller, thank you so much! 🙏",
					"Arrived in {to} right on time. Keep it up!",
				},
				de: {
					"Großes Lob an das Team im {train} heute! Pünktlich, sauber und super freundlich.",
					"Die Zugbegleiterin hat mir mit meinem Kinderwagen geholfen, danke dafür! 🙏",
					"Endlich mal pünktlich in {to}. Weiter so, Nordlicht Bahn!",
				},
				ru: {
					"Спасибо бригаде поезда {train}! Вовремя, чисто и очень вежливо.",
					"Проводница помогла с коляской, огромное спасибо! 🙏",
					"Наконец-то приехали вовремя. Так держать!",
				},
			},
			subject: byLang{
				en: {"Thank you!", "Compliment for your staff"},
				de: {"Ein Lob!", "Dank an Ihr Team"},
				ru: {"Спасибо!", "Благодарность персоналу"},
			},
			reply: byLang{
				en: {"Thank you so much, {first}! I'll pass this on to the crew 😊", "That's lovely to hear, thanks for travelling with us!"},
				de: {"Vielen Dank, {first}! Das geben wir gern an das Team weiter 😊", "Wie schön, danke, dass Sie mit uns fahren!"},
				ru: {"Большое спасибо, {first}! Обязательно передадим бригаде 😊", "Очень приятно, спасибо, что выбираете нас!"},
			}},
	},

	air: {
		{tag: "delay", sentiment: inbox.SentimentNegative, weight: 20,
			text: byLang{
				en: {
					"Flight {flight} from {from} to {to} delayed {hours} and counting. Nobody at the gate knows anything.",
					"Sitting on the tarmac in {from} for {mins} now. No water, no updates.",
					"{flight} delayed AGAIN. That's my third delayed Aurora flight this month.",
					"Our {time} flight to {to} now shows a delay of {hours} and the app still says on time.",
				},
				de: {
					"Flug {flight} von {from} nach {to} hat schon {hours} Verspätung, und am Gate weiß niemand etwas.",
					"Wir sitzen seit {mins} im Flieger in {from}. Kein Wasser, keine Info.",
					"{flight} schon wieder verspätet. Dritter verspäteter Aurora-Flug in diesem Monat.",
				},
				ru: {
					"Рейс {flight} {from} — {to} задерживается уже на {hours}, у выхода на посадку никто ничего не знает.",
					"Сидим в самолёте уже {mins}. Ни воды, ни информации.",
					"{flight} опять задержали. Третья задержка Aurora Air за месяц.",
				},
			},
			subject: byLang{
				en: {"Delayed flight {flight}", "Compensation for delay on {flight}"},
				de: {"Verspäteter Flug {flight}", "Entschädigung für Verspätung {flight}"},
				ru: {"Задержка рейса {flight}", "Компенсация за задержку рейса {flight}"},
			},
			reply: byLang{
				en: {
					"We're sorry for the delay on {flight}, {first}. It was caused by a late inbound aircraft. For delays over 3 hours you can request compensation at aurora-air.com/claims.",
					"Apologies for the wait and the lack of updates. Meal vouchers are available at the service desk next to gate B12.",
				},
				de: {
					"Es tut uns leid wegen der Verspätung von {flight}, {first}. Grund war die verspätete Ankunft der Maschine. Ab 3 Stunden Verspätung können Sie unter aurora-air.com/claims eine Entschädigung beantragen.",
					"Entschuldigen Sie die Wartezeit und die fehlenden Informationen. Verpflegungsgutscheine gibt es am Serviceschalter neben Gate B12.",
				},
				ru: {
					"Приносим извинения за задержку рейса {flight}, {first}. Причина — позднее прибытие самолёта. При задержке более 3 часов компенсацию можно запросить на aurora-air.com/claims.",
					"Извините за ожидание и отсутствие информации. Талоны на питание выдают у стойки рядом с выходом B12.",
				},
			}},
		{tag: "cancellation", sentiment: inbox.SentimentNegative, weight: 8,
			text: byLang{
				en: {
					"{flight} to {to} cancelled at the gate, rebooked for tomorrow evening. I have a wedding to attend!",
					"You cancelled my flight and the hotline wait is {hours}. How am I supposed to rebook?",
					"Cancelled {flight} and no hotel voucher. We're sleeping at {from} airport with two kids.",
				},
				de: {
					"{flight} nach {to} am Gate gestrichen, umgebucht auf morgen Abend. Ich muss auf eine Hochzeit!",
					"Ihr habt meinen Flug gestrichen und in der Hotline wartet man {hours}. Wie soll ich umbuchen?",
					"Flug annulliert, kein Hotelgutschein. Wir schlafen mit zwei Kindern am Flughafen {from}.",
				},
				ru: {
					"{flight} отменили прямо у выхода на посадку и перенесли на завтрашний вечер. У меня свадьба!",
					"Вы отменили мой рейс, а на горячей линии ждать {hours}. Как мне перебронироваться?",
					"Рейс отменён, гостиницу не дали. Ночуем в аэропорту с двумя детьми.",
				},
			},
			subject: byLang{
				en: {"Flight {flight} cancelled", "Rebooking after cancellation"},
				de: {"Flug {flight} annulliert", "Umbuchung nach Annullierung"},
				ru: {"Рейс {flight} отменён", "Перебронирование после отмены"},
			},
			reply: byLang{
				en: {
					"We're very sorry, {first}. I've rebooked you on the first flight tomorrow morning and added a hotel voucher to booking {ref}.",
					"Apologies for the cancellation. You can rebook for free in the app under “My trips”, or DM us your booking reference.",
				},
				de: {
					"Das tut uns sehr leid, {first}. Ich habe Sie auf den ersten Flug morgen früh umgebucht und einen Hotelgutschein zur Buchung {ref} hinzugefügt.",
					"Entschuldigen Sie die Annullierung. Sie können in der App unter „Meine Reisen“ kostenlos umbuchen oder uns die Buchungsnummer per Direktnachricht schicken.",
				},
				ru: {
					"Очень сожалеем, {first}. Мы перебронировали вас на первый рейс завтра утром и добавили ваучер на гостиницу к брони {ref}.",
					"Приносим извинения за отмену. Бесплатно перебронировать рейс можно в приложении в разделе «Мои поездки» или прислав нам номер брони в личные сообщения.",
				},
			}},
		{tag: "baggage", sentiment: inbox.SentimentNegative, weight: 12,
			text: byLang{
				en: {
					"My suitcase didn't arrive in {to}. File reference {ref}. It has my medication in it.",
					"My suitcase came off the belt in {to} with a broken handle and a torn side.",
					"Bag lost on {flight} {days} ago and the tracker still says “searching”.",
				},
				de: {
					"Mein Koffer ist in {to} nicht angekommen. Vorgangsnummer {ref}. Da sind meine Medikamente drin.",
					"Mein Koffer kam in {to} mit abgerissenem Griff vom Band.",
					"Gepäck auf {flight} vor {days} verloren, der Status steht immer noch auf „wird gesucht“.",
				},
				ru: {
					"Мой чемодан не прилетел. Номер заявки {ref}. Там мои лекарства.",
					"Чемодан выдали с оторванной ручкой и порванным боком.",
					"Багаж потеряли на рейсе {flight} {days} назад, статус до сих пор «ищем».",
				},
			},
			subject: byLang{
				en: {"Lost baggage – file {ref}", "Damaged suitcase"},
				de: {"Verlorenes Gepäck – Vorgang {ref}", "Beschädigter Koffer"},
				ru: {"Потерянный багаж — заявка {ref}", "Повреждённый чемодан"},
			},
			reply: byLang{
				en: {
					"So sorry, {first}. Your bag has been located and will be delivered to your address within 24 hours. You can follow it under file {ref}.",
					"Sorry about your suitcase. Please send us photos of the damage and your boarding pass by DM, we'll arrange a repair or replacement.",
				},
				de: {
					"Das tut uns sehr leid, {first}. Ihr Koffer wurde gefunden und wird innerhalb von 24 Stunden an Ihre Adresse geliefert. Den Stand sehen Sie unter Vorgang {ref}.",
					"Entschuldigen Sie den Schaden. Schicken Sie uns bitte Fotos und Ihre Bordkarte per Direktnachricht, wir kümmern uns um Reparatur oder Ersatz.",
				},
				ru: {
					"Очень сожалеем, {first}. Ваш чемодан найден и будет доставлен по вашему адресу в течение 24 часов. Статус можно отслеживать по заявке {ref}.",
					"Извините за повреждение. Пришлите фото и посадочный талон в личные сообщения — организуем ремонт или замену.",
				},
			}},
		{tag: "refund", sentiment: inbox.SentimentNegative, weight: 10,
			text: byLang{
				en: {
					"Still waiting on my {amount} refund for {flight}, it's been {days}.",
					"Why am I getting a voucher instead of the cash refund I asked for?",
					"You promised a refund within 7 days. It's been {days}. Booking {ref}.",
				},
				de: {
					"Ich warte seit {days} auf meine Erstattung von {amount} für {flight}.",
					"Warum bekomme ich einen Gutschein statt der Erstattung, die ich beantragt habe?",
					"Erstattung innerhalb von 7 Tagen versprochen – passiert ist seit {days} nichts. Buchung {ref}.",
				},
				ru: {
					"До сих пор жду возврат {amount} за рейс {flight}, прошло уже {days}.",
					"Почему мне дают ваучер вместо возврата денег?",
					"Обещали вернуть деньги за 7 дней, прошло {days}. Бронь {ref}.",
				},
			},
			subject: byLang{
				en: {"Refund for booking {ref}", "Where is my refund?"},
				de: {"Erstattung Buchung {ref}", "Wo bleibt meine Erstattung?"},
				ru: {"Возврат по брони {ref}", "Где мой возврат?"},
			},
			reply: byLang{
				en: {
					"Sorry for the wait, {first}. Your refund for {ref} was approved today; it can take up to 5 business days to show on your card.",
					"You're entitled to a cash refund. I've switched your voucher to a refund to the original payment method.",
				},
				de: {
					"Entschuldigen Sie die Wartezeit, {first}. Ihre Erstattung für {ref} wurde heute freigegeben; bis zur Gutschrift auf der Karte können bis zu 5 Werktage vergehen.",
					"Sie haben Anspruch auf eine Erstattung. Ich habe den Gutschein in eine Rückzahlung auf das ursprüngliche Zahlungsmittel umgewandelt.",
				},
				ru: {
					"Извините за ожидание, {first}. Возврат по брони {ref} одобрен сегодня; деньги поступят на карту в течение 5 рабочих дней.",
					"Вы имеете право на возврат денег. Мы заменили ваучер на возврат на исходный способ оплаты.",
				},
			}},
		{tag: "billing", sentiment: inbox.SentimentNegative, weight: 6,
			text: byLang{
				en: {
					"Charged twice for booking {ref}, {amount} each. Please fix.",
					"Paid {amount} for seat selection and then got moved to a middle seat anyway.",
					"Your website charged my card in euros with a conversion fee. That was never shown at checkout.",
				},
				de: {
					"Buchung {ref} wurde zweimal abgebucht, jeweils {amount}. Bitte korrigieren.",
					"{amount} für die Sitzplatzwahl bezahlt und dann doch auf einen Mittelplatz gesetzt worden.",
					"Eure Website hat meine Karte in Dollar belastet, mit Umrechnungsgebühr. Das stand nirgends.",
				},
				ru: {
					"За бронь {ref} списали дважды по {amount}. Исправьте, пожалуйста.",
					"Заплатил {amount} за выбор места, а меня всё равно пересадили в середину ряда.",
					"Сайт списал деньги в долларах с комиссией за конвертацию. Об этом нигде не было сказано.",
				},
			},
			subject: byLang{
				en: {"Double charge on booking {ref}", "Seat fee refund"},
				de: {"Doppelte Belastung Buchung {ref}", "Erstattung Sitzplatzgebühr"},
				ru: {"Двойное списание по брони {ref}", "Возврат платы за место"},
			},
			reply: byLang{
				en: {
					"Sorry about that, {first}. I've asked our payments team to review booking {ref}; anything charged in error is refunded within 3–5 business days.",
					"You're right, the seat fee should be refunded if we move you. I've requested it, you'll get a confirmation e-mail.",
				},
				de: {
					"Das tut uns leid, {first}. Ich habe unser Zahlungsteam gebeten, die Buchung {ref} zu prüfen; zu viel Belastetes wird innerhalb von 3–5 Werktagen erstattet.",
					"Sie haben recht, die Sitzplatzgebühr wird erstattet, wenn wir Sie umsetzen. Ich habe das veranlasst, Sie bekommen eine Bestätigung per E-Mail.",
				},
				ru: {
					"Извините, {first}. Мы передали бронь {ref} на проверку в платёжный отдел; ошибочно списанные деньги вернутся в течение 3–5 рабочих дней.",
					"Вы правы: если мы пересаживаем пассажира, плата за место возвращается. Заявка оформлена, подтверждение придёт на почту.",
				},
			}},
		{tag: "staff", sentiment: inbox.SentimentNegative, weight: 6,
			text: byLang{
				en: {
					"The gate agent in {from} was unbelievably rude to an elderly passenger. Shameful.",
					"Flight attendants on {flight} ignored my call button for an hour.",
					"Check-in staff told me to “deal with it” when I asked about my connection.",
				},
				de: {
					"Die Mitarbeiterin am Gate in {from} war unglaublich unhöflich zu einer älteren Dame.",
					"Die Flugbegleiter auf {flight} haben meinen Rufknopf eine Stunde lang ignoriert.",
					"Am Check-in hieß es nur „Ihr Problem“, als ich nach meinem Anschlussflug fragte.",
				},
				ru: {
					"Сотрудница у выхода на посадку нахамила пожилой пассажирке. Позор.",
					"Бортпроводники на рейсе {flight} час игнорировали кнопку вызова.",
					"На регистрации мне ответили «это ваши проблемы», когда я спросил про стыковку.",
				},
			},
			subject: byLang{
				en: {"Complaint about staff on {flight}", "Rude treatment at check-in"},
				de: {"Beschwerde über Personal auf {flight}", "Unhöfliche Behandlung am Check-in"},
				ru: {"Жалоба на персонал рейса {flight}", "Грубость на регистрации"},
			},
			reply: byLang{
				en: {
					"This is not the service we stand for, {first}. I'm sorry. I've shared your report with the station manager.",
					"We're sorry to hear this. Could you DM us your booking reference so we can follow up with the crew?",
				},
				de: {
					"Das ist nicht der Service, für den wir stehen, {first}. Es tut mir leid. Ich habe Ihren Bericht an die Stationsleitung weitergegeben.",
					"Das tut uns leid zu hören. Schicken Sie uns bitte die Buchungsnummer per Direktnachricht, damit wir mit der Crew sprechen können.",
				},
				ru: {
					"Это не тот сервис, который мы хотим предлагать, {first}. Приносим извинения. Ваше обращение передано руководителю станции.",
					"Очень жаль это слышать. Пришлите, пожалуйста, номер брони в личные сообщения, чтобы мы поговорили с экипажем.",
				},
			}},
		{tag: "question", sentiment: inbox.SentimentNeutral, weight: 22,
			text: byLang{
				en: {
					"Can I bring a guitar as cabin baggage on {flight}?",
					"How early does check-in open for flights to {to}?",
					"Do you have vegetarian meals on long-haul flights?",
					"My name is misspelled on booking {ref}. Can I fix it?",
				},
				de: {
					"Darf ich eine Gitarre als Handgepäck auf {flight} mitnehmen?",
					"Wann öffnet der Check-in für Flüge nach {to}?",
					"Gibt es auf Langstreckenflügen vegetarisches Essen?",
					"Mein Name ist in der Buchung {ref} falsch geschrieben. Kann ich das ändern?",
				},
				ru: {
					"Можно ли взять гитару в ручную кладь на рейс {flight}?",
					"За сколько открывается регистрация на рейсы до {to}?",
					"Есть ли вегетарианское питание на дальних рейсах?",
					"В брони {ref} ошибка в имени. Можно ли исправить?",
				},
			},
			subject: byLang{
				en: {"Question about my booking", "Question before my flight"},
				de: {"Frage zu meiner Buchung", "Frage vor meinem Flug"},
				ru: {"Вопрос по брони", "Вопрос перед полётом"},
			},
			reply: byLang{
				en: {
					"Yes, a guitar in a soft case counts as your cabin bag if it is under 115 cm. Larger instruments need their own seat.",
					"Online check-in opens 30 hours before departure; airport desks open 3 hours before international flights.",
					"Yes, you can order a vegetarian or vegan meal under “Manage booking” up to 24 hours before departure.",
					"Yes, small spelling corrections are free. Please DM us your booking reference and the name as in your passport.",
				},
				de: {
					"Ja, eine Gitarre in einer weichen Tasche gilt als Handgepäck, wenn sie kürzer als 115 cm ist. Größere Instrumente brauchen einen eigenen Sitzplatz.",
					"Der Online-Check-in öffnet 30 Stunden vor Abflug, die Schalter am Flughafen 3 Stunden vor internationalen Flügen.",
					"Ja, unter „Buchung verwalten“ können Sie bis 24 Stunden vor Abflug vegetarisches oder veganes Essen bestellen.",
					"Ja, kleine Korrekturen der Schreibweise sind kostenlos. Schicken Sie uns die Buchungsnummer und den Namen laut Reisepass per Direktnachricht.",
				},
				ru: {
					"Да, гитара в мягком чехле длиной до 115 см считается ручной кладью. Для инструментов побольше нужно купить отдельное место.",
					"Онлайн-регистрация открывается за 30 часов до вылета, стойки в аэропорту — за 3 часа до международных рейсов.",
					"Да, вегетарианское или веганское питание можно заказать в разделе «Управление бронированием» не позднее чем за 24 часа до вылета.",
					"Да, небольшие исправления бесплатны. Пришлите номер брони и имя как в паспорте в личные сообщения.",
				},
			}},
		{tag: "praise", sentiment: inbox.SentimentPositive, weight: 12,
			text: byLang{
				en: {
					"Shoutout to the crew on {flight}, they made my nervous daughter's first flight amazing ✈️",
					"Landed early in {to}, smooth flight, great coffee. Well done Aurora!",
					"Lost my phone on board and your team had it back to me the same day. Thank you!",
				},
				de: {
					"Großes Lob an die Crew auf {flight}, sie haben den ersten Flug meiner nervösen Tochter wunderbar gemacht ✈️",
					"Zu früh in {to} gelandet, ruhiger Flug, guter Kaffee. Gut gemacht, Aurora!",
					"Handy an Bord vergessen und euer Team hat es mir noch am selben Tag zurückgebracht. Danke!",
				},
				ru: {
					"Спасибо экипажу рейса {flight}, первый полёт моей дочки прошёл замечательно ✈️",
					"Приземлились раньше времени, мягкий полёт, вкусный кофе. Отличная работа, Aurora!",
					"Забыл телефон на борту, а ваша команда вернула его в тот же день. Спасибо!",
				},
			},
			subject: byLang{
				en: {"Thank you to your crew", "Great experience"},
				de: {"Dank an Ihre Crew", "Tolles Erlebnis"},
				ru: {"Спасибо экипажу", "Отличный полёт"},
			},
			reply: byLang{
				en: {"Thank you, {first}! We'll make sure the crew hears this ✈️", "That made our day, thanks for flying with us!"},
				de: {"Vielen Dank, {first}! Wir sorgen dafür, dass die Crew davon erfährt ✈️", "Das freut uns riesig, danke, dass Sie mit uns fliegen!"},
				ru: {"Спасибо, {first}! Обязательно передадим экипажу ✈️", "Очень приятно, спасибо, что летаете с нами!"},
			}},
	},

	telecom: {
		{tag: "outage", sentiment: inbox.SentimentNegative, weight: 12,
			text: byLang{
				en: {
					"No internet since {since} in {district}. Any ETA on the fix?",
					"Been without internet and TV for {hours}, I work from home. Is this normal?",
					"Is there an outage? The router is blinking red and support isn't answering.",
				},
				de: {
					"Seit {since} kein Internet in {district}. Wann ist das behoben?",
					"Seit {hours} weder Internet noch TV, ich arbeite im Homeoffice. Ist das normal?",
					"Gibt es eine Störung? Der Router blinkt rot und der Support geht nicht ran.",
				},
				ru: {
					"Нет интернета с {since}, {district}. Когда почините?",
					"Уже {hours} без интернета и ТВ, работаю из дома. Это вообще нормально?",
					"У вас авария? Роутер мигает красным, поддержка не отвечает.",
					"Второй раз за неделю пропадает интернет в {district}. Сколько можно?",
				},
			},
			subject: byLang{
				en: {"No internet since {since}", "Outage in {district}"},
				de: {"Kein Internet seit {since}", "Störung in {district}"},
				ru: {"Нет интернета с {since}", "Авария в {district}"},
			},
			reply: byLang{
				en: {
					"Sorry, {first}. There is a local outage in {district}; our technicians are on site and expect to restore service within 2 hours.",
					"We're sorry for the trouble. Please restart the router; if the light stays red, DM us your contract number and we'll run a line check.",
				},
				de: {
					"Entschuldigung, {first}. In {district} gibt es eine lokale Störung; unsere Techniker sind vor Ort und rechnen mit einer Behebung innerhalb von 2 Stunden.",
					"Das tut uns leid. Bitte starten Sie den Router neu; bleibt die Lampe rot, schicken Sie uns die Vertragsnummer per Direktnachricht, dann prüfen wir die Leitung.",
				},
				ru: {
					"Извините, {first}. В районе {district} локальная авария, техники уже на месте и планируют восстановить связь в течение 2 часов.",
					"Приносим извинения. Перезагрузите, пожалуйста, роутер; если индикатор останется красным, пришлите номер договора в личные сообщения — проверим линию.",
				},
			}},
		{tag: "speed", sentiment: inbox.SentimentNegative, weight: 12,
			text: byLang{
				en: {
					"Paying for the {tariff} plan and getting {speed}. Fix it.",
					"Every evening after 8 pm the speed drops to {speed}. Can't stream anything.",
					"Mobile data is barely alive, {speed} even in the city centre.",
				},
				de: {
					"Ich zahle für den Tarif {tariff} und bekomme {speed}. Bitte beheben.",
					"Jeden Abend ab 20 Uhr fällt die Geschwindigkeit auf {speed}. Streaming unmöglich.",
					"Mobiles Internet kaum nutzbar, {speed} sogar in der Innenstadt.",
				},
				ru: {
					"Плачу за тариф «{tariff}», а по факту {speed}. Верните нормальную скорость.",
					"Каждый вечер после 20:00 скорость падает до {speed}. Видео не грузится.",
					"Мобильный интернет еле живой, {speed} даже в центре города.",
				},
			},
			subject: byLang{
				en: {"Slow internet on {tariff}", "Speed far below the plan"},
				de: {"Langsames Internet im Tarif {tariff}", "Geschwindigkeit weit unter Tarif"},
				ru: {"Низкая скорость на тарифе «{tariff}»", "Скорость ниже заявленной"},
			},
			reply: byLang{
				en: {
					"Sorry about the speed, {first}. We found congestion on your building's node and have scheduled an upgrade for this week.",
					"Thanks for reporting. Please run a test at speedtest.sever-telecom.ru over cable and DM us the result with your contract number.",
				},
				de: {
					"Entschuldigen Sie die langsame Verbindung, {first}. Der Knoten in Ihrem Haus ist überlastet, ein Ausbau ist für diese Woche geplant.",
					"Danke für die Meldung. Bitte machen Sie einen Test unter speedtest.sever-telecom.ru per Kabel und schicken Sie uns das Ergebnis mit der Vertragsnummer.",
				},
				ru: {
					"Извините за низкую скорость, {first}. Узел в вашем доме перегружен, расширение запланировано на эту неделю.",
					"Спасибо за сообщение. Сделайте, пожалуйста, замер на speedtest.sever-telecom.ru по кабелю и пришлите результат с номером договора.",
				},
			}},
		{tag: "billing", sentiment: inbox.SentimentNegative, weight: 14,
			text: byLang{
				en: {
					"You charged me {amount} for an “Antivirus+” add-on I never ordered.",
					"Got a bill for {amount} although {tariff} costs half that.",
					"Charged twice for the same month. Contract {ref}.",
				},
				de: {
					"Mir wurden {amount} für einen „Antivirus+“-Dienst berechnet, den ich nie bestellt habe.",
					"Rechnung über {amount}, obwohl {tariff} nur die Hälfte kostet.",
					"Für denselben Monat zweimal abgebucht. Vertrag {ref}.",
				},
				ru: {
					"Списали {amount} за услугу, которую я не подключал. Что это за «Антивирус+»?",
					"Пришёл счёт на {amount}, хотя тариф «{tariff}» стоит в два раза меньше.",
					"Деньги списали дважды за один месяц. Договор {ref}.",
					"Без предупреждения подняли абонентскую плату. Почему я узнаю об этом из выписки?",
				},
			},
			subject: byLang{
				en: {"Wrong charge on contract {ref}", "Billing question"},
				de: {"Falsche Abbuchung Vertrag {ref}", "Frage zur Rechnung"},
				ru: {"Неверное списание по договору {ref}", "Вопрос по счёту"},
			},
			reply: byLang{
				en: {
					"Sorry, {first}. The add-on was switched on by mistake; I've removed it and refunded {amount} to your balance.",
					"Thanks for writing. Please DM us your contract number, we'll check the charges and correct the bill.",
					"Sorry, {first}. We found the duplicate payment and returned {amount} to your balance.",
				},
				de: {
					"Entschuldigung, {first}. Der Zusatzdienst wurde versehentlich aktiviert; ich habe ihn entfernt und {amount} Ihrem Guthaben gutgeschrieben.",
					"Danke für Ihre Nachricht. Schicken Sie uns bitte die Vertragsnummer per Direktnachricht, wir prüfen die Abbuchungen und korrigieren die Rechnung.",
					"Entschuldigung, {first}. Wir haben die doppelte Zahlung gefunden und {amount} Ihrem Guthaben gutgeschrieben.",
				},
				ru: {
					"Извините, {first}. Услуга была подключена по ошибке: мы её отключили и вернули {amount} на ваш баланс.",
					"Спасибо за обращение. Пришлите номер договора в личные сообщения, мы проверим списания и сделаем перерасчёт.",
					"Извините, {first}. Мы нашли двойное списание и вернули {amount} на ваш баланс.",
					"Тариф изменился с 1-го числа, уведомление было в личном кабинете. Понимаем, что это неприятно: можем подобрать тариф дешевле — напишите нам в личные сообщения.",
				},
			}},
		{tag: "refund", sentiment: inbox.SentimentNegative, weight: 8,
			text: byLang{
				en: {
					"Cancelled contract {ref} {days} ago, the remaining {amount} was never returned.",
					"You promised a credit for the days without internet. Where is it?",
					"Applied for a refund of {amount} {days} ago, no answer.",
				},
				de: {
					"Vertrag {ref} vor {days} gekündigt, das Restguthaben von {amount} wurde nie zurückgezahlt.",
					"Ihr habt eine Gutschrift für die Tage ohne Internet versprochen. Wo ist sie?",
					"Vor {days} eine Erstattung über {amount} beantragt, keine Antwort.",
				},
				ru: {
					"Расторг договор {ref} {days} назад, остаток {amount} так и не вернули.",
					"Обещали перерасчёт за дни без интернета. Где он?",
					"Подала заявление на возврат {amount} ещё {days} назад, ответа нет.",
				},
			},
			subject: byLang{
				en: {"Refund of remaining balance ({ref})", "Credit for outage days"},
				de: {"Rückzahlung Restguthaben ({ref})", "Gutschrift für Störungstage"},
				ru: {"Возврат остатка по договору {ref}", "Перерасчёт за дни без связи"},
			},
			reply: byLang{
				en: {
					"Sorry for the delay, {first}. The refund of {amount} has been sent to your bank account and should arrive within 3 days.",
					"The credit for the outage days will appear on your next bill. Sorry it wasn't communicated clearly.",
				},
				de: {
					"Entschuldigen Sie die Verzögerung, {first}. Die Rückzahlung von {amount} ist unterwegs und sollte innerhalb von 3 Tagen auf Ihrem Konto sein.",
					"Die Gutschrift für die Störungstage erscheint auf Ihrer nächsten Rechnung. Entschuldigung, dass das nicht klar kommuniziert wurde.",
				},
				ru: {
					"Извините за задержку, {first}. Возврат {amount} отправлен на ваш счёт и поступит в течение 3 дней.",
					"Перерасчёт за дни без связи будет в следующем счёте. Извините, что не сообщили об этом сразу.",
				},
			}},
		{tag: "staff", sentiment: inbox.SentimentNegative, weight: 8,
			text: byLang{
				en: {
					"The technician never showed up and didn't even call. I took a day off for this.",
					"Half an hour on the support line and then they just hung up on me.",
					"The operator talked to me like I was an idiot. Rude.",
				},
				de: {
					"Der Techniker ist nicht gekommen und hat nicht mal angerufen. Ich habe mir dafür freigenommen.",
					"Eine halbe Stunde in der Hotline und dann wurde einfach aufgelegt.",
					"Der Mitarbeiter an der Hotline hat mit mir geredet, als wäre ich dumm. Unverschämt.",
				},
				ru: {
					"Мастер не пришёл в назначенное время и даже не позвонил. Я отпросился с работы ради этого.",
					"Полчаса на линии поддержки, а потом просто сбросили звонок.",
					"Оператор разговаривал со мной как с идиотом. Хамство.",
				},
			},
			subject: byLang{
				en: {"Complaint about support", "Technician did not come"},
				de: {"Beschwerde über den Support", "Techniker nicht erschienen"},
				ru: {"Жалоба на поддержку", "Мастер не пришёл"},
			},
			reply: byLang{
				en: {
					"We apologise, {first}. That should not have happened. A senior specialist will call you today to rebook the visit.",
					"Sorry about this experience. Could you DM us the date and time of the call? We'll review the recording.",
					"Sorry, {first}, that's not how we want to talk to our customers. We'll review the call and get back to you today.",
				},
				de: {
					"Wir entschuldigen uns, {first}. Das hätte nicht passieren dürfen. Ein erfahrener Kollege ruft Sie heute an, um einen neuen Termin zu vereinbaren.",
					"Das tut uns leid. Schicken Sie uns bitte Datum und Uhrzeit des Anrufs per Direktnachricht, wir prüfen die Aufzeichnung.",
					"Entschuldigung, {first}, so wollen wir nicht mit unseren Kunden sprechen. Wir prüfen das Gespräch und melden uns heute noch.",
				},
				ru: {
					"Приносим извинения, {first}. Такого быть не должно. Старший специалист позвонит вам сегодня и согласует новое время визита.",
					"Сожалеем о таком опыте. Напишите, пожалуйста, в личные сообщения дату и время звонка — мы проверим запись разговора.",
					"Извините, {first}, так общаться с клиентами недопустимо. Мы проверим запись разговора и сегодня же вернёмся к вам.",
				},
			}},
		{tag: "question", sentiment: inbox.SentimentNeutral, weight: 22,
			text: byLang{
				en: {
					"How do I move my number to you from another carrier?",
					"Does the {tariff} plan work when roaming?",
					"Can I pause my home internet while I'm on holiday?",
					"Do you connect buildings in {district}?",
				},
				de: {
					"Wie kann ich meine Nummer von einem anderen Anbieter zu euch mitnehmen?",
					"Funktioniert der Tarif {tariff} auch im Roaming?",
					"Kann ich mein Heiminternet während des Urlaubs pausieren?",
					"Schließt ihr auch Häuser in {district} an?",
				},
				ru: {
					"Как перенести номер к вам от другого оператора?",
					"Работает ли тариф «{tariff}» в роуминге?",
					"Можно ли приостановить домашний интернет на время отпуска?",
					"Подключаете ли вы дома в {district}?",
				},
			},
			subject: byLang{
				en: {"Question about my contract", "Question"},
				de: {"Frage zu meinem Vertrag", "Frage"},
				ru: {"Вопрос по договору", "Вопрос"},
			},
			reply: byLang{
				en: {
					"Request the transfer in any store or in the app with your passport. It takes up to 8 days and your number keeps working.",
					"Within Russia the plan works as usual. Abroad, switch on the “Roaming Lite” option in the app.",
					"Yes, you can suspend the service for up to 90 days a year, the first 30 days are free. Do it in your account.",
					"Yes, we offer up to 500 Mbps in {district}. DM us your address and we'll check your building.",
				},
				de: {
					"Beantragen Sie die Rufnummernmitnahme im Shop oder in der App mit Ihrem Ausweis. Das dauert bis zu 8 Tage, die Nummer bleibt erreichbar.",
					"Innerhalb Russlands gilt der Tarif unverändert. Im Ausland aktivieren Sie in der App die Option „Roaming Lite“.",
					"Ja, Sie können den Dienst bis zu 90 Tage im Jahr pausieren, die ersten 30 Tage sind kostenlos. Das geht im Kundenkonto.",
					"Ja, in {district} bieten wir bis zu 500 Mbit/s an. Schicken Sie uns Ihre Adresse, wir prüfen Ihr Haus.",
				},
				ru: {
					"Оформите заявку на перенос номера в любом салоне или в приложении, с паспортом. Перенос занимает до 8 дней, номер работает без перерыва.",
					"В поездках по России тариф работает без изменений. За границей подключите опцию «Роуминг Лайт» в приложении.",
					"Да, добровольная блокировка доступна до 90 дней в году, первые 30 дней бесплатно. Подключается в личном кабинете.",
					"Да, в {district} доступно подключение до 500 Мбит/с. Пришлите адрес в личные сообщения, мы проверим дом.",
				},
			}},
		{tag: "praise", sentiment: inbox.SentimentPositive, weight: 10,
			text: byLang{
				en: {
					"Thanks to the technician, everything was set up in 20 minutes and he explained the router settings 👍",
					"Support answered within a minute and fixed my problem. Pleasantly surprised!",
					"Five years with your internet and not a single serious outage. Recommended.",
				},
				de: {
					"Danke an den Techniker, alles war in 20 Minuten eingerichtet und er hat mir den Router erklärt 👍",
					"Der Support hat innerhalb einer Minute geantwortet und mein Problem gelöst. Positiv überrascht!",
					"Seit fünf Jahren euer Internet und keine einzige größere Störung. Empfehlenswert.",
				},
				ru: {
					"Спасибо мастеру, всё подключил за 20 минут и объяснил, как настроить роутер 👍",
					"Поддержка ответила за минуту и решила проблему. Приятно удивлён!",
					"Пять лет пользуюсь вашим интернетом, ни одного серьёзного сбоя. Рекомендую.",
				},
			},
			subject: byLang{
				en: {"Thank you", "Great service"},
				de: {"Danke", "Toller Service"},
				ru: {"Спасибо", "Отличный сервис"},
			},
			reply: byLang{
				en: {"Thank you, {first}! We'll pass your kind words to the team 😊", "Great to hear, thanks for staying with us!"},
				de: {"Vielen Dank, {first}! Wir geben das Lob gern an das Team weiter 😊", "Schön zu hören, danke für Ihre Treue!"},
				ru: {"Спасибо, {first}! Обязательно передадим команде 😊", "Приятно слышать, спасибо, что вы с нами!"},
			}},
	},
}

// Short additions around the core text, by sentiment.
var (
	openers = map[inbox.Sentiment]byLang{
		inbox.SentimentNegative: {
			en: {"", "", "", "Seriously? ", "Unbelievable. ", "Not again. ", "Hi! "},
			de: {"", "", "", "Ernsthaft? ", "Unglaublich. ", "Schon wieder. ", "Hallo! "},
			ru: {"", "", "", "Серьёзно? ", "Это просто издевательство. ", "Опять. ", "Здравствуйте. "},
		},
		inbox.SentimentNeutral: {
			en: {"", "", "Hi! ", "Hello! "},
			de: {"", "", "Hallo! ", "Guten Tag! ", "Kurze Frage: "},
			ru: {"", "", "Здравствуйте! ", "Добрый день. "},
		},
		inbox.SentimentPositive: {
			en: {"", "", "Hey! ", "Wow. "},
			de: {"", "", "Hallo! ", "Wow. "},
			ru: {"", "", "Добрый день! ", "Ух ты. "},
		},
	}
	closers = map[inbox.Sentiment]byLang{
		inbox.SentimentNegative: {
			en: {"", "", " Please fix this.", " I want an answer today.", " Very disappointed.", " This is ridiculous."},
			de: {"", "", " Bitte um Rückmeldung.", " Ich erwarte eine Antwort.", " Sehr enttäuschend.", " Einfach nur ärgerlich."},
			ru: {"", "", " Жду ответа.", " Разберитесь, пожалуйста.", " Очень разочаровывает.", " Это просто смешно."},
		},
		inbox.SentimentNeutral: {
			en: {"", " Thanks!", " Thanks in advance."},
			de: {"", " Danke!", " Vielen Dank im Voraus."},
			ru: {"", " Спасибо!", " Заранее спасибо."},
		},
		inbox.SentimentPositive: {
			en: {"", "", " 👏", " ❤️"},
			de: {"", "", " 👏", " ❤️"},
			ru: {"", "", " 👏", " ❤️"},
		},
	}
	angrySuffix = byLang{
		en: {"!!!", " 😡", " 🤬", " Worst service ever."}, // "!!!" replaces a final full stop
		de: {"!!!", " 😡", " 🤬", " Nie wieder."},
		ru: {"!!!", " 😡", " 🤬", " Позор."},
	}

	mailGreeting = byLang{
		en: {"Hello,", "Hi there,", "To whom it may concern,", "Dear {brand} team,"},
		de: {"Sehr geehrte Damen und Herren,", "Hallo liebes Team von {brand},", "Guten Tag,"},
		ru: {"Здравствуйте!", "Добрый день.", "Уважаемая служба поддержки!"},
	}
	mailDetail = map[inbox.Sentiment]byLang{
		inbox.SentimentNegative: {
			en: {"I've attached a screenshot.", "This is the second time I'm writing to you about this.", "Please respond within the next few days.", ""},
			de: {"Einen Screenshot habe ich angehängt.", "Ich schreibe Ihnen bereits zum zweiten Mal.", "Ich bitte um eine Antwort in den nächsten Tagen.", ""},
			ru: {"Прикладываю скриншот.", "Пишу вам уже второй раз.", "Прошу ответить в ближайшие дни.", ""},
		},
		inbox.SentimentNeutral: {
			en: {"", "I couldn't find this on your website."},
			de: {"", "Auf Ihrer Website habe ich dazu nichts gefunden."},
			ru: {"", "На сайте я этого не нашёл."},
		},
		inbox.SentimentPositive: {
			en: {"", "Please pass this on to the team."},
			de: {"", "Bitte geben Sie das an das Team weiter."},
			ru: {"", "Передайте, пожалуйста, команде."},
		},
	}
	mailSignoff = byLang{
		en: {"Best regards,", "Thanks,", "Regards,", "Kind regards,"},
		de: {"Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße"},
		ru: {"С уважением,", "Спасибо,", "Всего доброго,"},
	}
	replyMailGreeting = byLang{
		en: {"Dear {first},"},
		de: {"Guten Tag {full},", "Hallo {first},"},
		ru: {"Здравствуйте, {first}!"},
	}
	replyMailGreetingPlain = [3]string{en: "Hello,", de: "Guten Tag,", ru: "Здравствуйте!"}
	replyMailSignoff       = byLang{
		en: {"Kind regards,\n{agent}\n{brand} Customer Care"},
		de: {"Mit freundlichen Grüßen\n{agent}\n{brand} Kundenservice"},
		ru: {"С уважением,\n{agent}\nСлужба поддержки «{brand}»"},
	}
	replyPrefix = byLang{en: {"", "Hi {first}! "}, de: {"", "Hallo {first}! "}, ru: {"", "{first}, здравствуйте! "}}

	// A second customer message sent before anyone answered.
	nudges = byLang{
		en: {"Hello?? Anyone there?", "Reference {ref}, if that helps.", "Still waiting for an answer."},
		de: {"Hallo?? Ist da jemand?", "Nummer {ref}, falls das hilft.", "Warte immer noch auf eine Antwort."},
		ru: {"Алло, есть кто живой?", "Номер {ref}, если нужно.", "До сих пор жду ответа."},
	}
	// Customer follow-ups after a reply.
	resolvedThanks = byLang{
		en: {"Thanks, that worked!", "Great, all sorted now. Thank you!", "Thanks for the quick help 👍"},
		de: {"Danke, hat geklappt!", "Super, jetzt ist alles erledigt. Vielen Dank!", "Danke für die schnelle Hilfe 👍"},
		ru: {"Спасибо, всё получилось!", "Отлично, вопрос решён. Спасибо!", "Спасибо за быструю помощь 👍"},
	}
	answerThanks = byLang{
		en: {"Perfect, thanks!", "Thanks for the quick answer!"},
		de: {"Perfekt, danke!", "Danke für die schnelle Antwort!"},
		ru: {"Отлично, спасибо!", "Спасибо за быстрый ответ!"},
	}
	stillUnhappy = byLang{
		en: {"That's a copy-paste answer. I want a real solution.", "I already did that twice. Nothing happened.", "Still nothing. I'm filing a formal complaint."},
		de: {"Das ist eine Standardantwort. Ich will eine echte Lösung.", "Das habe ich schon zweimal gemacht. Passiert ist nichts.", "Immer noch nichts. Ich reiche jetzt eine Beschwerde ein."},
		ru: {"Это отписка. Мне нужно реальное решение.", "Уже пробовали дважды, ничего не изменилось.", "До сих пор ничего. Пишу официальную жалобу."},
	}
	escalation = byLang{
		en: {"I understand your frustration, {first}. I've escalated this to a supervisor who will contact you directly within 24 hours."},
		de: {"Ich verstehe Ihren Ärger, {first}. Ich habe den Fall an eine Teamleitung übergeben, die sich innerhalb von 24 Stunden direkt bei Ihnen meldet."},
		ru: {"Понимаем ваше недовольство, {first}. Обращение передано старшему специалисту, он свяжется с вами в течение 24 часов."},
	}
)

// The complaint burst: an outage at Север Телеком. Near-duplicates on purpose.
var (
	burstTexts = byLang{
		ru: {
			"Нет интернета с {since}!!! Когда почините?",
			"Нет интернета с {since}, {district}. Когда почините?!",
			"У вас авария? Интернет и ТВ не работают, {district}.",
			"Опять всё лежит. Ни интернета, ни ТВ. Вы серьёзно?",
			"Который час без связи. Срываются рабочие созвоны. Верните деньги за этот день!",
			"Когда уже дадут интернет?? {district}, весь дом без связи.",
			"Поддержка не отвечает, висим на линии 40 минут. Что происходит?",
			"ИНТЕРНЕТА НЕТ!!! {district}",
			"Подтверждаю, в {district} тоже ничего не работает.",
			"Сколько можно? Компенсацию за простой будете делать?",
			"Нет интернета с {since}. Роутер перезагружал — не помогает.",
			"У меня тоже нет интернета, {district}. Что случилось?",
		},
		en: {
			"Sever Telecom down in {district} since {since}. No internet, no TV.",
			"Is the whole network down? Nothing works in {district} since {since}.",
		},
		de: {
			"Kein Internet seit {since} in {district}. Großstörung bei Sever Telecom?",
		},
	}
	burstInfluencer = []string{
		"Север Телеком лежит уже несколько часов: Купчино, Мурино, Девяткино. Подписчики пишут, что поддержка молчит. Ждём официальный комментарий.",
		"Друзья, у кого ещё не работает Север Телеком? Похоже на массовую аварию, компания пока молчит.",
		"Который час без интернета. Север Телеком, вы вообще собираетесь что-то объяснять своим абонентам?",
		"Собрал ваши сообщения: без связи как минимум пять районов. Север Телеком, где компенсация?",
		"Работаю из дома, а интернета нет уже несколько часов. Север Телеком — худший провайдер года.",
	}
	burstReply = []string{
		"Здравствуйте! Нам известно о проблеме: с {since} в нескольких районах авария на магистральном узле. Бригады уже работают, ориентировочное время восстановления — до {eta}. Приносим извинения.",
		"Приносим извинения за неудобства. Это массовая авария, специалисты работают над восстановлением. Перерасчёт за время простоя будет сделан автоматически.",
	}
	burstAfter = []string{
		"Заработало, спасибо.",
		"Интернет появился, спасибо, что быстро починили.",
	}
	burstAfterAngry = []string{
		"Заработало, но перерасчёт всё равно хочу.",
		"Пять часов без связи — это не «быстро». Жду компенсацию.",
	}
)
