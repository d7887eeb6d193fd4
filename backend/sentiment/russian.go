package sentiment

import "github.com/stormdesk/stormdesk/backend/inbox"

// RuSentiTweet is general-domain Twitter: it has few brand complaints, so a
// model trained on it alone called "Ужасный сервис, верните деньги!"
// positive. The seed below is customer-service Russian we wrote ourselves:
// subject x predicate templates with gender and number agreement (so the
// char n-grams see "потерялся/потерялась/потерялось/потерялись"), neutral
// question frames with nouns in the right case, hand-written messages with
// slang, and one-word lexicon entries as a polarity prior. RussianTest is
// written separately, without these templates.

// ruGendered holds one form per grammatical class of the subject:
// masculine, feminine, neuter, plural.
type ruGendered [4]string

const (
	ruMasc = iota
	ruFem
	ruNeut
	ruPlur
)

func ruSame(s string) ruGendered { return ruGendered{s, s, s, s} }

type ruSubject struct {
	text   string
	gender int
}

var ruSubjects = []ruSubject{
	{"Мой заказ", ruMasc}, {"Ваш сервис", ruMasc}, {"Курьер", ruMasc}, {"Возврат", ruMasc},
	{"Платёж", ruMasc}, {"Ваш оператор", ruMasc}, {"Сайт", ruMasc}, {"Интернет", ruMasc},
	{"Личный кабинет", ruMasc}, {"Посылка", ruFem}, {"Доставка", ruFem}, {"Ваша поддержка", ruFem},
	{"Горячая линия", ruFem}, {"Связь", ruFem}, {"Ваша компания", ruFem}, {"Приложение", ruNeut},
	{"Обслуживание", ruNeut}, {"Обновление", ruNeut}, {"Ваши сотрудники", ruPlur}, {"Мои деньги", ruPlur},
}

var ruPredicates = map[inbox.Sentiment][]ruGendered{
	inbox.SentimentNegative: {
		{"не работает", "не работает", "не работает", "не работают"},
		{"опять сломался", "опять сломалась", "опять сломалось", "опять сломались"},
		{"потерялся, никто не знает где", "потерялась, никто не знает где", "потерялось, никто не знает где", "потерялись, никто не знает где"},
		{"так и не пришёл", "так и не пришла", "так и не пришло", "так и не пришли"},
		{"задерживается уже вторую неделю", "задерживается уже вторую неделю", "задерживается уже вторую неделю", "задерживаются уже вторую неделю"},
		{"просто отвратителен", "просто отвратительна", "просто отвратительно", "просто отвратительны"},
		ruSame("— полный отстой 👎"),
		{"бесит!!!", "бесит!!!", "бесит!!!", "бесят!!!"},
		{"меня очень разочаровал", "меня очень разочаровала", "меня очень разочаровало", "меня очень разочаровали"},
		ruSame("— это просто издевательство"),
		{"вообще не помог", "вообще не помогла", "вообще не помогло", "вообще не помогли"},
		{"тормозит и глючит", "тормозит и глючит", "тормозит и глючит", "тормозят и глючат"},
		ruSame("— хуже некуда 😡"),
		{"снова подвёл, сколько можно?!", "снова подвела, сколько можно?!", "снова подвело, сколько можно?!", "снова подвели, сколько можно?!"},
	},
	inbox.SentimentPositive: {
		ruSame("— просто супер!"),
		{"работает отлично", "работает отлично", "работает отлично", "работают отлично"},
		{"очень порадовал", "очень порадовала", "очень порадовало", "очень порадовали"},
		ruSame("на высоте, спасибо"),
		{"быстро помог, огромное спасибо!", "быстро помогла, огромное спасибо!", "быстро помогло, огромное спасибо!", "быстро помогли, огромное спасибо!"},
		{"приятно удивил 😊", "приятно удивила 😊", "приятно удивило 😊", "приятно удивили 😊"},
		{"стал намного лучше, так держать", "стала намного лучше, так держать", "стало намного лучше, так держать", "стали намного лучше, так держать"},
		ruSame("— выше всяких похвал"),
		ruSame("— просто огонь 🔥"),
		{"меня полностью устроил", "меня полностью устроила", "меня полностью устроило", "меня полностью устроили"},
	},
	inbox.SentimentNeutral: {
		{"оформлен на моё имя", "оформлена на моё имя", "оформлено на моё имя", "оформлены на моё имя"},
		{"указан в договоре", "указана в договоре", "указана в договоре", "указаны в договоре"},
		{"будет доступен с понедельника?", "будет доступна с понедельника?", "будет доступно с понедельника?", "будут доступны с понедельника?"},
		ruSame("— вопрос по номеру 48213"),
	},
}

// ruNouns and ruAdjectives make "adjective noun, tail" messages such as
// "Хамская поддержка, больше не обращусь": the adjective agrees with the noun.
var ruNouns = []ruSubject{
	{"сервис", ruMasc}, {"магазин", ruMasc}, {"курьер", ruMasc}, {"доставка", ruFem}, {"поддержка", ruFem},
	{"обслуживание", ruNeut}, {"приложение", ruNeut}, {"операторы", ruPlur},
}

var ruAdjectives = map[inbox.Sentiment][]ruGendered{
	inbox.SentimentNegative: {
		{"Ужасный", "Ужасная", "Ужасное", "Ужасные"},
		{"Отвратительный", "Отвратительная", "Отвратительное", "Отвратительные"},
		{"Кошмарный", "Кошмарная", "Кошмарное", "Кошмарные"},
		{"Худший", "Худшая", "Худшее", "Худшие"},
		{"Бесполезный", "Бесполезная", "Бесполезное", "Бесполезные"},
		{"Медленный", "Медленная", "Медленное", "Медленные"},
		{"Хамский", "Хамская", "Хамское", "Хамские"},
	},
	inbox.SentimentPositive: {
		{"Отличный", "Отличная", "Отличное", "Отличные"},
		{"Прекрасный", "Прекрасная", "Прекрасное", "Прекрасные"},
		{"Быстрый", "Быстрая", "Быстрое", "Быстрые"},
		{"Вежливый", "Вежливая", "Вежливое", "Вежливые"},
		{"Лучший", "Лучшая", "Лучшее", "Лучшие"},
		{"Удобный", "Удобная", "Удобное", "Удобные"},
	},
}

var ruTails = map[inbox.Sentiment][]string{
	inbox.SentimentNegative: {"", ", больше не обращусь", ", сколько можно?!"},
	inbox.SentimentPositive: {"", ", спасибо!", ", рекомендую"},
}

// ruObject is a noun for the neutral question frames, in the genitive and
// prepositional cases those frames need.
type ruObject struct{ gen, prep string }

var ruObjects = []ruObject{
	{"заказа", "заказе"}, {"доставки", "доставке"}, {"возврата", "возврате"}, {"платежа", "платеже"},
	{"подписки", "подписке"}, {"тарифа", "тарифе"}, {"посылки", "посылке"}, {"рейса", "рейсе"},
	{"счёта", "счёте"}, {"бонусной карты", "бонусной карте"},
}

// ruNeutralFrames: %g takes the genitive, %p the prepositional.
var ruNeutralFrames = []struct {
	before, after string
	prep          bool
}{
	{"Подскажите, пожалуйста, статус ", "", false},
	{"Можно уточнить детали ", "?", false},
	{"Хочу узнать подробнее о ", "", true},
	{"Напишите, пожалуйста, сроки ", "", false},
	{"Где в приложении информация о ", "?", true},
	{"Скажите, сколько обычно длится оформление ", "?", false},
	{"Как оформить отмену ", "?", false},
	{"Пришлите, пожалуйста, номер ", "", false},
	{"У меня вопрос о ", "", true},
	{"Какие документы нужны для ", "?", false},
	{"Добрый день! Уточните информацию о ", "", true},
	{"Когда закончится проверка ", "?", false},
}

var ruHandWritten = []Example{
	// Complaints: delays, billing, outages, refunds, rude staff, lost parcels, app bugs.
	{Text: "Жду заказ уже три недели, где он вообще?!", Label: inbox.SentimentNegative},
	{Text: "Ужасное обслуживание, верните мои деньги", Label: inbox.SentimentNegative},
	{Text: "Отвратительный сервис, больше никогда к вам не обращусь", Label: inbox.SentimentNegative},
	{Text: "Посылку потеряли, а поддержка молчит", Label: inbox.SentimentNegative},
	{Text: "Курьер нахамил и уехал, не дождавшись меня", Label: inbox.SentimentNegative},
	{Text: "С карты списали деньги дважды, верните немедленно!", Label: inbox.SentimentNegative},
	{Text: "Опять списание без моего согласия, это мошенничество", Label: inbox.SentimentNegative},
	{Text: "Интернета нет с утра, а вы даже не предупредили", Label: inbox.SentimentNegative},
	{Text: "Приложение вылетает при каждой попытке оплатить", Label: inbox.SentimentNegative},
	{Text: "После обновления ничего не грузится, верните старую версию", Label: inbox.SentimentNegative},
	{Text: "Оператор бросил трубку, это хамство", Label: inbox.SentimentNegative},
	{Text: "Менеджер грубил и ничего не объяснил", Label: inbox.SentimentNegative},
	{Text: "Вы меня обманули, обещали возврат за 3 дня, прошёл месяц", Label: inbox.SentimentNegative},
	{Text: "Деньги за отменённый рейс так и не вернули", Label: inbox.SentimentNegative},
	{Text: "Задолбали со своими задержками", Label: inbox.SentimentNegative},
	{Text: "Капец, третий раз переносят доставку", Label: inbox.SentimentNegative},
	{Text: "Жесть просто, час вишу на линии", Label: inbox.SentimentNegative},
	{Text: "Это кидалово, а не магазин", Label: inbox.SentimentNegative},
	{Text: "Лохотрон, верните бабки", Label: inbox.SentimentNegative},
	{Text: "Пипец, товар пришёл разбитый", Label: inbox.SentimentNegative},
	{Text: "Сколько можно ждать ответа?!", Label: inbox.SentimentNegative},
	{Text: "Никто не отвечает в чате уже сутки", Label: inbox.SentimentNegative},
	{Text: "Худшая служба доставки в моей жизни", Label: inbox.SentimentNegative},
	{Text: "Прислали не тот размер, и возврат не принимают", Label: inbox.SentimentNegative},
	{Text: "Трек-номер не отслеживается, посылка пропала", Label: inbox.SentimentNegative},
	{Text: "Заказ отменили без объяснений, очень неприятно", Label: inbox.SentimentNegative},
	{Text: "Мне навязали платную подписку, я её не оформляла", Label: inbox.SentimentNegative},
	{Text: "Счёт за связь в два раза больше обычного, что за развод?", Label: inbox.SentimentNegative},
	{Text: "Сайт лежит весь вечер, оплатить невозможно", Label: inbox.SentimentNegative},
	{Text: "Вы вообще работаете? Ни ответа ни привета", Label: inbox.SentimentNegative},
	{Text: "Я в бешенстве, заказ потеряли второй раз", Label: inbox.SentimentNegative},
	{Text: "Очень недовольна качеством обслуживания", Label: inbox.SentimentNegative},
	{Text: "Продукты привезли просроченные, позор", Label: inbox.SentimentNegative},
	{Text: "Это не сервис, а издевательство над клиентами 🤬", Label: inbox.SentimentNegative},
	{Text: "Буду писать жалобу в Роспотребнадзор", Label: inbox.SentimentNegative},
	{Text: "Карту заблокировали без причины, я без денег в отпуске", Label: inbox.SentimentNegative},
	{Text: "Такси не приехало, а деньги списали", Label: inbox.SentimentNegative},
	{Text: "Вещи пришли грязные и мятые", Label: inbox.SentimentNegative},
	{Text: "Поддержка отвечает шаблонами, толку ноль", Label: inbox.SentimentNegative},
	{Text: "Рейс задержали на пять часов и даже воды не дали", Label: inbox.SentimentNegative},
	{Text: "Мой чемодан потеряли, никто ничего не знает", Label: inbox.SentimentNegative},
	{Text: "Приложение глючит, не могу войти уже два дня", Label: inbox.SentimentNegative},
	{Text: "Кошмар, а не доставка 😤", Label: inbox.SentimentNegative},
	{Text: "Отстой, больше не закажу", Label: inbox.SentimentNegative},
	{Text: "Вы достали со своими смсками", Label: inbox.SentimentNegative},
	{Text: "Хамское отношение к покупателям", Label: inbox.SentimentNegative},
	{Text: "Требую вернуть деньги за некачественный товар", Label: inbox.SentimentNegative},
	{Text: "Обещали перезвонить и пропали", Label: inbox.SentimentNegative},
	{Text: "Пропала связь во всём районе, когда почините?!", Label: inbox.SentimentNegative},
	{Text: "Не работает ни одна кнопка в приложении", Label: inbox.SentimentNegative},
	{Text: "Ужасно долго, полтора часа ждали курьера", Label: inbox.SentimentNegative},
	{Text: "Мне не вернули залог, это воровство", Label: inbox.SentimentNegative},
	{Text: "Разочарована, раньше у вас было лучше", Label: inbox.SentimentNegative},
	{Text: "Ничего не пришло, а статус «доставлено»", Label: inbox.SentimentNegative},
	{Text: "Бесит, что нельзя дозвониться до живого человека", Label: inbox.SentimentNegative},
	{Text: "Роллы привезли через два часа, рис как камень", Label: inbox.SentimentNegative},
	{Text: "Заказала еду, половины блюд не было", Label: inbox.SentimentNegative},
	{Text: "Кассир обсчитал и ещё нагрубил", Label: inbox.SentimentNegative},
	{Text: "Банк списал комиссию, о которой никто не говорил", Label: inbox.SentimentNegative},
	{Text: "Перевод завис уже на пять дней, деньги непонятно где", Label: inbox.SentimentNegative},
	{Text: "Спам-звонки от вас каждый день, отстаньте", Label: inbox.SentimentNegative},
	{Text: "Отписалась от рассылки, а письма всё равно идут", Label: inbox.SentimentNegative},
	{Text: "Ответили формальной отговоркой, проблема не решена", Label: inbox.SentimentNegative},
	{Text: "Телевизор доставили с трещиной на экране", Label: inbox.SentimentNegative},
	{Text: "Товар бракованный, а в гарантии отказали", Label: inbox.SentimentNegative},
	{Text: "Очень жаль, но больше я у вас ничего не куплю", Label: inbox.SentimentNegative},
	{Text: "Не советую, сплошное разочарование", Label: inbox.SentimentNegative},
	{Text: "Ребята, вы вообще в своём уме? Опять всё сломали", Label: inbox.SentimentNegative},
	{Text: "Сервисный центр держит мой ноутбук второй месяц", Label: inbox.SentimentNegative},
	{Text: "Чат-бот ходит по кругу, оператора не дождаться", Label: inbox.SentimentNegative},
	{Text: "Водитель курил в машине и ехал как сумасшедший", Label: inbox.SentimentNegative},
	{Text: "Номер в отеле грязный, бельё не поменяли", Label: inbox.SentimentNegative},
	{Text: "Охранник в магазине повёл себя по-хамски", Label: inbox.SentimentNegative},
	{Text: "Сломался на второй день, деньги на ветер", Label: inbox.SentimentNegative},
	{Text: "Цены подняли, а качество стало хуже", Label: inbox.SentimentNegative},
	{Text: "Личный кабинет не открывается, пишет ошибку", Label: inbox.SentimentNegative},
	{Text: "Горячая вода отключена неделю, управляющая компания молчит", Label: inbox.SentimentNegative},
	{Text: "Упаковка порвана, половина содержимого высыпалась", Label: inbox.SentimentNegative},
	{Text: "Бонусы сгорели, хотя срок ещё не вышел", Label: inbox.SentimentNegative},
	{Text: "Меня третий раз переключают между отделами", Label: inbox.SentimentNegative},
	{Text: "Вам вообще плевать на клиентов", Label: inbox.SentimentNegative},
	{Text: "Дичь какая-то, а не сервис", Label: inbox.SentimentNegative},
	{Text: "Ну и шарашкина контора", Label: inbox.SentimentNegative},
	{Text: "Это полный бред, деньги сняли, а услуги нет", Label: inbox.SentimentNegative},
	{Text: "Нет слов, одни эмоции, и все плохие", Label: inbox.SentimentNegative},
	// Thanks and praise.
	{Text: "Продавец-консультант всё подробно рассказал, спасибо", Label: inbox.SentimentPositive},
	{Text: "Ремонт сделали быстро и качественно", Label: inbox.SentimentPositive},
	{Text: "Еда горячая, курьер вежливый, всё вкусно", Label: inbox.SentimentPositive},
	{Text: "Отдельное спасибо менеджеру Игорю", Label: inbox.SentimentPositive},
	{Text: "Банк одобрил всё за день, удобно", Label: inbox.SentimentPositive},
	{Text: "Чат поддержки отвечает мгновенно, круто", Label: inbox.SentimentPositive},
	{Text: "Вы спасли мой отпуск, спасибо огромное!", Label: inbox.SentimentPositive},
	{Text: "Очень приятный сервис, буду советовать знакомым", Label: inbox.SentimentPositive},
	{Text: "Номер чистый, персонал приветливый", Label: inbox.SentimentPositive},
	{Text: "Всё чётко, без лишних вопросов, благодарю", Label: inbox.SentimentPositive},
	{Text: "Наконец-то починили, теперь всё летает", Label: inbox.SentimentPositive},
	{Text: "Умнички, поменяли товар без чека", Label: inbox.SentimentPositive},
	{Text: "Спасибо за терпение и понятные объяснения", Label: inbox.SentimentPositive},
	{Text: "Доволен как слон 😄", Label: inbox.SentimentPositive},
	{Text: "Спасибо большое, всё пришло в целости и сохранности", Label: inbox.SentimentPositive},
	{Text: "Огромное спасибо оператору Анне, всё решила за пять минут", Label: inbox.SentimentPositive},
	{Text: "Доставили раньше срока, очень приятно", Label: inbox.SentimentPositive},
	{Text: "Деньги вернули быстро, спасибо!", Label: inbox.SentimentPositive},
	{Text: "Лучший магазин, всегда заказываю только у вас", Label: inbox.SentimentPositive},
	{Text: "Вы красавчики, так держать 👍", Label: inbox.SentimentPositive},
	{Text: "Топчик, всё чётко и быстро", Label: inbox.SentimentPositive},
	{Text: "Курьер очень вежливый, спасибо ему", Label: inbox.SentimentPositive},
	{Text: "Поддержка реально помогла, респект", Label: inbox.SentimentPositive},
	{Text: "Новое приложение намного удобнее старого", Label: inbox.SentimentPositive},
	{Text: "Благодарю за оперативность", Label: inbox.SentimentPositive},
	{Text: "Всё отлично, рекомендую друзьям", Label: inbox.SentimentPositive},
	{Text: "Очень довольна покупкой ❤️", Label: inbox.SentimentPositive},
	{Text: "Проблему решили, благодарю за терпение", Label: inbox.SentimentPositive},
	{Text: "Спасибо, что вошли в положение и заменили товар", Label: inbox.SentimentPositive},
	{Text: "Кайф, наконец-то нормальная доставка", Label: inbox.SentimentPositive},
	{Text: "Вежливые сотрудники и быстрая помощь, молодцы", Label: inbox.SentimentPositive},
	{Text: "Пользуюсь вашим сервисом пять лет, ни разу не подвели", Label: inbox.SentimentPositive},
	{Text: "Приятно иметь с вами дело", Label: inbox.SentimentPositive},
	{Text: "Всё пришло вовремя, упаковка отличная", Label: inbox.SentimentPositive},
	{Text: "Вы лучшие, спасибо за подарок 🙏", Label: inbox.SentimentPositive},
	{Text: "Не ожидал такого классного сервиса", Label: inbox.SentimentPositive},
	{Text: "Без проблем оформил возврат, спасибо", Label: inbox.SentimentPositive},
	{Text: "Рейс вылетел вовремя, экипаж замечательный", Label: inbox.SentimentPositive},
	// Questions and plain statements.
	{Text: "Здравствуйте, как отменить заказ?", Label: inbox.SentimentNeutral},
	{Text: "Когда будет доставка в Казань?", Label: inbox.SentimentNeutral},
	{Text: "Можно поменять адрес доставки?", Label: inbox.SentimentNeutral},
	{Text: "Какие способы оплаты у вас есть?", Label: inbox.SentimentNeutral},
	{Text: "Работает ли пункт выдачи в воскресенье?", Label: inbox.SentimentNeutral},
	{Text: "Номер моего заказа 58213", Label: inbox.SentimentNeutral},
	{Text: "Подскажите, как привязать карту в приложении", Label: inbox.SentimentNeutral},
	{Text: "Я хочу сменить тариф со следующего месяца", Label: inbox.SentimentNeutral},
	{Text: "Пришлите, пожалуйста, чек на почту", Label: inbox.SentimentNeutral},
	{Text: "Есть ли эта модель в чёрном цвете?", Label: inbox.SentimentNeutral},
	{Text: "Как связаться с менеджером?", Label: inbox.SentimentNeutral},
	{Text: "Заказ оформлен вчера, оплата картой", Label: inbox.SentimentNeutral},
	{Text: "Сколько стоит доставка до двери?", Label: inbox.SentimentNeutral},
	{Text: "Добрый день, нужен дубликат договора", Label: inbox.SentimentNeutral},
	{Text: "Можно забрать посылку другому человеку по доверенности?", Label: inbox.SentimentNeutral},
	{Text: "Во сколько открывается офис?", Label: inbox.SentimentNeutral},
	{Text: "Перезвоните мне, пожалуйста, после обеда", Label: inbox.SentimentNeutral},
	{Text: "У меня вопрос по начислению бонусов", Label: inbox.SentimentNeutral},
	{Text: "Хочу вернуть товар, какие документы нужны?", Label: inbox.SentimentNeutral},
	{Text: "Курьер может приехать вечером?", Label: inbox.SentimentNeutral},
	{Text: "Посылка сейчас в сортировочном центре", Label: inbox.SentimentNeutral},
	{Text: "Отправляю фото чека", Label: inbox.SentimentNeutral},
	{Text: "Уточните, пожалуйста, время работы поддержки", Label: inbox.SentimentNeutral},
	{Text: "Будет ли скидка на следующий заказ?", Label: inbox.SentimentNeutral},
	{Text: "Мой телефон для связи +7 900 000-00-00", Label: inbox.SentimentNeutral},
	{Text: "До скольки работает магазин на Тверской?", Label: inbox.SentimentNeutral},
	{Text: "В какие дни у вас выходной?", Label: inbox.SentimentNeutral},
	{Text: "Поменяйте, пожалуйста, email в профиле", Label: inbox.SentimentNeutral},
	{Text: "Я сменил номер телефона, куда сообщить?", Label: inbox.SentimentNeutral},
	{Text: "Нужна ли предоплата?", Label: inbox.SentimentNeutral},
	{Text: "Какой вес багажа входит в тариф?", Label: inbox.SentimentNeutral},
	{Text: "Можно заказать доставку к определённому времени?", Label: inbox.SentimentNeutral},
	{Text: "Пришлите счёт на юрлицо", Label: inbox.SentimentNeutral},
	{Text: "Где можно оставить отзыв?", Label: inbox.SentimentNeutral},
	{Text: "Интересует рассрочка на холодильник", Label: inbox.SentimentNeutral},
	{Text: "Какой у вас адрес в Екатеринбурге?", Label: inbox.SentimentNeutral},
	{Text: "Я записалась на ремонт на пятницу", Label: inbox.SentimentNeutral},
}

// ruLexicon is a polarity prior: each word becomes a one-word example.
var ruLexicon = map[inbox.Sentiment][]string{
	inbox.SentimentPositive: {"спасибо", "благодарю", "отлично", "супер", "молодцы", "класс", "замечательно",
		"доволен", "довольна", "рекомендую", "вежливый", "быстро", "удобно", "респект", "шикарно", "лучшие"},
	inbox.SentimentNegative: {"ужасно", "ужасный", "кошмар", "отвратительно", "хамство", "обман", "мошенники",
		"развод", "отстой", "жалоба", "недоволен", "недовольна", "разочарован", "задержка", "сломалось",
		"потеряли", "верните", "позор", "бесит", "безобразие", "хамы", "глючит", "вылетает"},
}

// RussianSeed returns the self-made Russian customer-service training examples.
func RussianSeed() []Example {
	var out []Example
	for _, lab := range classes {
		for _, s := range ruSubjects {
			for _, p := range ruPredicates[lab] {
				out = append(out, Example{Text: s.text + " " + p[s.gender], Label: lab})
			}
		}
	}
	for _, lab := range []inbox.Sentiment{inbox.SentimentNegative, inbox.SentimentPositive} {
		for _, a := range ruAdjectives[lab] {
			for _, n := range ruNouns {
				for _, tail := range ruTails[lab] {
					out = append(out, Example{Text: a[n.gender] + " " + n.text + tail, Label: lab})
				}
			}
		}
	}
	for _, fr := range ruNeutralFrames {
		for _, o := range ruObjects {
			n := o.gen
			if fr.prep {
				n = o.prep
			}
			out = append(out, Example{Text: fr.before + n + fr.after, Label: inbox.SentimentNeutral})
		}
	}
	out = append(out, ruHandWritten...)
	for _, lab := range classes {
		for _, w := range ruLexicon[lab] {
			out = append(out, Example{Text: w, Label: lab})
		}
	}
	for i := range out {
		out[i].Lang = LangRussian
	}
	return out
}

// RussianTest returns a hand-labelled Russian customer-service test set,
// written separately from the seed (other sentences, no templates). It is
// self-made: read its figures as a domain check, not a benchmark.
func RussianTest() []Example {
	t := []Example{
		{Text: "Третий день не могу дозвониться, это нормально вообще?", Label: inbox.SentimentNegative},
		{Text: "Вместо телефона в коробке лежал кирпич", Label: inbox.SentimentNegative},
		{Text: "Ваш банк заблокировал мне перевод, хотя все документы в порядке", Label: inbox.SentimentNegative},
		{Text: "Посылка едет из Москвы в Тверь уже 20 дней", Label: inbox.SentimentNegative},
		{Text: "Продавец в магазине на Ленина откровенно хамит", Label: inbox.SentimentNegative},
		{Text: "Я отменил подписку, а вы продолжаете снимать деньги", Label: inbox.SentimentNegative},
		{Text: "Приложение зависает на экране загрузки", Label: inbox.SentimentNegative},
		{Text: "Уже неделю обещаете вернуть средства, хватит врать", Label: inbox.SentimentNegative},
		{Text: "Свет отключили без предупреждения, продукты испортились", Label: inbox.SentimentNegative},
		{Text: "Курьер оставил коробку под дверью, её украли", Label: inbox.SentimentNegative},
		{Text: "Ненавижу ваш колл-центр", Label: inbox.SentimentNegative},
		{Text: "Качество упало ниже плинтуса", Label: inbox.SentimentNegative},
		{Text: "Мне выставили штраф за то, чего я не делал", Label: inbox.SentimentNegative},
		{Text: "Поезд опоздал на два часа, никто не извинился", Label: inbox.SentimentNegative},
		{Text: "Зачем вы списали 990 рублей? Я ничего не подключал", Label: inbox.SentimentNegative},
		{Text: "Самый бесполезный чат-бот, который я видел", Label: inbox.SentimentNegative},
		{Text: "Пицца приехала холодная и помятая", Label: inbox.SentimentNegative},
		{Text: "Вы издеваетесь? Опять перенос!", Label: inbox.SentimentNegative},
		{Text: "Не рекомендую никому этот магазин", Label: inbox.SentimentNegative},
		{Text: "Сломали мне машину на сервисе и отказываются платить", Label: inbox.SentimentNegative},
		{Text: "Страница оплаты выдаёт ошибку 500 😠", Label: inbox.SentimentNegative},
		{Text: "Жаль, что так обращаются с постоянными клиентами", Label: inbox.SentimentNegative},
		{Text: "Сотрудница на кассе была очень груба", Label: inbox.SentimentNegative},
		{Text: "Перестаньте звонить мне с рекламой!", Label: inbox.SentimentNegative},
		{Text: "Полный провал, ни одна функция не работает как надо", Label: inbox.SentimentNegative},
		{Text: "Багаж прилетел через три дня, половина вещей испорчена", Label: inbox.SentimentNegative},
		{Text: "Мастер так и не пришёл, я отпросилась с работы зря", Label: inbox.SentimentNegative},
		{Text: "Фу, какое мерзкое обслуживание", Label: inbox.SentimentNegative},
		{Text: "Обратилась в поддержку и получила отписку", Label: inbox.SentimentNegative},
		{Text: "Хуже сервиса я ещё не встречал", Label: inbox.SentimentNegative},
		{Text: "Спасибо за быстрый ответ, вопрос закрыт", Label: inbox.SentimentPositive},
		{Text: "Девушка в чате — умница, всё объяснила", Label: inbox.SentimentPositive},
		{Text: "Заказ пришёл на день раньше, приятно", Label: inbox.SentimentPositive},
		{Text: "Отличный сервис, буду обращаться ещё", Label: inbox.SentimentPositive},
		{Text: "Благодарю мастера за аккуратную работу", Label: inbox.SentimentPositive},
		{Text: "Всё супер, цветы свежие и красивые 💐", Label: inbox.SentimentPositive},
		{Text: "Вернули деньги за два дня, очень доволен", Label: inbox.SentimentPositive},
		{Text: "Классное обновление, стало удобно", Label: inbox.SentimentPositive},
		{Text: "Спасибо, что решили проблему так быстро", Label: inbox.SentimentPositive},
		{Text: "Водитель приятный, машина чистая, всё понравилось", Label: inbox.SentimentPositive},
		{Text: "Молодцы, оперативно заменили бракованный товар", Label: inbox.SentimentPositive},
		{Text: "Лучшая поддержка из всех, что я встречала", Label: inbox.SentimentPositive},
		{Text: "Ребята, вы супер! 😍", Label: inbox.SentimentPositive},
		{Text: "Большое спасибо за помощь с документами", Label: inbox.SentimentPositive},
		{Text: "Очень вкусно и быстро, спасибо", Label: inbox.SentimentPositive},
		{Text: "Как узнать, где сейчас мой заказ?", Label: inbox.SentimentNeutral},
		{Text: "Вы доставляете в Калининград?", Label: inbox.SentimentNeutral},
		{Text: "Можно оплатить при получении?", Label: inbox.SentimentNeutral},
		{Text: "Во сколько закрывается магазин в субботу?", Label: inbox.SentimentNeutral},
		{Text: "Какой срок гарантии на пылесос?", Label: inbox.SentimentNeutral},
		{Text: "Мне нужна справка об оплате для бухгалтерии", Label: inbox.SentimentNeutral},
		{Text: "Подскажите код пункта выдачи", Label: inbox.SentimentNeutral},
		{Text: "Я переехала, обновите мой адрес", Label: inbox.SentimentNeutral},
		{Text: "Где найти инструкцию к роутеру?", Label: inbox.SentimentNeutral},
		{Text: "Есть ли у вас самовывоз?", Label: inbox.SentimentNeutral},
		{Text: "Мой номер договора 77-1203", Label: inbox.SentimentNeutral},
		{Text: "Сколько дней идёт посылка в Новосибирск?", Label: inbox.SentimentNeutral},
		{Text: "Хочу подключить семейный тариф", Label: inbox.SentimentNeutral},
		{Text: "Нужно ли распечатывать билет?", Label: inbox.SentimentNeutral},
		{Text: "Пришлите реквизиты для оплаты", Label: inbox.SentimentNeutral},
	}
	for i := range t {
		t[i].Lang = LangRussian
	}
	return t
}
