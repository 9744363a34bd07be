package sandbox

import (
	"sync"
	"testing"

	"github.com/google/uuid"
)

// TestTraceIDs: trace ids are random UUIDs (version 4, RFC variant), distinct across
// goroutines sharing the pooled sources.
func TestTraceIDs(t *testing.T) {
	const perG, goroutines = 5000, 8
	ids := make([][]string, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for range perG {
				ids[g] = append(ids[g], newTraceID())
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, batch := range ids {
		for _, id := range batch {
			u, err := uuid.Parse(id)
			if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 || u.String() != id {
				t.Fatalf("trace id %q is not a canonical random UUID (%v)", id, err)
			}
			if seen[id] {
				t.Fatalf("trace id %q given twice", id)
			}
			seen[id] = true
		}
	}
}
