package graphfake

import (
	"time"
)

// Comment is a comment a fake holds, on a Facebook post or Instagram media.
type Comment struct {
	ID       string
	ObjectID string // the post or media
	ParentID string // the top-level comment of a reply; "" for a top-level comment
	FromID   string
	From     string // the name (Facebook) or username (Instagram)
	Text     string
	At       time.Time
	Hidden   bool
	Deleted  bool
}

// Object is a post or media with its comments, oldest first.
type Object struct {
	ID       string
	Text     string
	At       time.Time
	Comments []*Comment
}

// Objects holds a fake's commentable objects under the Base's lock.
type Objects struct {
	b         *Base
	list      []*Object
	seq       int
	objectID  func(n int) string
	commentID func(o *Object, n int) string
}

// NewObjects returns an empty store whose ids are made by objectID and commentID.
func (b *Base) NewObjects(objectID func(n int) string, commentID func(o *Object, n int) string) *Objects {
	return &Objects{b: b, objectID: objectID, commentID: commentID}
}

// Add adds an object and returns its id.
func (o *Objects) Add(text string, at time.Time) string {
	o.b.Lock()
	defer o.b.Unlock()
	o.seq++
	obj := &Object{ID: o.objectID(o.seq), Text: text, At: at.UTC()}
	o.list = append(o.list, obj)
	return obj.ID
}

// AddComment adds a comment (parentID "" for a top-level one) and returns its id.
func (o *Objects) AddComment(objectID, parentID, fromID, from, text string, at time.Time) string {
	o.b.Lock()
	defer o.b.Unlock()
	return o.AddCommentLocked(objectID, parentID, fromID, from, text, at)
}

// AddCommentLocked is AddComment for a caller holding the Base's lock. A reply
// to a reply joins its top-level comment: Meta nests one level.
func (o *Objects) AddCommentLocked(objectID, parentID, fromID, from, text string, at time.Time) string {
	obj, _ := o.FindLocked(objectID)
	if _, p := o.FindLocked(parentID); p != nil && p.ParentID != "" {
		parentID = p.ParentID
	}
	o.seq++
	c := &Comment{ID: o.commentID(obj, o.seq), ObjectID: objectID, ParentID: parentID, FromID: fromID, From: from, Text: text, At: at.UTC()}
	obj.Comments = append(obj.Comments, c)
	return c.ID
}

// Comment returns a copy of a comment that is not deleted.
func (o *Objects) Comment(id string) (Comment, bool) {
	o.b.Lock()
	defer o.b.Unlock()
	if _, c := o.FindLocked(id); c != nil {
		return *c, true
	}
	return Comment{}, false
}

// FindLocked returns the object or the (not deleted) comment with id; the
// caller holds the Base's lock.
func (o *Objects) FindLocked(id string) (*Object, *Comment) {
	for _, obj := range o.list {
		if obj.ID == id {
			return obj, nil
		}
		for _, c := range obj.Comments {
			if c.ID == id && !c.Deleted {
				return nil, c
			}
		}
	}
	return nil, nil
}

// ListLocked returns the objects, oldest first; the caller holds the Base's lock.
func (o *Objects) ListLocked() []*Object { return o.list }
