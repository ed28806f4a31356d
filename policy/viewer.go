package policy

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Role is a regulatory role an account holds through a grant (DOMAIN.md §1.2).
type Role string

// The roles of SISERI. Their string values are stable: they appear in policy.csv,
// in the database and in the GraphQL schema.
const (
	RoleWorker       Role = "WORKER"
	RolePhysician    Role = "OCCUPATIONAL_PHYSICIAN"
	RoleDelegate     Role = "PHYSICIAN_DELEGATE"
	RoleRPA          Role = "RADIATION_PROTECTION_ADVISER"
	RoleEmployer     Role = "EMPLOYER_CORRESPONDENT"
	RoleLaboratory   Role = "LABORATORY"
	RoleControlAgent Role = "CONTROL_AGENT"
	RoleAnalyst      Role = "ANALYST"
	RoleAdmin        Role = "ADMIN"
	// RoleLabourMinistry is the labour inspection's national office (DGT,
	// ministry of labour): it receives the registry's anonymous notices of
	// confirmed limit exceedances (arrêté 2023, « devoir d'alerte »), nothing
	// nominative.
	RoleLabourMinistry Role = "LABOUR_MINISTRY"
)

// Roles lists every role, in a stable order.
var Roles = []Role{
	RoleWorker, RolePhysician, RoleDelegate, RoleRPA, RoleEmployer,
	RoleLaboratory, RoleControlAgent, RoleAnalyst, RoleAdmin, RoleLabourMinistry,
}

// Values returns the role names; Ent uses it to declare the enum column.
func (Role) Values() []string {
	out := make([]string, len(Roles))
	for i, r := range Roles {
		out[i] = string(r)
	}
	return out
}

// Valid reports whether r is one of the declared roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Grant is the part of a stored grant that decides access: a role on a scope,
// valid over a time interval. Zero scope ids mean "not scoped by that kind".
type Grant struct {
	ID              int
	Role            Role
	EstablishmentID int
	CompanyID       int
	WorkerID        int
	LaboratoryID    int
	Region          string
	ValidFrom       time.Time
	ValidTo         *time.Time
}

// ActiveAt reports whether the grant is valid at t.
func (g Grant) ActiveAt(t time.Time) bool {
	if t.Before(g.ValidFrom) {
		return false
	}
	return g.ValidTo == nil || t.Before(*g.ValidTo)
}

// Viewer is the authenticated caller of a request or websocket connection.
// It is resolved once and travels in the context. A person may hold several
// roles; a request acts under one of them, Role, chosen for the session (or
// fixed by the API key's grant), and only that role's grants give it scope.
type Viewer struct {
	AccountID   int
	Email       string
	DisplayName string
	SessionID   int
	APIKeyID    int
	// Profile is the API key's partner profile; empty for people.
	Profile Profile
	// Role is the role the request acts under.
	Role Role
	// Grants are all active grants of the account (all roles).
	Grants []Grant
	// SecondFactorPending is set on the viewer of a password session of a
	// privileged role that has not given its second factor yet: such a viewer
	// has no grant and no role, and may only complete the second factor.
	SecondFactorPending bool
}

// Acts reports whether the viewer acts under role r.
func (v *Viewer) Acts(r Role) bool { return v != nil && v.Role == r }

// Has reports whether the viewer holds an active grant with role r, whatever
// the role it acts under.
func (v *Viewer) Has(r Role) bool {
	if v == nil {
		return false
	}
	now := time.Now()
	for _, g := range v.Grants {
		if g.Role == r && g.ActiveAt(now) {
			return true
		}
	}
	return false
}

// Scope returns the active grants of the role the viewer acts under.
func (v *Viewer) Scope() []Grant {
	if v == nil {
		return nil
	}
	now := time.Now()
	var out []Grant
	for _, g := range v.Grants {
		if g.Role == v.Role && g.ActiveAt(now) {
			out = append(out, g)
		}
	}
	return out
}

// RoleNames returns the distinct roles of the viewer's active grants, in the
// order of Roles.
func (v *Viewer) RoleNames() []Role {
	if v == nil {
		return nil
	}
	var out []Role
	for _, r := range Roles {
		if v.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// DefaultRole is the role a new session acts under: the first the account
// holds in the order of Roles, or "" when it holds none.
func (v *Viewer) DefaultRole() Role {
	if names := v.RoleNames(); len(names) > 0 {
		return names[0]
	}
	return ""
}

type viewerKey struct{}
type systemKey struct{}

// NewContext returns a context carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// liveViewer is the viewer of a long-lived connection, read anew each time.
type liveViewer func() *Viewer

// NewLiveContext returns a context whose viewer is now() at each use: every
// check made under it (row rules, field entitlements, audit) sees the
// connection's viewer of that moment, not the one it opened with. now returns
// nil once the session is gone; the context then has no viewer and Ended
// reports true.
func NewLiveContext(ctx context.Context, now func() *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, liveViewer(now))
}

// FromContext returns the viewer in ctx, or nil for an anonymous caller (or a
// live connection whose session has ended).
func FromContext(ctx context.Context) *Viewer {
	switch v := ctx.Value(viewerKey{}).(type) {
	case *Viewer:
		return v
	case liveViewer:
		return v()
	}
	return nil
}

// Ended reports whether ctx is a live connection's whose session has ended:
// nothing may be resolved under it any more.
func Ended(ctx context.Context) bool {
	v, ok := ctx.Value(viewerKey{}).(liveViewer)
	return ok && v() == nil
}

// SystemContext marks ctx as the system itself (migrations, seeding, background
// jobs, authentication lookups). Never derive it from request input.
func SystemContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, systemKey{}, true)
}

// IsSystem reports whether ctx was marked by SystemContext.
func IsSystem(ctx context.Context) bool {
	b, _ := ctx.Value(systemKey{}).(bool)
	return b
}

// MarshalGQL writes the role as a GraphQL enum value.
func (r Role) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(r))) }

// UnmarshalGQL reads a GraphQL enum value.
func (r *Role) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !Role(s).Valid() {
		return fmt.Errorf("%v n'est pas un rôle valide", v)
	}
	*r = Role(s)
	return nil
}
