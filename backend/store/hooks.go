package store

import (
	"context"
	"fmt"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/notify"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/hook"
	"github.com/siseri/siseri/ent/nomenclature"
	"github.com/siseri/siseri/policy"
)

// registerHooks adds the invariants that need the database: they cannot live in
// the schema package, which must compile before the client is generated.
func registerHooks(client *ent.Client) {
	client.Employment.Use(checkNomenclature)
	notify.Register(client)
}

// checkNomenclature requires an employment's sector and job codes to exist in
// the nomenclature version the employment names.
var checkNomenclature = hook.On(func(next ent.Mutator) ent.Mutator {
	return hook.EmploymentFunc(func(ctx context.Context, m *ent.EmploymentMutation) (ent.Value, error) {
		version, ok := m.NomenclatureVersion()
		if !ok && m.Op().Is(ent.OpUpdateOne) {
			version, _ = m.OldNomenclatureVersion(ctx)
		}
		sys := policy.SystemContext(ctx)
		for _, c := range []struct {
			kind  nomenclature.Kind
			field string
			label string
			get   func() (string, bool)
		}{
			{nomenclature.KindSector, "input.sectorCode", "secteur", m.SectorCode},
			{nomenclature.KindJob, "input.jobCode", "métier", m.JobCode},
		} {
			code, ok := c.get()
			if !ok {
				continue
			}
			exists, err := m.Client().Nomenclature.Query().Where(
				nomenclature.KindEQ(c.kind), nomenclature.Version(version), nomenclature.Code(code),
			).Exist(sys)
			if err != nil {
				return nil, fmt.Errorf("check nomenclature: %w", err)
			}
			if !exists {
				return nil, apperr.Invalid(c.field, code,
					"Le code de %s « %s » n'existe pas dans la nomenclature %s.", c.label, code, version)
			}
		}
		return next.Mutate(ctx, m)
	})
}, ent.OpCreate|ent.OpUpdateOne|ent.OpUpdate)
