package imap

import (
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Kind is the channel this package connects.
const Kind = inbox.ChannelMail

// Settings is the stored, non-secret settings of a mail account.
type Settings struct {
	Host              string   `json:"host"`
	Port              int      `json:"port"`
	TLS               string   `json:"tls"` // imaps, starttls, plain (loopback only)
	Username          string   `json:"username"`
	Folders           []string `json:"folders,omitempty"`
	IncludeSpecial    bool     `json:"includeSpecial,omitempty"`
	From              string   `json:"from"`
	SMTPHost          string   `json:"smtpHost"`
	SMTPPort          int      `json:"smtpPort"`
	SMTPTLS           string   `json:"smtpTls"` // tls, starttls, plain (loopback only)
	SMTPUsername      string   `json:"smtpUsername,omitempty"`
	AllowRemoteImages bool     `json:"allowRemoteImages,omitempty"`
}

// Secrets lists the secrets a mail account needs.
func Secrets() []channels.Secret {
	return []channels.Secret{
		{Name: "password", Label: "IMAP password", Required: true},
		{Name: "smtp-password", Label: "SMTP password (if different)"},
	}
}

// Open builds the connector of one account for the registry. SMTP falls back
// to the IMAP login when no separate one is stored, as most providers share it.
func Open(s channels.Setup) (channels.Connector, error) {
	var st Settings
	if err := s.DecodeSettings(&st); err != nil {
		return nil, err
	}
	pw, smtpPW := s.Secrets["password"], s.Secrets["smtp-password"]
	if smtpPW == "" {
		smtpPW = pw
	}
	smtpUser := st.SMTPUsername
	if smtpUser == "" {
		smtpUser = st.Username
	}
	return s.Opened(New(Config{Name: s.Account.Name, Host: st.Host, Port: st.Port, TLS: st.TLS, Username: st.Username, Password: pw,
		Folders: st.Folders, IncludeSpecial: st.IncludeSpecial, From: st.From, AllowRemoteImages: st.AllowRemoteImages,
		SMTP:   SMTPConfig{Host: st.SMTPHost, Port: st.SMTPPort, TLS: st.SMTPTLS, Username: smtpUser, Password: smtpPW},
		Logger: s.Log}))
}
