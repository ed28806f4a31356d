package dosimetry

import (
	"fmt"
	"strings"
	"unicode"
)

// CodeError reports a code that is not part of a closed list, such as an
// unknown monitoring kind or quantity. Field is the French name of what was
// expected ("type de surveillance"), Value the input and Allowed the codes
// that would have been accepted.
type CodeError struct {
	Field   string
	Value   string
	Allowed []string
}

// Error returns a French sentence naming the value and the accepted codes.
func (e *CodeError) Error() string {
	return fmt.Sprintf("La valeur %s n'est pas reconnue comme %s (valeurs admises : %s).",
		quote(e.Value), e.Field, strings.Join(e.Allowed, ", "))
}

func quote(v string) string {
	if d := displayValue(v); d != "" {
		if strings.HasPrefix(d, "« ") {
			return d
		}
		return "« " + d + " »"
	}
	return "vide"
}

func badChar(what string, r rune, pos int) string {
	if unicode.IsSpace(r) {
		return fmt.Sprintf("contient une espace en position %d", pos)
	}
	return fmt.Sprintf("contient %s %s en position %d", what, quote(string(r)), pos)
}

func plural(n int, one, many string) string {
	if n == 1 || n == 0 {
		return fmt.Sprintf(one, n)
	}
	return fmt.Sprintf(many, n)
}
