// Package seed fills an empty database with SISERI's demo data.
package seed

import (
	"context"
	"errors"
	"log/slog"

	"github.com/siseri/siseri/ent"
)

// Options control the size and randomness of the demo population.
type Options struct {
	Workers int
	Seed    int64
}

// DefaultOptions returns about 2,000 workers with a fixed seed.
func DefaultOptions() Options { return Options{Workers: 2000, Seed: 20261126} }

// IfEmpty seeds the demo data when the database holds no worker and returns the
// number of workers created.
func IfEmpty(ctx context.Context, client *ent.Client, opts Options, log *slog.Logger) (int, error) {
	return 0, errors.New("seed: demo data generator is being written")
}
