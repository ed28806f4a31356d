package notify

import (
	"fmt"
	"strings"
)

// Mail is the text of one e-mail.
type Mail struct {
	Subject, Body string
}

// kindLines say, without any health data (no name, NIR, value or place),
// what waits: one sentence per kind, singular and plural.
var kindLines = map[string][2]string{
	string(ExceedanceToConfirm): {"Un dépassement de limite attend votre confirmation dans SISERI.", "%d dépassements de limite attendent votre confirmation dans SISERI."},
	string(NewAnomaly):          {"Une anomalie vous attend dans SISERI.", "%d anomalies vous attendent dans SISERI."},
	string(Conflict):            {"Un conflit de correction attend votre décision dans SISERI.", "%d conflits de correction attendent votre décision dans SISERI."},
	string(BatchRejected):       {"Un lot déposé a été refusé par SISERI.", "%d lots déposés ont été refusés par SISERI."},
}

const signature = "\n\n-- \nSISERI, registre national de la dosimétrie des travailleurs.\n" +
	"Ce message ne contient aucune donnée de santé : connectez-vous pour en lire le détail.\n" +
	"Pour choisir les courriels que vous recevez : %s/compte/notifications\n"

// Render returns the e-mail of an outbox message. base is the server's public
// URL; link is a path under it, or a full URL (activation).
func Render(template, link string, counts map[string]int, base string) (Mail, error) {
	base = strings.TrimRight(base, "/")
	url := link
	if strings.HasPrefix(link, "/") {
		url = base + link
	}
	foot := fmt.Sprintf(signature, base)
	switch template {
	case TemplateActivation:
		return Mail{Subject: "Activez votre compte SISERI",
			Body: "Un compte SISERI a été ouvert à votre nom.\n\nPour l'activer et choisir votre mot de passe, ouvrez ce lien (valable 24 heures, une seule fois) :\n" +
				url + "\n\nSi vous n'attendiez pas ce message, ignorez-le.\n\n-- \nSISERI, registre national de la dosimétrie des travailleurs.\n"}, nil
	case TemplateDigest:
		var lines []string
		total := 0
		for _, k := range Kinds {
			n := counts[string(k)]
			if n == 0 {
				continue
			}
			total += n
			lines = append(lines, "- "+count(string(k), n))
		}
		if total == 0 {
			return Mail{}, fmt.Errorf("notify: empty digest")
		}
		return Mail{Subject: "SISERI : votre récapitulatif quotidien",
			Body: "Depuis votre dernier récapitulatif :\n\n" + strings.Join(lines, "\n") +
				"\n\nConnectez-vous pour les consulter : " + base + "/" + foot}, nil
	}
	if _, ok := kindLines[template]; !ok {
		return Mail{}, fmt.Errorf("notify: unknown template %q", template)
	}
	line := count(template, 1)
	return Mail{Subject: "SISERI : " + strings.TrimSuffix(strings.TrimSuffix(line, " dans SISERI."), " par SISERI."),
		Body: line + "\n\nPour en lire le détail, connectez-vous : " + url + foot}, nil
}

func count(kind string, n int) string {
	l := kindLines[kind]
	if n == 1 {
		return l[0]
	}
	return fmt.Sprintf(l[1], n)
}
