package demo

import (
	"fmt"
	"strings"
	"time"
)

var (
	railCities = [3][]string{
		en: {"Hamburg", "Kiel", "Lübeck", "Rostock", "Bremen", "Hannover", "Flensburg", "Schwerin", "Berlin", "Oldenburg", "Husum"},
		de: {"Hamburg", "Kiel", "Lübeck", "Rostock", "Bremen", "Hannover", "Flensburg", "Schwerin", "Berlin", "Oldenburg", "Husum"},
		ru: {"Гамбург", "Киль", "Любек", "Росток", "Бремен", "Ганновер", "Фленсбург", "Шверин", "Берлин", "Ольденбург", "Хузум"},
	}
	airCities = [3][]string{
		en: {"Boston", "Chicago", "Denver", "Seattle", "Reykjavik", "Toronto", "New York", "Anchorage", "Minneapolis", "Portland"},
		de: {"Boston", "Chicago", "Denver", "Seattle", "Reykjavík", "Toronto", "New York", "Anchorage", "Minneapolis", "Portland"},
		ru: {"Бостон", "Чикаго", "Денвер", "Сиэтл", "Рейкьявик", "Торонто", "Нью-Йорк", "Анкоридж", "Миннеаполис", "Портленд"},
	}
	// Districts whose Russian names do not decline, so "в {district}" reads right.
	districts = [3][]string{
		en: {"Kupchino", "Devyatkino", "Murino", "Kudrovo", "Kolpino", "Avtovo", "Pulkovo", "Shuvalovo"},
		de: {"Kuptschino", "Dewjatkino", "Murino", "Kudrowo", "Kolpino", "Awtowo", "Pulkowo", "Schuwalowo"},
		ru: {"Купчино", "Девяткино", "Мурино", "Кудрово", "Колпино", "Автово", "Пулково", "Шувалово"},
	}
	tariffs = [3][]string{
		en: {"Sever 300", "Sever 500", "Sever 1000"},
		de: {"Sever 300", "Sever 500", "Sever 1000"},
		ru: {"Север 300", "Север 500", "Север 1000"},
	}
)

// slots returns the placeholder values for one conversation; local is the time
// of its first message in the brand's zone.
func (g *gen) slots(b *brandSpec, l lang, local time.Time) map[string]string {
	s := map[string]string{
		"{mins}":  unit(l, g.count(20, 140), "minute"),
		"{hours}": unit(l, g.count(2, 6), "hour"),
		"{days}":  unit(l, g.count(3, 40), "day"),
		"{since}": clock(local.Add(-g.duration(30*time.Minute, 4*time.Hour))),
		"{time}":  clock(local.Add(-g.duration(10*time.Minute, 3*time.Hour))),
	}
	switch b.dom {
	case rail:
		from, to := g.twoOf(railCities[l])
		s["{from}"], s["{to}"] = from, to
		if g.rng.IntN(3) == 0 {
			s["{train}"] = fmt.Sprintf("RE %d", 1+g.rng.IntN(20))
		} else {
			s["{train}"] = fmt.Sprintf("NB %d", 100+g.rng.IntN(2900))
		}
		s["{amount}"] = money(l, "EUR", float64(19+g.rng.IntN(170))+0.9)
		s["{ref}"] = g.token(6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
	case air:
		from, to := g.twoOf(airCities[l])
		s["{from}"], s["{to}"] = from, to
		s["{flight}"] = fmt.Sprintf("AU %d", 100+g.rng.IntN(1900))
		s["{amount}"] = money(l, "USD", float64(120+g.rng.IntN(860)))
		s["{ref}"] = g.token(6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
	case telecom:
		s["{district}"] = pick(g, districts[l])
		s["{tariff}"] = pick(g, tariffs[l])
		s["{speed}"] = speed(l, 2+g.rng.IntN(14))
		s["{amount}"] = money(l, "RUB", float64(39+g.rng.IntN(210))*10)
		s["{ref}"] = fmt.Sprintf("47%06d", g.rng.IntN(1000000))
	}
	return s
}

// count draws n in [lo, hi] avoiding numbers ending in 1 (except 11), whose
// Russian noun form would depend on the grammatical case.
func (g *gen) count(lo, hi int) int {
	for {
		n := lo + g.rng.IntN(hi-lo+1)
		if n%10 != 1 || n%100 == 11 {
			return n
		}
	}
}

func (g *gen) twoOf(xs []string) (string, string) {
	i := g.rng.IntN(len(xs))
	j := g.rng.IntN(len(xs) - 1)
	if j >= i {
		j++
	}
	return xs[i], xs[j]
}

func clock(t time.Time) string { return t.Truncate(5 * time.Minute).Format("15:04") }

// unit writes n with its noun: "3 hours", "3 Stunden", "3 часа". German days are
// dative ("seit 5 Tagen"), the only way the texts use them.
func unit(l lang, n int, what string) string {
	var word string
	switch l {
	case en:
		word = what
		if n != 1 {
			word += "s"
		}
	case de:
		word = map[string]string{"minute": "Minuten", "hour": "Stunden", "day": "Tagen"}[what]
	case ru:
		forms := map[string][3]string{
			"minute": {"минута", "минуты", "минут"},
			"hour":   {"час", "часа", "часов"},
			"day":    {"день", "дня", "дней"},
		}[what]
		word = forms[ruPlural(n)]
	}
	return fmt.Sprintf("%d %s", n, word)
}

// ruPlural picks the Russian noun form for n: 0 for 1, 21..; 1 for 2–4, 22..;
// 2 for the rest.
func ruPlural(n int) int {
	switch {
	case n%10 == 1 && n%100 != 11:
		return 0
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		return 1
	}
	return 2
}

func speed(l lang, n int) string {
	switch l {
	case en:
		return fmt.Sprintf("%d Mbps", n)
	case de:
		return fmt.Sprintf("%d Mbit/s", n)
	}
	return fmt.Sprintf("%d Мбит/с", n)
}

// money formats an amount the way a customer writing in l would.
func money(l lang, currency string, v float64) string {
	whole := int64(v)
	cents := int64(v*100+0.5) % 100
	group := func(sep string) string {
		s := fmt.Sprint(whole)
		var b strings.Builder
		for i, r := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	switch currency {
	case "EUR":
		if l == en {
			return fmt.Sprintf("€%s.%02d", group(","), cents)
		}
		return fmt.Sprintf("%s,%02d €", group("."), cents)
	case "USD":
		if l == de {
			return fmt.Sprintf("%s Dollar", group("."))
		}
		return "$" + group(",")
	}
	switch l {
	case en:
		return group(",") + " rubles"
	case de:
		return group(".") + " Rubel"
	}
	return group(" ") + " ₽"
}
