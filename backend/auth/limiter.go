package auth

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// KeyedLimiter rate-limits attempts per key (an account e-mail or a remote
// address) with token buckets, forgetting keys that stayed idle. Sign-in,
// second factor and the public certificate verification use it.
type KeyedLimiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewKeyedLimiter allows burst attempts per key, then one more every per.
func NewKeyedLimiter(per time.Duration, burst int) *KeyedLimiter {
	return &KeyedLimiter{every: rate.Every(per), burst: burst, buckets: map[string]*bucket{}}
}

// Allow takes one token for key and reports whether it was available.
func (l *KeyedLimiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(key, now).lim.AllowN(now, 1)
}

// Blocked reports whether key has no token left, without taking one.
func (l *KeyedLimiter) Blocked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(key, now).lim.TokensAt(now) < 1
}

// Fail takes one token for key: an attempt that failed.
func (l *KeyedLimiter) Fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bucket(key, now).lim.AllowN(now, 1)
}

// bucket returns the bucket of key, forgetting keys idle for an hour; l.mu
// is held.
func (l *KeyedLimiter) bucket(key string, now time.Time) *bucket {
	if now.Sub(l.sweep) > 10*time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > time.Hour {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b
}

// keyLimiter rate-limits each API key at its own rate per minute.
type keyLimiter struct {
	mu   sync.Mutex
	keys map[int]*rate.Limiter
}

func newKeyLimiter() *keyLimiter { return &keyLimiter{keys: map[int]*rate.Limiter{}} }

// Allow takes one request for key id at perMinute requests a minute (burst of
// one minute's worth) and reports whether it was available.
func (l *keyLimiter) Allow(id, perMinute int, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim := rate.Limit(float64(perMinute) / 60)
	b, ok := l.keys[id]
	if !ok || b.Limit() != lim {
		b = rate.NewLimiter(lim, perMinute)
		l.keys[id] = b
	}
	return b.AllowN(now, 1)
}
