package store

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestNoteMentions: a note's mentions are stored with it, listed per member
// unread first and newest first, marked read only for that member, shown with
// the thread's notes, and gone with the note.
func TestNoteMentions(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	clk := withClock(s, testNow)
	ids := triageFixture(t, s, 2)

	add := func(conv int64, author, body string, mentions ...string) Note {
		t.Helper()
		clk.set(clk.t.Add(time.Minute))
		n, err := s.AddNote(ctx, conv, author, body, mentions...)
		if err != nil {
			t.Fatalf("AddNote(%q): %v", body, err)
		}
		return n
	}
	first := add(ids[0], "Pete Lee", "@Ann Lee please call", "Ann Lee")
	both := add(ids[1], "Pete Lee", "@Ann Lee and @Bo", "Ann Lee", "Bo")
	add(ids[0], "Bo", "nobody mentioned")
	third := add(ids[0], "Bo", "@ann lee again", "Ann Lee", "Ann Lee")
	if !slices.Equal(third.Mentions, []string{"Ann Lee"}) {
		t.Errorf("AddNote's mentions = %v", third.Mentions)
	}

	noteIDs := func(ms []Mention) []int64 {
		var out []int64
		for _, m := range ms {
			out = append(out, m.NoteID)
		}
		return out
	}
	mentions := func(member string) []Mention {
		t.Helper()
		ms, err := s.Mentions(ctx, member)
		if err != nil {
			t.Fatalf("Mentions(%s): %v", member, err)
		}
		return ms
	}

	ann := mentions("Ann Lee")
	if got, want := noteIDs(ann), []int64{third.ID, both.ID, first.ID}; !slices.Equal(got, want) {
		t.Fatalf("Ann's mentions = %v, want newest first %v", got, want)
	}
	if ann[0].Author != "Bo" || ann[0].ConversationID != ids[0] || ann[0].Customer != "Customer t1" || ann[0].Body != "@ann lee again" || ann[0].ReadAt != nil || !ann[0].CreatedAt.Equal(third.CreatedAt) {
		t.Errorf("Ann's newest mention = %+v", ann[0])
	}
	if bo := mentions("Bo"); !slices.Equal(noteIDs(bo), []int64{both.ID}) || bo[0].Customer != "Customer t2" {
		t.Errorf("Bo's mentions = %+v, want note %d on the conversation with Customer t2", bo, both.ID)
	}
	if got := mentions("Nobody"); len(got) != 0 {
		t.Errorf("mentions of a member nobody mentioned = %v", got)
	}

	// Reading marks only the reader's own mentions; a note that does not
	// mention the reader is ignored.
	clk.set(clk.t.Add(time.Minute))
	readAt := clk.t
	if err := s.MarkMentionsRead(ctx, "Ann Lee", []int64{third.ID, 424242}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkMentionsRead(ctx, "Bo", []int64{first.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkMentionsRead(ctx, "Bo", nil); err != nil {
		t.Fatal(err)
	}
	ann = mentions("Ann Lee")
	if got, want := noteIDs(ann), []int64{both.ID, first.ID, third.ID}; !slices.Equal(got, want) {
		t.Fatalf("after reading one: %v, want unread first %v", got, want)
	}
	if ann[2].ReadAt == nil || !ann[2].ReadAt.Equal(readAt) || ann[0].ReadAt != nil {
		t.Errorf("read marks: %+v", ann)
	}
	if bo := mentions("Bo"); bo[0].ReadAt != nil {
		t.Errorf("Bo's mention was marked read by Ann: %+v", bo[0])
	}
	// Reading again keeps the first time.
	clk.set(clk.t.Add(time.Minute))
	if err := s.MarkMentionsRead(ctx, "Ann Lee", []int64{third.ID}); err != nil {
		t.Fatal(err)
	}
	if ann = mentions("Ann Lee"); !ann[2].ReadAt.Equal(readAt) {
		t.Errorf("read again moved read_at to %v, want %v", ann[2].ReadAt, readAt)
	}

	notes, err := s.Notes(ctx, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !slices.Equal(notes[0].Mentions, []string{"Ann Lee", "Bo"}) {
		t.Errorf("thread notes = %+v, want the note with its two mentions", notes)
	}
	if notes, _ := s.Notes(ctx, ids[0]); notes[1].Mentions == nil || len(notes[1].Mentions) != 0 {
		t.Errorf("a note without mentions has %#v, want an empty list", notes[1].Mentions)
	}

	if err := s.DeleteNote(ctx, both.ID, "Pete Lee"); err != nil {
		t.Fatal(err)
	}
	if got := noteIDs(mentions("Bo")); len(got) != 0 {
		t.Errorf("mentions of a deleted note remain: %v", got)
	}
	if got := noteIDs(mentions("Ann Lee")); slices.Contains(got, both.ID) {
		t.Errorf("Ann still lists the deleted note: %v", got)
	}
}
