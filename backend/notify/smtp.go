package notify

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// SMTP is the configuration of the outgoing mail server, read from a URL:
//
//	smtp://user:pass@host:port?from=siseri@example.fr&starttls=mandatory
//	smtps://user:pass@host:465?from=…   (TLS from the first byte)
//
// starttls is mandatory (the default), opportunistic or none; without a user
// no authentication is attempted.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	// TLS is "mandatory", "opportunistic" or "none" (STARTTLS), or "ssl"
	// (smtps: TLS from the start).
	TLS     string
	Timeout time.Duration
}

// ParseSMTPURL reads an SMTP URL (see SMTP).
func ParseSMTPURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("SISERI_SMTP_URL n'est pas une URL lisible : %w", err)
	}
	c := &SMTP{Host: u.Hostname(), From: u.Query().Get("from"), Timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = "mandatory", 587
		if s := strings.ToLower(u.Query().Get("starttls")); s != "" {
			switch s {
			case "mandatory", "true", "1":
				c.TLS = "mandatory"
			case "opportunistic":
				c.TLS = "opportunistic"
			case "none", "false", "0":
				c.TLS = "none"
			default:
				return nil, fmt.Errorf("SISERI_SMTP_URL : starttls=%s n'est pas reconnu (mandatory, opportunistic ou none).", s)
			}
		}
	case "smtps":
		c.TLS, c.Port = "ssl", 465
	default:
		return nil, fmt.Errorf("SISERI_SMTP_URL : le schéma %q n'est pas reconnu (smtp ou smtps).", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SISERI_SMTP_URL : le port %q n'est pas un nombre.", p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if c.Host == "" {
		return nil, fmt.Errorf("SISERI_SMTP_URL : le serveur SMTP n'est pas indiqué.")
	}
	if c.From == "" {
		return nil, fmt.Errorf("SISERI_SMTP_URL : l'adresse d'expédition manque (?from=…).")
	}
	return c, nil
}

// Addr is host:port.
func (c *SMTP) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// client returns a go-mail client for c.
func (c *SMTP) client() (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(c.Port), mail.WithTimeout(c.Timeout)}
	switch c.TLS {
	case "ssl":
		opts = append(opts, mail.WithSSL())
	case "opportunistic":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if c.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(c.Username), mail.WithPassword(c.Password))
	}
	return mail.NewClient(c.Host, opts...)
}

// Message is one e-mail ready to send.
type Message struct {
	To        string
	MessageID string
	Mail
}

// Send delivers msgs over one connection. It returns, per message, nil or
// the error it met (every message fails alike when the server cannot be
// reached).
func (c *SMTP) Send(ctx context.Context, msgs []Message) []error {
	errs := make([]error, len(msgs))
	fail := func(err error) []error {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	cl, err := c.client()
	if err != nil {
		return fail(err)
	}
	if err := cl.DialWithContext(ctx); err != nil {
		return fail(fmt.Errorf("connect to %s: %w", c.Addr(), err))
	}
	defer cl.Close()
	for i, m := range msgs {
		msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
		if err := msg.From(c.From); err != nil {
			return fail(fmt.Errorf("sender address: %w", err))
		}
		if err := msg.To(m.To); err != nil {
			errs[i] = fmt.Errorf("recipient address: %w", err)
			continue
		}
		msg.Subject(m.Subject)
		msg.SetDate()
		msg.SetMessageIDWithValue(m.MessageID)
		msg.SetBodyString(mail.TypeTextPlain, m.Body)
		errs[i] = cl.Send(msg)
	}
	return errs
}
