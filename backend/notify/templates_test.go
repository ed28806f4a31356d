package notify_test

import (
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/notify"
)

// TestRender: every kind, the activation and the digest have a French text
// with the link under the public URL; an empty digest or an unknown template
// is an error, never an empty e-mail.
func TestRender(t *testing.T) {
	base := "https://siseri.example.fr/"
	for _, c := range []struct {
		template, link string
		counts         map[string]int
		subject, body  string
	}{
		{string(notify.ExceedanceToConfirm), "/anomalies", nil, "attend votre confirmation", "https://siseri.example.fr/anomalies"},
		{string(notify.NewAnomaly), "/depassements", nil, "Une anomalie vous attend", "https://siseri.example.fr/depassements"},
		{string(notify.Conflict), "/conflits-correction", nil, "conflit de correction", "https://siseri.example.fr/conflits-correction"},
		{string(notify.BatchRejected), "/lots", nil, "lot déposé a été refusé", "https://siseri.example.fr/lots"},
		{notify.TemplateActivation, "https://siseri.example.fr/activation/abc", nil, "Activez votre compte", "https://siseri.example.fr/activation/abc"},
		{notify.TemplateDigest, "", map[string]int{"NEW_ANOMALY": 3, "CONFLICT": 1}, "récapitulatif", "3 anomalies vous attendent"},
	} {
		m, err := notify.Render(c.template, c.link, c.counts, base)
		if err != nil {
			t.Errorf("Render(%s): %v", c.template, err)
			continue
		}
		if !strings.Contains(m.Subject+"\n"+m.Body, c.subject) || !strings.Contains(m.Body, c.body) {
			t.Errorf("Render(%s) =\n%s\n%s\nwant %q and %q", c.template, m.Subject, m.Body, c.subject, c.body)
		}
	}
	if _, err := notify.Render(notify.TemplateDigest, "", map[string]int{}, base); err == nil {
		t.Error("an empty digest rendered")
	}
	if _, err := notify.Render("UNKNOWN", "/", nil, base); err == nil {
		t.Error("an unknown template rendered")
	}
}
