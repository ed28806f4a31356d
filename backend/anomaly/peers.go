package anomaly

import (
	"math"
	"time"
)

// Peers are the doses of the other workers of the same establishment, kind,
// quantity and wearing period: the baseline that follows what happens to
// everyone there at once (a refuelling outage, a campaign, a new device, a
// procedure that halves the doses). A worker's drift is measured against
// them, so a season or a shift of the whole establishment is no drift.
type Peers struct {
	level map[peerKey]float64
}

// peerKey groups the doses that peers share: one establishment, kind,
// quantity and period (also the candidates of a swap).
type peerKey struct {
	est            int
	kind, quantity string
	start, end     time.Time
}

func keyOf(d Dose) peerKey {
	return peerKey{d.EstablishmentID, d.Context.Kind, d.Quantity, d.Start, d.End}
}

// NewPeers indexes the doses of the given histories (the workers of a batch
// and their past, already read for the history layer: no extra query). A
// period has a peer level when at least minPeers workers have a dose in it.
func NewPeers(histories map[int][]Dose, minPeers int) *Peers {
	byKey := map[peerKey][]float64{}
	for _, hs := range histories {
		for _, h := range hs {
			if h.Absent || h.EstablishmentID == 0 {
				continue
			}
			byKey[keyOf(h)] = append(byKey[keyOf(h)], math.Log(math.Max(float64(h.USv), pairLevel(h.Context.Kind))))
		}
	}
	p := &Peers{level: make(map[peerKey]float64, len(byKey))}
	for k, xs := range byKey {
		if len(xs) >= minPeers {
			p.level[k] = median(xs)
		}
	}
	return p
}

// Level is the median of ln(max(dose, level)) of d's peers (d's own dose
// included: with the minimum number of peers one worker barely moves it).
func (p *Peers) Level(d Dose) (float64, bool) {
	if p == nil {
		return 0, false
	}
	v, ok := p.level[keyOf(d)]
	return v, ok
}
