package alerts_test

import (
	"testing"

	"github.com/siseri/siseri/backend/store"
)

// dsnOf returns the URL the test database was opened with.
func dsnOf(t *testing.T, db *store.DB) string {
	t.Helper()
	if db.URL == "" {
		t.Fatal("store.DB has no URL")
	}
	return db.URL
}
