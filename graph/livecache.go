package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/siseri/siseri/policy"
)

// deliveryCache shares, between the subscribers of one event that have the
// same scope and filter, the database read that decides whether and what they
// receive: 10,000 advisers of one establishment cost one query per event, not
// 10,000. Entries live a few seconds (the time an event takes to fan out).
type deliveryCache struct {
	group singleflight.Group
	mu    sync.Mutex
	items map[string]cached
	sweep time.Time
}

type cached struct {
	v   any
	err error
	at  time.Time
}

const deliveryTTL = 5 * time.Second

func newDeliveryCache() *deliveryCache { return &deliveryCache{items: map[string]cached{}} }

// scopeKey identifies what a viewer may see: its role, profile and grants.
func scopeKey(v *policy.Viewer) string {
	ids := make([]string, 0, len(v.Grants))
	for _, g := range v.Scope() {
		ids = append(ids, fmt.Sprint(g.ID))
	}
	sort.Strings(ids)
	key := string(v.Role) + "|" + string(v.Profile) + "|" + strings.Join(ids, ",")
	if v.Role == policy.RoleWorker {
		key += fmt.Sprintf("|a%d", v.AccountID)
	}
	return key
}

// filterKey identifies a where filter.
func filterKey(where any) string {
	b, _ := json.Marshal(where)
	return string(b)
}

// load returns the result of fn for key, computing it once for all
// concurrent and recent callers.
func (c *deliveryCache) load(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	now := time.Now()
	c.mu.Lock()
	if it, ok := c.items[key]; ok && now.Sub(it.at) < deliveryTTL {
		c.mu.Unlock()
		return it.v, it.err
	}
	if now.Sub(c.sweep) > deliveryTTL {
		for k, it := range c.items {
			if now.Sub(it.at) >= deliveryTTL {
				delete(c.items, k)
			}
		}
		c.sweep = now
	}
	c.mu.Unlock()
	v, err, _ := c.group.Do(key, func() (any, error) {
		v, err := fn(context.WithoutCancel(ctx))
		c.mu.Lock()
		c.items[key] = cached{v: v, err: err, at: time.Now()}
		c.mu.Unlock()
		return v, err
	})
	return v, err
}
