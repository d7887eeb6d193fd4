package youtube

import "time"

// Field names below are those of the YouTube Data API v3 resources.

// CommentThreadListResponse is the answer of commentThreads.list.
type CommentThreadListResponse struct {
	Kind          string          `json:"kind"`
	NextPageToken string          `json:"nextPageToken"`
	PageInfo      PageInfo        `json:"pageInfo"`
	Items         []CommentThread `json:"items"`
}

// PageInfo is the paging summary of a list answer.
type PageInfo struct {
	TotalResults   int `json:"totalResults"`
	ResultsPerPage int `json:"resultsPerPage"`
}

// CommentThread is a top-level comment and some of its replies.
type CommentThread struct {
	Kind    string               `json:"kind"`
	ID      string               `json:"id"`
	Snippet CommentThreadSnippet `json:"snippet"`
	Replies *struct {
		Comments []Comment `json:"comments"`
	} `json:"replies,omitempty"`
}

// CommentThreadSnippet is a thread's snippet part.
type CommentThreadSnippet struct {
	ChannelID       string   `json:"channelId"`
	VideoID         string   `json:"videoId"`
	TopLevelComment *Comment `json:"topLevelComment"`
	CanReply        bool     `json:"canReply"`
	TotalReplyCount int      `json:"totalReplyCount"`
	IsPublic        bool     `json:"isPublic"`
}

// Comment is one comment resource.
type Comment struct {
	Kind    string         `json:"kind"`
	ID      string         `json:"id"`
	Snippet CommentSnippet `json:"snippet"`
}

// CommentSnippet is a comment's snippet part.
type CommentSnippet struct {
	AuthorDisplayName string `json:"authorDisplayName,omitempty"`
	AuthorChannelURL  string `json:"authorChannelUrl,omitempty"`
	AuthorChannelID   *struct {
		Value string `json:"value"`
	} `json:"authorChannelId,omitempty"`
	ChannelID        string    `json:"channelId,omitempty"`
	VideoID          string    `json:"videoId,omitempty"`
	TextDisplay      string    `json:"textDisplay,omitempty"`
	TextOriginal     string    `json:"textOriginal,omitempty"`
	ParentID         string    `json:"parentId,omitempty"`
	ModerationStatus string    `json:"moderationStatus,omitempty"`
	LikeCount        int       `json:"likeCount,omitempty"`
	PublishedAt      time.Time `json:"publishedAt,omitzero"`
	UpdatedAt        time.Time `json:"updatedAt,omitzero"`
}

// ChannelListResponse is the answer of channels.list.
type ChannelListResponse struct {
	Items []Channel `json:"items"`
}

// Channel is a channel resource (the parts Stormdesk reads).
type Channel struct {
	ID         string `json:"id"`
	Statistics *struct {
		SubscriberCount string `json:"subscriberCount"`
	} `json:"statistics,omitempty"`
}

// ListThreadsParams are commentThreads.list parameters: one of
// AllThreadsRelatedToChannelID or VideoID selects the threads.
type ListThreadsParams struct {
	AllThreadsRelatedToChannelID string
	VideoID                      string
	MaxResults                   int    // 1..100
	PageToken                    string // "" = first page
	Order                        string // "time" (default) or "relevance"
}

// Moderation statuses of comments.setModerationStatus.
const (
	StatusHeldForReview = "heldForReview"
	StatusPublished     = "published"
	StatusRejected      = "rejected"
)

// SearchListResponse is the answer of search.list.
type SearchListResponse struct {
	Kind          string         `json:"kind"`
	NextPageToken string         `json:"nextPageToken"`
	PageInfo      PageInfo       `json:"pageInfo"`
	Items         []SearchResult `json:"items"`
}

// SearchResult is one search result; ID.Kind says what it is.
type SearchResult struct {
	Kind string `json:"kind"`
	ID   struct {
		Kind    string `json:"kind"` // "youtube#video" with type=video
		VideoID string `json:"videoId"`
	} `json:"id"`
	Snippet struct {
		PublishedAt time.Time `json:"publishedAt"`
		ChannelID   string    `json:"channelId"`
		// Title and Description arrive HTML-escaped (&amp;, &#39;), and the
		// description is cut to about 160 characters.
		Title                string `json:"title"`
		Description          string `json:"description"`
		ChannelTitle         string `json:"channelTitle"`
		LiveBroadcastContent string `json:"liveBroadcastContent"`
	} `json:"snippet"`
}

// SearchParams are search.list parameters; type=video and order=date are
// always sent.
type SearchParams struct {
	Q                 string
	PublishedAfter    time.Time // inclusive; zero = not sent
	PublishedBefore   time.Time // exclusive; zero = not sent
	PageToken         string
	MaxResults        int    // 0..50
	RelevanceLanguage string // a bias, not a filter
}
