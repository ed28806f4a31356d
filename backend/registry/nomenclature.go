package registry

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/nomenclature"
	"github.com/siseri/siseri/policy"
)

// NomenclatureImport is what a nomenclature import wrote.
type NomenclatureImport struct {
	Version                string
	ValidFrom              time.Time
	Domains, Sectors, Jobs int
}

// LineErrors are the problems of an imported file, each naming its line,
// its column and the offending value.
type LineErrors []*apperr.Error

func (l LineErrors) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Message
	}
	return strings.Join(msgs, "\n")
}

// maxLineErrors bounds the problems reported for one file.
const maxLineErrors = 100

var nomenclatureKinds = map[string]nomenclature.Kind{
	"DOMAIN": nomenclature.KindDomain, "SECTOR": nomenclature.KindSector, "JOB": nomenclature.KindJob,
}

// ImportNomenclature adds version of the nomenclature, in force from
// validFrom, from a CSV file kind;code;label;parent (docs/formats.md). Earlier
// versions are never changed: a version already present is refused
// (CONFLICT); a file with problems writes nothing and returns LineErrors.
// Run it in a transaction (client of ent.Tx) under a viewer that may write
// reference data (administrators, or the system for the command line).
func ImportNomenclature(ctx context.Context, client *ent.Client, r io.Reader, version string, validFrom time.Time) (*NomenclatureImport, error) {
	version = strings.TrimSpace(version)
	if version == "" || utf8.RuneCountInString(version) > 20 {
		return nil, apperr.Invalid("input.version", version, "Le nom de la version est obligatoire (20 caractères au plus).")
	}
	validFrom = time.Date(validFrom.Year(), validFrom.Month(), validFrom.Day(), 0, 0, 0, 0, time.UTC)
	exists, err := client.Nomenclature.Query().Where(nomenclature.Version(version)).Exist(policy.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("find nomenclature version: %w", err)
	}
	if exists {
		return nil, apperr.New(apperr.Conflict, "La version %s de la nomenclature existe déjà : une version importée ne se modifie pas, importez-en une nouvelle.", version)
	}
	rows, err := readNomenclature(r)
	if err != nil {
		return nil, err
	}
	res := &NomenclatureImport{Version: version, ValidFrom: validFrom}
	builders := make([]*ent.NomenclatureCreate, 0, len(rows))
	for _, row := range rows {
		builders = append(builders, client.Nomenclature.Create().SetKind(row.kind).SetVersion(version).
			SetCode(row.code).SetLabel(row.label).SetParentCode(row.parent).SetValidFrom(validFrom))
		switch row.kind {
		case nomenclature.KindDomain:
			res.Domains++
		case nomenclature.KindSector:
			res.Sectors++
		default:
			res.Jobs++
		}
	}
	const chunk = 500
	for i := 0; i < len(builders); i += chunk {
		if err := client.Nomenclature.CreateBulk(builders[i:min(i+chunk, len(builders))]...).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return res, nil
}

type nomenclatureRow struct {
	line                int
	kind                nomenclature.Kind
	code, label, parent string
}

// readNomenclature parses and checks the whole file: every problem is
// reported, with its line, column and value.
func readNomenclature(r io.Reader) ([]nomenclatureRow, error) {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var errs LineErrors
	bad := func(line int, col string, value any, format string, args ...any) {
		if len(errs) < maxLineErrors {
			errs = append(errs, apperr.Invalid(fmt.Sprintf("line[%d].%s", line, col), value,
				"Ligne %d, colonne %s : %s", line, col, fmt.Sprintf(format, args...)))
		}
	}
	var rows []nomenclatureRow
	seen := map[nomenclature.Kind]map[string]int{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			bad(perr.Line, "-", nil, "ligne illisible (%v).", perr.Err)
			continue
		}
		if err != nil {
			return nil, apperr.Wrap(err, apperr.BadUserInput, "Le fichier de nomenclature n'a pas pu être lu.")
		}
		if line == 1 && strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(rec[0]), "\ufeff"), "kind") {
			continue // header
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < 3 || len(rec) > 4 {
			bad(line, "-", len(rec), "%d colonnes au lieu de 3 ou 4 (kind;code;label;parent).", len(rec))
			continue
		}
		for len(rec) < 4 {
			rec = append(rec, "")
		}
		row := nomenclatureRow{line: line, code: strings.TrimSpace(rec[1]), label: strings.TrimSpace(rec[2]), parent: strings.TrimSpace(rec[3])}
		kind, ok := nomenclatureKinds[strings.ToUpper(strings.TrimSpace(rec[0]))]
		if !ok {
			bad(line, "kind", rec[0], "nature « %s » inconnue (DOMAIN, SECTOR ou JOB).", rec[0])
			continue
		}
		row.kind = kind
		switch {
		case row.code == "":
			bad(line, "code", row.code, "le code est obligatoire.")
		case utf8.RuneCountInString(row.code) > 20:
			bad(line, "code", row.code, "le code « %s » dépasse 20 caractères.", row.code)
		case seen[kind][row.code] != 0:
			bad(line, "code", row.code, "le code « %s » figure déjà ligne %d.", row.code, seen[kind][row.code])
		default:
			if seen[kind] == nil {
				seen[kind] = map[string]int{}
			}
			seen[kind][row.code] = line
		}
		switch {
		case row.label == "":
			bad(line, "label", row.label, "le libellé est obligatoire.")
		case utf8.RuneCountInString(row.label) > 200:
			bad(line, "label", row.label, "le libellé dépasse 200 caractères.")
		}
		rows = append(rows, row)
	}
	// Parents are checked once every code is known: a domain has none, a
	// sector belongs to a domain, a job to a sector or to none.
	for _, row := range rows {
		switch row.kind {
		case nomenclature.KindDomain:
			if row.parent != "" {
				bad(row.line, "parent", row.parent, "un domaine n'a pas de parent.")
			}
		case nomenclature.KindSector:
			if seen[nomenclature.KindDomain][row.parent] == 0 {
				bad(row.line, "parent", row.parent, "le secteur « %s » doit appartenir à un domaine du fichier (« %s » n'en est pas un).", row.code, row.parent)
			}
		case nomenclature.KindJob:
			if row.parent != "" && seen[nomenclature.KindSector][row.parent] == 0 {
				bad(row.line, "parent", row.parent, "le métier « %s » se rattache à un secteur du fichier ou à aucun (« %s » n'en est pas un).", row.code, row.parent)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(rows) == 0 || len(seen[nomenclature.KindSector]) == 0 || len(seen[nomenclature.KindJob]) == 0 {
		return nil, apperr.Invalid("input.file", nil, "Le fichier ne contient pas de nomenclature complète : il faut au moins un domaine, un secteur et un métier.")
	}
	return rows, nil
}
