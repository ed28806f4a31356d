package scope

import (
	"context"
	"fmt"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	gen "github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/dosimeter"
	"github.com/siseri/siseri/ent/dosimeterassignment"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/establishment"
	"github.com/siseri/siseri/ent/predicate"
	"github.com/siseri/siseri/ent/privacy"
	"github.com/siseri/siseri/policy"
)

// Writes of administrative data: administrators write anything; employer
// correspondents declare in their establishments; everything else is denied.

func adminWrites() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		if policy.FromContext(ctx).Acts(admin) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// declare runs check for an employer correspondent: the administrative data
// of workers is theirs to declare. Administrators manage establishments only
// (see writeEstablishment).
func declare(check func(ctx context.Context, v *policy.Viewer, st sets) error) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		v := policy.FromContext(ctx)
		switch {
		case v.Acts(employer):
			if err := check(ctx, v, setsOf(v)); err != nil {
				return err
			}
			return privacy.Allow
		}
		return privacy.Skip
	})
}

var errOutOfScope = privacy.Denyf("hors du périmètre de vos habilitations")

// establishmentInScope reports whether establishment id is in the viewer's scope.
func establishmentInScope(ctx context.Context, c *gen.Client, st sets, id int) (bool, error) {
	ok, err := c.Establishment.Query().Where(establishment.ID(id), predicate.Establishment(func(s *sql.Selector) {
		s.Where(st.inEstablishments(s, s.C(establishment.FieldID)))
	})).Exist(policy.SystemContext(ctx))
	if err != nil {
		return false, fmt.Errorf("check scope: %w", err)
	}
	return ok, nil
}

func requireEstablishment(ctx context.Context, c *gen.Client, st sets, id int, set bool) error {
	if !set {
		return nil
	}
	ok, err := establishmentInScope(ctx, c, st, id)
	if err != nil {
		return err
	}
	if !ok {
		return errOutOfScope
	}
	return nil
}

func writeWorker() privacy.MutationRule {
	return privacy.WorkerMutationRuleFunc(func(ctx context.Context, m *gen.WorkerMutation) error {
		return declare(func(ctx context.Context, _ *policy.Viewer, st sets) error {
			if !m.Op().Is(ent.OpCreate) {
				m.Where(func(s *sql.Selector) { s.Where(st.employedIn(s, s.C("id"), "", "", false)) })
			}
			return nil
		}).EvalMutation(ctx, m)
	})
}

func writeEmployment() privacy.MutationRule {
	return privacy.EmploymentMutationRuleFunc(func(ctx context.Context, m *gen.EmploymentMutation) error {
		return declare(func(ctx context.Context, _ *policy.Viewer, st sets) error {
			if !m.Op().Is(ent.OpCreate) {
				m.Where(func(s *sql.Selector) { s.Where(st.inEstablishments(s, s.C(employment.FieldEstablishmentID))) })
			}
			id, set := m.EstablishmentID()
			return requireEstablishment(ctx, m.Client(), st, id, set)
		}).EvalMutation(ctx, m)
	})
}

func writeEstablishment() privacy.MutationRule {
	return privacy.EstablishmentMutationRuleFunc(func(ctx context.Context, m *gen.EstablishmentMutation) error {
		if policy.FromContext(ctx).Acts(admin) {
			return privacy.Allow
		}
		return declare(func(ctx context.Context, _ *policy.Viewer, st sets) error {
			if !m.Op().Is(ent.OpCreate) {
				m.Where(func(s *sql.Selector) { s.Where(st.inEstablishments(s, s.C(establishment.FieldID))) })
				return nil
			}
			// A new establishment must belong to a company the correspondent
			// already declares for.
			company, set := m.CompanyID()
			if !set {
				return errOutOfScope
			}
			ok, err := m.Client().Establishment.Query().Where(establishment.CompanyID(company),
				predicate.Establishment(func(s *sql.Selector) { s.Where(st.inEstablishments(s, s.C(establishment.FieldID))) }),
			).Exist(policy.SystemContext(ctx))
			if err != nil {
				return err
			}
			for _, c := range st.companies {
				ok = ok || c == company
			}
			if !ok {
				return errOutOfScope
			}
			return nil
		}).EvalMutation(ctx, m)
	})
}

func writeDosimeter() privacy.MutationRule {
	return privacy.DosimeterMutationRuleFunc(func(ctx context.Context, m *gen.DosimeterMutation) error {
		return declare(func(ctx context.Context, _ *policy.Viewer, st sets) error {
			if !m.Op().Is(ent.OpCreate) {
				m.Where(func(s *sql.Selector) { s.Where(st.inEstablishments(s, s.C(dosimeter.FieldEstablishmentID))) })
			}
			id, set := m.EstablishmentID()
			if m.Op().Is(ent.OpCreate) && !set {
				return errOutOfScope
			}
			return requireEstablishment(ctx, m.Client(), st, id, set)
		}).EvalMutation(ctx, m)
	})
}

func writeAssignment() privacy.MutationRule {
	return privacy.DosimeterAssignmentMutationRuleFunc(func(ctx context.Context, m *gen.DosimeterAssignmentMutation) error {
		return declare(func(ctx context.Context, _ *policy.Viewer, st sets) error {
			if !m.Op().Is(ent.OpCreate) {
				m.Where(func(s *sql.Selector) { s.Where(dosimeterIn(false)(st, s, s.C(dosimeterassignment.FieldDosimeterID))) })
				return nil
			}
			id, _ := m.DosimeterID()
			d, err := m.Client().Dosimeter.Get(policy.SystemContext(ctx), id)
			if err != nil {
				return errOutOfScope
			}
			return requireEstablishment(ctx, m.Client(), st, d.EstablishmentID, true)
		}).EvalMutation(ctx, m)
	})
}

// writeGrant lets administrators write grants, and a physician create or
// revoke delegations of their own grants (the createDelegation operation
// copies the scope of the delegating grant).
func writeGrant() privacy.MutationRule {
	return privacy.GrantMutationRuleFunc(func(ctx context.Context, m *gen.GrantMutation) error {
		v := policy.FromContext(ctx)
		switch {
		case v.Acts(admin):
			return privacy.Allow
		case v.Acts(physician):
			st := setsOf(v)
			if !m.Op().Is(ent.OpCreate) {
				m.Where(func(s *sql.Selector) { s.Where(delegationsOf(st, s)) })
				return privacy.Allow
			}
			role, _ := m.Role()
			parent, set := m.DelegatedFromID()
			if role != delegate || !set {
				return errOutOfScope
			}
			for _, id := range st.grantIDs {
				if id == parent {
					return privacy.Allow
				}
			}
			return errOutOfScope
		}
		return privacy.Skip
	})
}

// writeIntervention lets the host site's correspondent or adviser declare and
// end the interventions of outside companies' workers on their sites.
func writeIntervention() privacy.MutationRule { return writeInEstablishment("site_establishment_id") }

// writeDoseConstraint lets the adviser and the employer correspondent of an
// establishment set its dose constraints and end them.
func writeDoseConstraint() privacy.MutationRule { return writeInEstablishment("establishment_id") }

// writeInEstablishment lets the employer correspondent and the adviser write
// the rows whose establishment (column) is one of theirs: creations name it,
// updates and deletions are restricted to it.
func writeInEstablishment(column string) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := policy.FromContext(ctx)
		if !v.Acts(employer) && !v.Acts(adviser) {
			return privacy.Skip
		}
		st := setsOf(v)
		if !m.Op().Is(ent.OpCreate) {
			if err := whereMutation(m, func(s *sql.Selector) {
				s.Where(st.inEstablishments(s, s.C(column)))
			}); err != nil {
				return privacy.Denyf("%v", err)
			}
			return privacy.Allow
		}
		id, set := m.Field(column)
		est, _ := id.(int)
		if !set {
			return errOutOfScope
		}
		c, ok := m.(interface{ Client() *gen.Client })
		if !ok {
			return errOutOfScope
		}
		if err := requireEstablishment(ctx, c.Client(), st, est, true); err != nil {
			return err
		}
		return privacy.Allow
	})
}
