package accesstest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/siseri/siseri/policy"
)

// testPartnerProfiles checks each partner key: the fields of its profile work
// (with its grant's rows), one field its role allows but its profile does not
// refuses the whole operation with FORBIDDEN_FIELD naming that field only, and
// the role still bounds the profile.
func testPartnerProfiles(t *testing.T, w *world) {
	nir1 := w.workerNames[w.w1]
	cases := []struct {
		key     string
		allowed string         // a query within the profile
		vars    map[string]any // its variables
		lists   []string       // connections of allowed whose rows are checked
		outside string         // one root field outside the profile, allowed to the role
		object  string         // the Type.field it selects
		role    string         // a query beyond the key's role
	}{
		{
			key: "key:occupational-health",
			allowed: `{ workers(first: 10) { totalCount edges { node { id nir lastName birthDate } } }
			  doseRecords(first: 100) { totalCount edges { node { id valueUsv radionuclide quantity } } }
			  exposureSummaries(first: 10) { totalCount edges { node { id sumUsv status } } } }`,
			lists:   []string{"workers", "doseRecords", "exposureSummaries"},
			outside: `anomalies(first: 10) { totalCount }`, object: "Query.anomalies",
			role: `{ auditEvents(first: 10) { totalCount } }`,
		},
		{
			key: "key:laboratory-system",
			allowed: `query($in: IdentityCheckInput!) { checkIdentity(input: $in) { matches }
			  doseRecords(first: 100) { totalCount edges { node { id valueUsv radionuclide laboratoryID } } }
			  importBatches(first: 10) { totalCount edges { node { id reference rowsAccepted } } } }`,
			vars:    map[string]any{"in": map[string]any{"nir": nir1[0], "lastName": nir1[1], "firstNames": nir1[2]}},
			lists:   []string{"doseRecords", "importBatches"},
			outside: `dosimeters(first: 10) { totalCount }`, object: "Query.dosimeters",
			role: `{ doseRecords(first: 10) { edges { node { id worker { id } } } } }`,
		},
		{
			key: "key:statistics",
			allowed: `{ doseRecords(first: 100) { totalCount edges { node { id workerID valueUsv periodStart sectorCode jobCode } } }
			  exposureSummaries(first: 10) { totalCount edges { node { id sumUsv status } } } }`,
			lists:   []string{"doseRecords", "exposureSummaries"},
			outside: `anomalies(first: 10) { totalCount }`, object: "Query.anomalies",
			role: `{ doseRecords(first: 10) { edges { node { id worker { nir } } } } }`,
		},
	}
	for _, tc := range cases {
		s := w.byName[tc.key]
		t.Run(tc.key, func(t *testing.T) {
			t.Run("OK", func(t *testing.T) {
				// Ensure the key queries its profile's fields and gets its grant's rows.
				res := w.do(s, tc.allowed, tc.vars)
				w.tally.assertions++
				if len(res.Errors) > 0 {
					t.Fatalf("as %s: %s %+v", s, res.Code(), res.Errors)
				}
				for _, list := range tc.lists {
					ids, err := listIDs(res, list)
					if err != nil {
						t.Fatal(err)
					}
					want, _ := w.visible(s, list)
					want = w.rootList(list, want)
					w.tally.assertions++
					if d := want.diff(ids); d != "" {
						t.Errorf("%s as %s: %s", list, s, d)
					}
				}
				if tc.vars != nil {
					var out struct{ CheckIdentity struct{ Matches bool } }
					_ = json.Unmarshal(res.Data, &out)
					w.tally.assertions++
					if !out.CheckIdentity.Matches {
						t.Errorf("checkIdentity(W1) as %s = false, want true", s)
					}
				}
			})
			t.Run("ErrOutsideProfile", func(t *testing.T) {
				// Ensure one field outside the profile refuses the operation as a
				// whole: FORBIDDEN_FIELD naming that field and nothing else, no data.
				typ, field := policy.SplitObject(tc.object)
				if !may(s.role, "", typ, field) || s.may(typ, field) {
					t.Fatalf("table: %s should be allowed to %s and refused to profile %s", tc.object, s.role, s.profile)
				}
				q := tc.allowed
				// Append the outside field to the allowed operation's selection.
				q = q[:len(q)-1] + " " + tc.outside + " }"
				res := w.do(s, q, tc.vars)
				w.tally.assertions += 3
				if res.Code() != "FORBIDDEN_FIELD" {
					if len(res.Errors) == 0 {
						w.tally.leaks++
					}
					t.Fatalf("as %s: code %q (%+v), want FORBIDDEN_FIELD", s, res.Code(), res.Errors)
				}
				if !dataIsNull(res) {
					w.tally.leaks++
					t.Errorf("as %s: data %s alongside FORBIDDEN_FIELD", s, res.Data)
				}
				paths, _ := res.Errors[0].Extensions["paths"].([]any)
				if got := forbiddenObjects(res); len(res.Errors) != 1 || len(paths) != 1 || !got[tc.object] {
					t.Errorf("as %s: errors %+v, want one FORBIDDEN_FIELD naming only %s", s, res.Errors, tc.object)
				}
			})
			t.Run("ErrBeyondRole", func(t *testing.T) {
				// Ensure the profile never widens the role.
				w.expectForbidden(t, s, fmt.Sprintf("beyond %s", s.role), tc.role)
			})
		})
	}
}
