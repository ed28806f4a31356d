// Package policy decides who may see what. It holds the Viewer every request
// carries, the Ent privacy rules that close every entity by default, and the
// Casbin field entitlements (model.conf, policy.csv): which role, and which
// partner profile, may select which GraphQL Type.field. Nothing else in the
// project imports Casbin.
package policy

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"
)

//go:embed model.conf
var modelConf string

//go:embed policy.csv
var policyCSV string

// Profile is a partner API key's profile: it narrows what the key's role allows.
type Profile string

// The partner profiles.
const (
	ProfileOccupationalHealth Profile = "OCCUPATIONAL_HEALTH_SOFTWARE"
	ProfileLaboratorySystem   Profile = "LABORATORY_SYSTEM"
	ProfileStatistics         Profile = "STATISTICS_CONSUMER"
)

// Profiles lists the partner profiles.
var Profiles = []Profile{ProfileOccupationalHealth, ProfileLaboratorySystem, ProfileStatistics}

// ActionRead is the one action of field entitlements: selecting a field (or
// calling a root operation) in a GraphQL document.
const ActionRead = "read"

// Authorizer answers "may role R (through profile P) select Type.field". The
// policy is immutable once loaded, so decisions are memoised for the life of the
// process: an uncached Casbin check costs about 10 µs and grows with the policy,
// a memoised one is a map lookup.
type Authorizer struct {
	enf    *casbin.Enforcer
	groups map[string]string // Type.field → group
	memo   sync.Map          // subject + "\x00" + object → bool
}

var (
	defaultOnce sync.Once
	defaultAuth *Authorizer
	defaultErr  error
)

// Default returns the Authorizer of the embedded model.conf and policy.csv.
func Default() (*Authorizer, error) {
	defaultOnce.Do(func() { defaultAuth, defaultErr = Load(modelConf, policyCSV) })
	return defaultAuth, defaultErr
}

// MustDefault is Default that panics on a malformed embedded policy (a
// programming error caught by the tests).
func MustDefault() *Authorizer {
	a, err := Default()
	if err != nil {
		panic(err)
	}
	return a
}

// Load builds an Authorizer from a Casbin model and a policy in CSV.
func Load(modelText, policyText string) (*Authorizer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("load casbin model: %w", err)
	}
	enf, err := casbin.NewEnforcer(m, stringadapter.NewAdapter(policyText))
	if err != nil {
		return nil, fmt.Errorf("load casbin policy: %w", err)
	}
	a := &Authorizer{enf: enf, groups: map[string]string{}}
	rules, err := enf.GetGroupingPolicy()
	if err != nil {
		return nil, fmt.Errorf("read field groups: %w", err)
	}
	for _, r := range rules {
		if prev, dup := a.groups[r[0]]; dup {
			return nil, fmt.Errorf("policy.csv: %s is in two groups (%s, %s)", r[0], prev, r[1])
		}
		a.groups[r[0]] = r[1]
	}
	return a, nil
}

// RoleCan reports whether role r may select object (Type.field).
func (a *Authorizer) RoleCan(r Role, object string) bool {
	return a.can("role:"+string(r), object)
}

// ProfileCan reports whether partner profile p may select object.
func (a *Authorizer) ProfileCan(p Profile, object string) bool {
	return a.can("profile:"+string(p), object)
}

// Can reports whether a caller acting as role r, through profile p when p is
// not empty (an API key), may select object.
func (a *Authorizer) Can(r Role, p Profile, object string) bool {
	if !a.RoleCan(r, object) {
		return false
	}
	return p == "" || a.ProfileCan(p, object)
}

func (a *Authorizer) can(subject, object string) bool {
	key := subject + "\x00" + object
	if v, ok := a.memo.Load(key); ok {
		return v.(bool)
	}
	ok, err := a.enf.Enforce(subject, object, ActionRead)
	if err != nil {
		ok = false // a malformed request is denied
	}
	a.memo.Store(key, ok)
	return ok
}

// Group returns the group object belongs to, or "" when policy.csv does not
// mention it (then no one may select it).
func (a *Authorizer) Group(object string) string { return a.groups[object] }

// Objects returns every Type.field policy.csv puts in a group, sorted.
func (a *Authorizer) Objects() []string {
	out := make([]string, 0, len(a.groups))
	for o := range a.groups {
		out = append(out, o)
	}
	sort.Strings(out)
	return out
}

// SplitObject splits "Type.field".
func SplitObject(object string) (typ, field string) {
	typ, field, _ = strings.Cut(object, ".")
	return typ, field
}

// nominativeGroups are the field groups whose reading the audit log records:
// identity and health data.
var nominativeGroups = map[string]bool{
	"worker:identity": true, "dose:value": true, "dose:internal": true, "operational:value": true,
	"exposure:value": true, "employment:pregnancy": true, "anomaly:detail": true,
}

// Nominative reports whether reading object (Type.field) is recorded in the
// audit log.
func (a *Authorizer) Nominative(object string) bool { return nominativeGroups[a.groups[object]] }
