package telegram

import "encoding/json"

// These mirror the Bot API field for field, so answers decode without a
// mapping layer; connector.go turns them into inbox items.

// User is a Telegram user or bot.
type User struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name,omitempty"`
	Username  string `json:"username,omitempty"`
}

// Chat is a private chat, group, supergroup or channel.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"` // "private", "group", "supergroup" or "channel"
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
}

// PhotoSize is one size of a photo.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// Document is a general file.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// Message is a Telegram message (the fields Stormdesk uses).
type Message struct {
	MessageID          int64       `json:"message_id"`
	MessageThreadID    int64       `json:"message_thread_id,omitempty"`
	From               *User       `json:"from,omitempty"`
	SenderChat         *Chat       `json:"sender_chat,omitempty"`
	Date               int64       `json:"date"`
	EditDate           int64       `json:"edit_date,omitempty"`
	Chat               Chat        `json:"chat"`
	ReplyToMessage     *Message    `json:"reply_to_message,omitempty"`
	IsTopicMessage     bool        `json:"is_topic_message,omitempty"`
	IsAutomaticForward bool        `json:"is_automatic_forward,omitempty"`
	Text               string      `json:"text,omitempty"`
	Caption            string      `json:"caption,omitempty"`
	Photo              []PhotoSize `json:"photo,omitempty"`
	Document           *Document   `json:"document,omitempty"`
}

// Update is one incoming update. Types Stormdesk does not ask for (polls,
// callback queries, chat member changes …) decode with all fields nil.
type Update struct {
	UpdateID          int64    `json:"update_id"`
	Message           *Message `json:"message,omitempty"`
	EditedMessage     *Message `json:"edited_message,omitempty"`
	ChannelPost       *Message `json:"channel_post,omitempty"`
	EditedChannelPost *Message `json:"edited_channel_post,omitempty"`
}

// GetUpdatesParams are the parameters of getUpdates.
type GetUpdatesParams struct {
	Offset         int64    `json:"offset,omitempty"`
	Limit          int      `json:"limit,omitempty"`
	Timeout        int      `json:"timeout,omitempty"` // long-poll seconds
	AllowedUpdates []string `json:"allowed_updates,omitempty"`
}

// ReplyParameters says which message a sent message answers.
type ReplyParameters struct {
	MessageID                int64 `json:"message_id"`
	ChatID                   int64 `json:"chat_id,omitempty"`
	AllowSendingWithoutReply bool  `json:"allow_sending_without_reply,omitempty"`
}

// SendMessageParams are the parameters of sendMessage.
type SendMessageParams struct {
	ChatID          int64            `json:"chat_id"`
	MessageThreadID int64            `json:"message_thread_id,omitempty"`
	Text            string           `json:"text"`
	ReplyParameters *ReplyParameters `json:"reply_parameters,omitempty"`
	// ParseMode "HTML" makes Telegram read the text as its HTML subset; every
	// user text in it must then be escaped (EscapeHTML).
	ParseMode string `json:"parse_mode,omitempty"`
	// LinkPreviewOptions turn off the preview of the first link (forwarded
	// digests carry many links to other people's posts).
	LinkPreviewOptions *LinkPreviewOptions `json:"link_preview_options,omitempty"`
	// DisableNotification delivers the message silently.
	DisableNotification bool `json:"disable_notification,omitempty"`
}

// LinkPreviewOptions are sendMessage's link preview settings.
type LinkPreviewOptions struct {
	IsDisabled bool `json:"is_disabled,omitempty"`
}

// DeleteMessageParams are the parameters of deleteMessage.
type DeleteMessageParams struct {
	ChatID    int64 `json:"chat_id"`
	MessageID int64 `json:"message_id"`
}

// ResponseParameters explain some errors.
type ResponseParameters struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}

// envelope is every Bot API answer.
type envelope struct {
	OK          bool                `json:"ok"`
	Result      json.RawMessage     `json:"result"`
	ErrorCode   int                 `json:"error_code"`
	Description string              `json:"description"`
	Parameters  *ResponseParameters `json:"parameters"`
}
