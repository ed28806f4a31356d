package anomaly

import (
	"context"
	"fmt"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/policy"
)

// AddCurrentRecordsToStats adds every current dose record to the monthly
// context statistics (read in chunks, written once) inside the transaction
// of client: for data written without the import path (the demo seed, a
// migration).
func AddCurrentRecordsToStats(ctx context.Context, client *ent.Client) error {
	ctx = policy.SystemContext(ctx)
	nomen, err := loadNomenclature(ctx, client)
	if err != nil {
		return err
	}
	buf := NewStatsBuffer()
	last := 0
	for {
		recs, err := client.DoseRecord.Query().Where(doserecord.Current(true), doserecord.IDGT(last)).
			Order(ent.Asc(doserecord.FieldID)).Limit(5000).All(ctx)
		if err != nil {
			return fmt.Errorf("load dose records: %w", err)
		}
		if len(recs) == 0 {
			return buf.Flush(ctx, client)
		}
		doses := make([]Dose, len(recs))
		for i, r := range recs {
			doses[i] = toDose(r, nomen)
		}
		if err := buf.Add(doses); err != nil {
			return err
		}
		last = recs[len(recs)-1].ID
	}
}
