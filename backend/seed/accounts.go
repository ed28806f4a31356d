package seed

import (
	"context"
	"fmt"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "siseri-demo"

// DemoAccount describes one demo account: its e-mail (the login), its role and
// what it shows, in French, for the README and the login page.
type DemoAccount struct {
	Email       string
	Role        policy.Role
	Description string
}

// DemoAccounts lists the demo accounts, one per role that has a dashboard.
// Each holds the grants that make its dashboard meaningful, valid from the
// start of the demo data.
var DemoAccounts = []DemoAccount{
	{"admin@demo.siseri.fr", policy.RoleAdmin,
		"Administratrice nationale : comptes, habilitations et référentiels du registre."},
	{"travailleur@demo.siseri.fr", policy.RoleWorker,
		"Travailleuse : cardiologue interventionnelle du CHU Rhône-Métropole, consulte son propre historique de doses."},
	{"medecin@demo.siseri.fr", policy.RolePhysician,
		"Médecin du travail du CHU Rhône-Métropole (hôpital cardiologique et médecine nucléaire) : doses nominatives et corrections."},
	{"pcr@demo.siseri.fr", policy.RoleRPA,
		"Conseiller en radioprotection de l'hôpital cardiologique du CHU Rhône-Métropole : doses externes de ses travailleurs pendant leur contrat."},
	{"employeur@demo.siseri.fr", policy.RoleEmployer,
		"Correspondant SISERI d'Atlantique Maintenance Nucléaire (prestataire de centrales) : données administratives, sans valeur de dose."},
	{"labo@demo.siseri.fr", policy.RoleLaboratory,
		"Laboratoire de dosimétrie Landauer Europe : envoi et suivi des résultats."},
	{"inspection@demo.siseri.fr", policy.RoleControlAgent,
		"Agent de contrôle de l'inspection du travail, région Auvergne-Rhône-Alpes."},
	{"analyste@demo.siseri.fr", policy.RoleAnalyst,
		"Analyste de l'ASNR : statistiques nationales pseudonymisées."},
	{"dgt@demo.siseri.fr", policy.RoleLabourMinistry,
		"Inspection du travail (DGT, ministère du Travail) : signalements anonymes des dépassements de limite confirmés."},
}

// demoRegion is the region of the control agent: Auvergne-Rhône-Alpes holds the
// university hospital, a nuclear plant and its contractor.
const demoRegion = "84"

// demoPhysicianRPPS is the physician's RPPS number: 11 digits with a Luhn key.
var demoPhysicianRPPS = luhnComplete("1000345678")

// accountSetup is what an account gets besides its DemoAccount entry: display
// name and the scopes of its grants (establishment keys, laboratory code,
// region, or the demo worker).
type accountSetup struct {
	displayName string
	ests        []string
	lab         string
	region      string
	worker      bool
}

var accountSetups = map[string]accountSetup{
	"admin@demo.siseri.fr":       {displayName: "Claire Dubois (administratrice nationale)"},
	"medecin@demo.siseri.fr":     {displayName: "Dr Hélène Marchand", ests: []string{estCardio, estNucMed}},
	"pcr@demo.siseri.fr":         {displayName: "Julien Lefèvre (PCR)", ests: []string{estCardio}},
	"employeur@demo.siseri.fr":   {displayName: "Sophie Girard (correspondante SISERI)", ests: []string{estContractor, "amn-chinon", "amn-flamanville"}},
	"labo@demo.siseri.fr":        {displayName: "Marc Petit (Landauer Europe)", lab: demoLab},
	"inspection@demo.siseri.fr":  {displayName: "Nadia Benali (inspection du travail)", region: demoRegion},
	"analyste@demo.siseri.fr":    {displayName: "Thomas Roux (ASNR)"},
	"dgt@demo.siseri.fr":         {displayName: "Isabelle Morel (DGT)"},
	"travailleur@demo.siseri.fr": {worker: true},
}

// createAccounts creates the demo accounts and their grants and returns the
// account ids by e-mail. The password is hashed once for all of them.
func (p *plan) createAccounts(ctx context.Context, tx *ent.Tx, ids *idMap) (map[string]int, error) {
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return nil, fmt.Errorf("hash demo password: %w", err)
	}
	demo := p.demoWorker()
	var builders []*ent.AccountCreate
	for _, a := range DemoAccounts {
		s := accountSetups[a.Email]
		c := tx.Account.Create().SetEmail(a.Email).SetPasswordHash(hash).SetDemo(true).SetDisplayName(s.displayName)
		if s.worker {
			w := p.workers[demo]
			c.SetDisplayName(w.firstNames + " " + w.lastName).SetWorkerID(ids.workers[demo])
		}
		if a.Role == policy.RolePhysician {
			c.SetRpps(demoPhysicianRPPS)
		}
		builders = append(builders, c)
	}
	accounts, err := tx.Account.CreateBulk(builders...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create demo accounts: %w", err)
	}
	byEmail := map[string]int{}
	var grants []*ent.GrantCreate
	for i, a := range DemoAccounts {
		byEmail[a.Email] = accounts[i].ID
		for _, g := range p.grantsOf(tx, a, ids) {
			grants = append(grants, g.SetAccountID(accounts[i].ID))
		}
	}
	if err := tx.Grant.CreateBulk(grants...).Exec(ctx); err != nil {
		return nil, fmt.Errorf("create demo grants: %w", err)
	}
	ids.grants = len(grants)
	return byEmail, nil
}

// grantsOf returns the grant builders of a demo account, without the account.
func (p *plan) grantsOf(tx *ent.Tx, a DemoAccount, ids *idMap) []*ent.GrantCreate {
	s := accountSetups[a.Email]
	from := p.win.start
	grant := func() *ent.GrantCreate { return tx.Grant.Create().SetRole(a.Role).SetValidFrom(from) }
	var out []*ent.GrantCreate
	switch {
	case len(s.ests) > 0:
		for _, key := range s.ests {
			out = append(out, grant().SetEstablishmentID(ids.ests[p.org.estByKey[key]]))
		}
	case s.lab != "":
		out = append(out, grant().SetLaboratoryID(ids.labs[p.org.labByCode[s.lab]]))
	case s.region != "":
		out = append(out, grant().SetRegion(s.region))
	case s.worker:
		out = append(out, grant().SetWorkerID(ids.workers[p.demoWorker()]))
	default:
		out = append(out, grant()) // national scope
	}
	return out
}

// demoWorker returns the index of the worker of the travailleur@ account.
func (p *plan) demoWorker() int {
	for i, w := range p.workers {
		if w.special == demoWorker {
			return i
		}
	}
	panic("seed: the population has no demo worker")
}
