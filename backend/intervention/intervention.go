// Package intervention records the interventions of outside companies'
// workers on nuclear operators' sites (R.4451-33-1 III; arrêté 2023 art. 18):
// the host site's employer correspondent or radiation protection adviser
// declares the worker, identified as a laboratory identifies them (NIR, names,
// birth date) and employed by the contractor establishment over the whole
// intervention. The site may then transmit that worker's operational
// dosimetry for the intervention's days (registry.Importer), and the contractor's
// adviser reads it (policy/scope).
package intervention

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/identity"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/establishment"
	"github.com/siseri/siseri/ent/intervention"
	"github.com/siseri/siseri/policy"
)

// Declaration is an intervention as the host site declares it.
type Declaration struct {
	SiteID          int
	ContractorSIRET string
	NIR             string
	LastName        string
	FirstNames      string
	BirthDate       time.Time
	Start           time.Time
	// End is the last day, inclusive; nil while it lasts.
	End *time.Time
}

const dateFR = "02/01/2006"

// Declare records an intervention in the transaction of client. It returns
// FORBIDDEN unless the caller acts as the employer correspondent or adviser of
// the site, BAD_USER_INPUT naming the field for a malformed or unknown
// contractor, an identity that matches no registered worker, or no employment
// in the contractor establishment covering the whole intervention, and
// CONFLICT when an intervention of the worker on the site already overlaps it.
func Declare(ctx context.Context, client *ent.Client, d Declaration) (*ent.Intervention, error) {
	v := policy.FromContext(ctx)
	if err := requireSite(ctx, client, v, d.SiteID); err != nil {
		return nil, err
	}
	sys := policy.SystemContext(ctx)
	start, end := day(d.Start), dayPtr(d.End)
	if end != nil && end.Before(start) {
		return nil, apperr.Invalid("input.endDate", end.Format(time.DateOnly),
			"La fin de l'intervention (%s) est antérieure à son début (%s).", end.Format(dateFR), start.Format(dateFR))
	}
	siret, err := dosimetry.ParseSIRET(d.ContractorSIRET)
	if err != nil {
		return nil, apperr.Invalid("input.contractorSiret", d.ContractorSIRET, "%s", err.Error())
	}
	contractor, err := client.Establishment.Query().Where(establishment.Siret(siret.String())).Only(sys)
	if ent.IsNotFound(err) {
		return nil, apperr.Invalid("input.contractorSiret", d.ContractorSIRET,
			"Aucun établissement n'est déclaré avec le SIRET %s : l'entreprise extérieure doit d'abord déclarer son établissement.", siret.String())
	}
	if err != nil {
		return nil, fmt.Errorf("find contractor: %w", err)
	}
	if contractor.ID == d.SiteID {
		return nil, apperr.Invalid("input.contractorSiret", d.ContractorSIRET,
			"L'entreprise extérieure doit être un autre établissement que le site d'intervention.")
	}
	birth := day(d.BirthDate)
	w, err := identity.Find(ctx, client, identity.Claim{NIR: d.NIR, LastName: strings.TrimSpace(d.LastName),
		FirstNames: strings.TrimSpace(d.FirstNames), BirthDate: &birth})
	if err != nil {
		return nil, err
	}
	if w == nil {
		return nil, apperr.Invalid("input.nir", d.NIR,
			"Aucun travailleur enregistré ne correspond à ce NIR, ce nom, ces prénoms et cette date de naissance : vérifiez-les auprès de l'entreprise extérieure.")
	}
	if err := requireEmployment(sys, client, w.ID, contractor, start, end); err != nil {
		return nil, err
	}
	if err := requireNoOverlap(sys, client, w.ID, d.SiteID, 0, start, end); err != nil {
		return nil, err
	}
	saved, err := client.Intervention.Create().SetWorkerID(w.ID).SetSiteEstablishmentID(d.SiteID).
		SetContractorEstablishmentID(contractor.ID).SetStartDate(start).SetNillableEndDate(end).
		SetDeclaredByID(v.AccountID).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("declare intervention: %w", err)
	}
	return saved, nil
}

// End sets the last day of an intervention, or brings it forward. It returns
// NOT_FOUND for an intervention the caller may not see, FORBIDDEN unless the
// caller declares for its site, and BAD_USER_INPUT for a day before its start
// or after its current end.
func End(ctx context.Context, client *ent.Client, id int, last time.Time) (*ent.Intervention, error) {
	i, err := client.Intervention.Get(ctx, id) // under the viewer's row scope
	if err != nil {
		return nil, err
	}
	if err := requireSite(ctx, client, policy.FromContext(ctx), i.SiteEstablishmentID); err != nil {
		return nil, err
	}
	last = day(last)
	switch {
	case last.Before(i.StartDate):
		return nil, apperr.Invalid("endDate", last.Format(time.DateOnly),
			"La fin de l'intervention (%s) est antérieure à son début (%s).", last.Format(dateFR), i.StartDate.Format(dateFR))
	case i.EndDate != nil && last.After(*i.EndDate):
		return nil, apperr.Invalid("endDate", last.Format(time.DateOnly),
			"L'intervention se termine déjà le %s : elle ne peut pas être prolongée, déclarez une nouvelle intervention.", i.EndDate.Format(dateFR))
	}
	saved, err := client.Intervention.UpdateOne(i).SetEndDate(last).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("end intervention: %w", err)
	}
	return saved, nil
}

// requireSite refuses anyone but the site's employer correspondent or adviser.
// An unknown site answers like a site out of scope.
func requireSite(ctx context.Context, client *ent.Client, v *policy.Viewer, site int) error {
	if !v.Acts(policy.RoleEmployer) && !v.Acts(policy.RoleRPA) {
		return apperr.New(apperr.Forbidden, "Seuls le correspondant de l'employeur et le conseiller en radioprotection du site déclarent une intervention.")
	}
	sys := policy.SystemContext(ctx)
	for _, g := range v.Scope() {
		if g.EstablishmentID == site && site != 0 {
			return nil
		}
		if g.CompanyID != 0 {
			ok, err := client.Establishment.Query().Where(establishment.ID(site), establishment.CompanyID(g.CompanyID)).Exist(sys)
			if err != nil {
				return fmt.Errorf("check site: %w", err)
			}
			if ok {
				return nil
			}
		}
	}
	return apperr.New(apperr.Forbidden, "Vous n'êtes pas habilité à déclarer des interventions sur ce site.")
}

// requireEmployment needs an employment of the worker in the contractor
// establishment that covers the whole intervention (an open intervention
// needs an open employment).
func requireEmployment(sys context.Context, client *ent.Client, worker int, contractor *ent.Establishment, start time.Time, end *time.Time) error {
	q := client.Employment.Query().Where(employment.WorkerID(worker), employment.EstablishmentID(contractor.ID),
		employment.StartDateLTE(start))
	if end == nil {
		q.Where(employment.EndDateIsNil())
	} else {
		q.Where(employment.Or(employment.EndDateIsNil(), employment.EndDateGTE(*end)))
	}
	ok, err := q.Exist(sys)
	if err != nil {
		return fmt.Errorf("find employment: %w", err)
	}
	if ok {
		return nil
	}
	return apperr.Invalid("input.contractorSiret", contractor.Siret,
		"Ce travailleur n'a aucun emploi dans l'établissement de SIRET %s couvrant toute l'intervention (%s) : son employeur doit d'abord le déclarer.",
		contractor.Siret, span(start, end))
}

// requireNoOverlap refuses a second intervention of the worker on the site
// over days already declared.
func requireNoOverlap(sys context.Context, client *ent.Client, worker, site, except int, start time.Time, end *time.Time) error {
	q := client.Intervention.Query().Where(intervention.WorkerID(worker), intervention.SiteEstablishmentID(site),
		intervention.IDNEQ(except), intervention.Or(intervention.EndDateIsNil(), intervention.EndDateGTE(start)))
	if end != nil {
		q.Where(intervention.StartDateLTE(*end))
	}
	other, err := q.First(sys)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find interventions: %w", err)
	}
	return apperr.New(apperr.Conflict, "Une intervention de ce travailleur sur ce site est déjà déclarée %s.", span(other.StartDate, other.EndDate))
}

// span says a period in French: « du 01/09/2024 au 30/09/2024 », « à partir du 01/09/2024 ».
func span(start time.Time, end *time.Time) string {
	if end == nil {
		return "à partir du " + start.Format(dateFR)
	}
	return fmt.Sprintf("du %s au %s", start.Format(dateFR), end.Format(dateFR))
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func dayPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := day(*t)
	return &d
}
