package certificate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// Holder is the person a certificate is about.
type Holder struct {
	LastName, UsageName, FirstNames string
	BirthDate                       time.Time
	NIR                             string
}

// Employment is one declared employment.
type Employment struct {
	Establishment, SIRET string
	Start                time.Time
	End                  *time.Time
}

// Result is one dose of record.
type Result struct {
	PeriodStart, PeriodEnd time.Time
	MonitoringKind         string
	Quantity               string
	Status                 string
	ValueUsv               int64
	Establishment          string
}

// Standing is the holder's standing against one limit.
type Standing struct {
	Label                  string
	SumUsv, LimitUsv       int64
	WindowStart, WindowEnd time.Time
}

// Document is the content of a certificate.
type Document struct {
	ID          string
	Issued      time.Time
	Holder      Holder
	Employments []Employment
	Results     []Result
	Standings   []Standing
}

// Initials returns the holder's initials, e.g. « J. D. » for Jeanne Dupont.
func Initials(h Holder) string {
	first := func(s string) string {
		for _, r := range strings.TrimSpace(s) {
			if unicode.IsLetter(r) {
				return string(unicode.ToUpper(r)) + "."
			}
		}
		return ""
	}
	return strings.TrimSpace(first(h.FirstNames) + " " + first(h.LastName))
}

// MaskNIR hides a NIR but its last four characters.
func MaskNIR(nir string) string {
	n := utf8.RuneCountInString(nir)
	if n <= 4 {
		return strings.Repeat("*", n)
	}
	r := []rune(nir)
	return strings.Repeat("*", n-4) + string(r[n-4:])
}

// ContentHash is the SHA-256 (hex) of the certified results, in order.
func ContentHash(results []Result) string {
	h := sha256.New()
	for _, r := range results {
		fmt.Fprintf(h, "%s;%s;%s;%s;%s;%d;%s\n", day(r.PeriodStart), day(r.PeriodEnd), r.MonitoringKind, r.Quantity, r.Status, r.ValueUsv, r.Establishment)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Claim returns what the signatures of d assert.
func (d Document) Claim() Claim {
	return Claim{ID: d.ID, Holder: Initials(d.Holder), Issued: day(d.Issued), Content: ContentHash(d.Results)}
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func frDate(t time.Time) string { return t.Format("02/01/2006") }

func msv(usv int64) string {
	return strings.Replace(fmt.Sprintf("%.3f", float64(usv)/1000), ".", ",", 1)
}

// quantityLabels are the French names of the dose quantities.
var quantityLabels = map[string]string{
	"HP10": "Hp(10) corps entier", "HP007": "Hp(0,07) peau / extrémités", "HP3": "Hp(3) cristallin",
	"E50": "E(50) dose engagée", "E": "E dose efficace",
}

// statusLabels are the French names of the result statuses.
var statusLabels = map[string]string{
	"MEASURED": "mesurée", "BELOW_THRESHOLD": "sous le seuil", "ABSENT": "absente",
	"EXTRAPOLATED": "extrapolée", "MODELLED": "modélisée",
}

func label(m map[string]string, k string) string {
	if l, ok := m[k]; ok {
		return l
	}
	return k
}

// Render writes the certificate as a PDF whose QR code links to verifyURL,
// with the claim's signature in its keywords; the caller seals the result
// (Keyring.Seal).
func Render(d Document, verifyURL, keywords string) ([]byte, error) {
	png, err := qrcode.Encode(verifyURL, qrcode.Medium, 256)
	if err != nil {
		return nil, fmt.Errorf("certificate: QR code: %w", err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: French accents in the core fonts
	pdf.SetCreationDate(d.Issued)
	pdf.SetModificationDate(d.Issued)
	pdf.SetCatalogSort(true)
	pdf.SetTitle("Attestation d'historique dosimétrique n° "+d.ID, true)
	pdf.SetAuthor("Registre SISERI", true)
	pdf.SetCreator("SISERI", true)
	pdf.SetKeywords(keywords, false) // ASCII: readable by any tool
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("Certificat n° %s — délivré le %s par le registre SISERI — page %d/{nb}", d.ID, frDate(d.Issued), pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 16)
	pdf.MultiCell(140, 8, tr("Attestation d'historique dosimétrique"), "", "L", false)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(140, 5, tr(fmt.Sprintf("Certificat n° %s, délivré le %s par le registre SISERI (système d'information de la surveillance de l'exposition aux rayonnements ionisants).", d.ID, frDate(d.Issued))), "", "L", false)
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	pdf.ImageOptions("qr", 160, 10, 40, 40, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, verifyURL)
	pdf.SetXY(155, 50)
	pdf.SetFont("Helvetica", "", 7)
	pdf.MultiCell(50, 3.5, tr("Vérifier l'authenticité : scanner ce code ou déposer ce fichier sur la page de vérification du registre."), "", "C", false)

	pdf.SetXY(10, 60)
	heading := func(s string) {
		pdf.Ln(3)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(0, 7, tr(s), "B", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.Ln(1)
	}
	line := func(s string) { pdf.MultiCell(0, 5, tr(s), "", "L", false) }

	h := d.Holder
	heading("Titulaire")
	name := h.FirstNames + " " + h.LastName
	if h.UsageName != "" {
		name += " (nom d'usage " + h.UsageName + ")"
	}
	line("Nom et prénoms : " + name)
	line("Date de naissance : " + frDate(h.BirthDate))
	if h.NIR != "" {
		line("NIR : " + MaskNIR(h.NIR) + " (masqué sauf les quatre derniers caractères)")
	}
	if len(d.Results) > 0 {
		from, to := d.Results[0].PeriodStart, d.Results[0].PeriodEnd
		for _, r := range d.Results {
			if r.PeriodStart.Before(from) {
				from = r.PeriodStart
			}
			if r.PeriodEnd.After(to) {
				to = r.PeriodEnd
			}
		}
		line(fmt.Sprintf("Période couverte : du %s au %s", frDate(from), frDate(to)))
	} else {
		line("Période couverte : aucun résultat enregistré")
	}

	heading("Emplois déclarés")
	if len(d.Employments) == 0 {
		line("Aucun emploi déclaré.")
	}
	for _, e := range d.Employments {
		end := "à ce jour"
		if e.End != nil {
			end = "au " + frDate(*e.End)
		}
		line(fmt.Sprintf("%s (SIRET %s) : du %s %s", e.Establishment, e.SIRET, frDate(e.Start), end))
	}

	table := func(widths []float64, header []string, rows [][]string) {
		head := func() {
			pdf.SetFont("Helvetica", "B", 8)
			pdf.SetFillColor(230, 230, 240)
			for i, c := range header {
				pdf.CellFormat(widths[i], 6, tr(c), "1", 0, "L", true, 0, "")
			}
			pdf.Ln(-1)
			pdf.SetFont("Helvetica", "", 8)
		}
		head()
		_, pageHeight := pdf.GetPageSize()
		_, _, _, bottom := pdf.GetMargins()
		for _, row := range rows {
			if pdf.GetY()+5 > pageHeight-bottom-10 { // the header again on each page
				pdf.AddPage()
				head()
			}
			for i, c := range row {
				align := "L"
				if strings.HasSuffix(header[i], "(mSv)") {
					align = "R"
				}
				pdf.CellFormat(widths[i], 5, tr(c), "1", 0, align, false, 0, "")
			}
			pdf.Ln(-1)
		}
	}

	heading("Situation au regard des limites réglementaires")
	if len(d.Standings) == 0 {
		line("Aucune situation calculée.")
	} else {
		var rows [][]string
		for _, s := range d.Standings {
			rows = append(rows, []string{s.Label, frDate(s.WindowStart) + " – " + frDate(s.WindowEnd), msv(s.SumUsv), msv(s.LimitUsv)})
		}
		table([]float64{95, 45, 25, 25}, []string{"Limite", "Période", "Cumul (mSv)", "Limite (mSv)"}, rows)
	}

	heading("Totaux par année et par grandeur")
	type key struct {
		year     int
		quantity string
	}
	totals := map[key]int64{}
	counts := map[key]int{}
	for _, r := range d.Results {
		k := key{r.PeriodEnd.Year(), r.Quantity}
		totals[k] += r.ValueUsv
		counts[k]++
	}
	keys := make([]key, 0, len(totals))
	for k := range totals {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].year != keys[j].year {
			return keys[i].year > keys[j].year
		}
		return keys[i].quantity < keys[j].quantity
	})
	if len(keys) == 0 {
		line("Aucun résultat.")
	} else {
		var rows [][]string
		for _, k := range keys {
			rows = append(rows, []string{fmt.Sprint(k.year), label(quantityLabels, k.quantity), fmt.Sprint(counts[k]), msv(totals[k])})
		}
		table([]float64{25, 95, 35, 35}, []string{"Année", "Grandeur", "Résultats", "Total (mSv)"}, rows)
	}

	heading("Résultats de la surveillance dosimétrique individuelle (versions en vigueur)")
	if len(d.Results) == 0 {
		line("Aucun résultat.")
	} else {
		var rows [][]string
		for _, r := range d.Results {
			rows = append(rows, []string{frDate(r.PeriodStart) + " – " + frDate(r.PeriodEnd), label(quantityLabels, r.Quantity),
				label(statusLabels, r.Status), msv(r.ValueUsv), r.Establishment})
		}
		table([]float64{40, 45, 25, 22, 58}, []string{"Période", "Grandeur", "Statut", "Dose (mSv)", "Établissement"}, rows)
	}

	heading("Authenticité")
	line(fmt.Sprintf("Ce document est signé par le registre SISERI (Ed25519) ; initiales du titulaire : %s Toute modification du fichier, même d'un caractère, est détectée par la page de vérification du registre.", Initials(h)))
	pdf.SetFont("Courier", "", 7)
	line(verifyURL)

	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("certificate: render: %w", err)
	}
	return out.Bytes(), nil
}
