package sentiment

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// TimedExample is an example with the time it was written, for time splits.
type TimedExample struct {
	Example
	ID   uint64
	Time time.Time
}

// twitterEpochMS is the Snowflake epoch: a tweet id's high bits are
// milliseconds since then, so ids order tweets by time.
const twitterEpochMS = 1288834974657

// SnowflakeTime returns the creation time encoded in a tweet id.
func SnowflakeTime(id uint64) time.Time {
	return time.UnixMilli(int64(id>>22) + twitterEpochMS).UTC()
}

// ReadTweets reads a labelled tweet CSV such as the airline set
// (tweet_id, airline_sentiment, text) or RuSentiTweet (text, label, id).
// Rows with other labels are dropped and counted in skipped.
func ReadTweets(ctx context.Context, r io.Reader, idCol, labelCol, textCol, lang string) (ex []TimedExample, skipped int, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, 0, fmt.Errorf("read tweets header: %w", err)
	}
	col := headerColumns(head)
	for _, c := range []string{idCol, labelCol, textCol} {
		if _, ok := col[c]; !ok {
			return nil, 0, fmt.Errorf("read tweets: header %q lacks column %q", head, c)
		}
	}
	err = csvRows(ctx, cr, "tweets", 2, func(rec []string) {
		lab := inbox.Sentiment(strings.ToLower(strings.TrimSpace(field(rec, col[labelCol]))))
		id, perr := strconv.ParseUint(strings.TrimSpace(field(rec, col[idCol])), 10, 64)
		if classIndex(lab) < 0 || perr != nil {
			skipped++
			return
		}
		ex = append(ex, TimedExample{
			Example: Example{Text: field(rec, col[textCol]), Label: lab, Lang: lang},
			ID:      id,
			Time:    SnowflakeTime(id),
		})
	})
	if err != nil {
		return nil, 0, err
	}
	return ex, skipped, nil
}

// TimeSplit orders examples by id (creation time for tweets) and returns the
// earliest frac as train and the rest as test. Ties keep file order.
func TimeSplit(ex []TimedExample, frac float64) (train, test []Example) {
	s := append([]TimedExample(nil), ex...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].ID < s[j].ID })
	cut := int(float64(len(s)) * frac)
	for i, e := range s {
		if i < cut {
			train = append(train, e.Example)
		} else {
			test = append(test, e.Example)
		}
	}
	return train, test
}

// Examples drops the times.
func Examples(ex []TimedExample) []Example {
	out := make([]Example, len(ex))
	for i, e := range ex {
		out[i] = e.Example
	}
	return out
}
