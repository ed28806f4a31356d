package notify_test

import (
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/notify"
)

func TestParseSMTPURL(t *testing.T) {
	for _, c := range []struct {
		url  string
		want notify.SMTP
		err  string
	}{
		{url: "smtp://u:p%40ss@mail.example.fr?from=a@example.fr",
			want: notify.SMTP{Host: "mail.example.fr", Port: 587, Username: "u", Password: "p@ss", From: "a@example.fr", TLS: "mandatory"}},
		{url: "smtp://127.0.0.1:1025?from=a@example.fr&starttls=none",
			want: notify.SMTP{Host: "127.0.0.1", Port: 1025, From: "a@example.fr", TLS: "none"}},
		{url: "smtp://mail.example.fr?from=a@example.fr&starttls=opportunistic",
			want: notify.SMTP{Host: "mail.example.fr", Port: 587, From: "a@example.fr", TLS: "opportunistic"}},
		{url: "smtps://mail.example.fr?from=a@example.fr",
			want: notify.SMTP{Host: "mail.example.fr", Port: 465, From: "a@example.fr", TLS: "ssl"}},
		{url: "smtp://mail.example.fr", err: "l'adresse d'expédition manque"},
		{url: "http://mail.example.fr?from=a@example.fr", err: "schéma"},
		{url: "smtp://mail.example.fr?from=a@example.fr&starttls=maybe", err: "starttls=maybe"},
	} {
		got, err := notify.ParseSMTPURL(c.url)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseSMTPURL(%q) error = %v, want one about %q", c.url, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSMTPURL(%q): %v", c.url, err)
			continue
		}
		got.Timeout = 0
		if *got != c.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, want %+v", c.url, *got, c.want)
		}
	}
}
