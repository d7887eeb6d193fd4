package telegramfake

import (
	"fmt"
	"strconv"
	"strings"
)

// htmlTags are the tags of the Bot API's HTML parse mode
// (https://core.telegram.org/bots/api#html-style).
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

// ParseHTML is the fake's reading of a text sent with parse_mode "HTML", for
// tests of senders that want the check without a request.
func ParseHTML(text string) (shown string, err error) { return parseHTML(text) }

// parseHTML checks text as Telegram's HTML parse mode does and returns what
// the chat shows: tags removed, entities decoded. A '<', '>' or '&' that is
// not part of a tag or entity, an unknown tag or an unclosed one is an error,
// as the documentation says ("must be replaced with the corresponding HTML
// entities").
func parseHTML(text string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(text); {
		c := text[i]
		switch c {
		case '<':
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			tag := text[i+1 : i+end]
			closing := strings.HasPrefix(tag, "/")
			tag = strings.TrimPrefix(tag, "/")
			name := strings.ToLower(strings.Fields(tag + " ")[0])
			if !htmlTags[name] {
				return "", fmt.Errorf("unsupported start tag %q at byte offset %d", name, i)
			}
			if closing {
				if len(open) == 0 || open[len(open)-1] != name {
					return "", fmt.Errorf("unmatched end tag at byte offset %d, expected \"</%s>\"", i, lastOr(open))
				}
				open = open[:len(open)-1]
			} else {
				if name == "a" && !strings.Contains(tag, "href=") {
					return "", fmt.Errorf("a tag without href at byte offset %d", i)
				}
				if strings.ContainsAny(tag, "<&") && !validAttr(tag) {
					return "", fmt.Errorf("malformed tag at byte offset %d", i)
				}
				open = append(open, name)
			}
			i += end + 1
		case '>':
			return "", fmt.Errorf("character '>' is reserved at byte offset %d", i)
		case '&':
			end := strings.IndexByte(text[i:], ';')
			if end < 0 {
				return "", fmt.Errorf("character '&' is reserved at byte offset %d", i)
			}
			r, ok := entity(text[i+1 : i+end])
			if !ok {
				return "", fmt.Errorf("unsupported entity at byte offset %d", i)
			}
			out.WriteString(r)
			i += end + 1
		default:
			out.WriteByte(c)
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return out.String(), nil
}

// validAttr accepts attribute values whose '&' start entities.
func validAttr(tag string) bool {
	if strings.Contains(tag, "<") {
		return false
	}
	for i := strings.IndexByte(tag, '&'); i >= 0; {
		end := strings.IndexByte(tag[i:], ';')
		if end < 0 {
			return false
		}
		if _, ok := entity(tag[i+1 : i+end]); !ok {
			return false
		}
		next := strings.IndexByte(tag[i+end:], '&')
		if next < 0 {
			break
		}
		i += end + next
	}
	return true
}

func entity(name string) (string, bool) {
	switch name {
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "amp":
		return "&", true
	case "quot":
		return `"`, true
	}
	if strings.HasPrefix(name, "#x") || strings.HasPrefix(name, "#X") {
		n, err := strconv.ParseInt(name[2:], 16, 32)
		return string(rune(n)), err == nil
	}
	if strings.HasPrefix(name, "#") {
		n, err := strconv.ParseInt(name[1:], 10, 32)
		return string(rune(n)), err == nil
	}
	return "", false
}

func lastOr(open []string) string {
	if len(open) == 0 {
		return ""
	}
	return open[len(open)-1]
}
