package sandbox

import (
	"strconv"
	"sync"
	"testing"
)

// TestBudgetHoldsUnderConcurrency: redemptions that run at once (and share commits,
// on the durable store) cannot overspend the server-wide failure budget: of 24 wrong
// codes sent together against a budget of 5, exactly 5 are judged and the rest wait.
func TestBudgetHoldsUnderConcurrency(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{RedeemFailureBudget: 5})
			access := ts.accessToken(t)
			var mu sync.Mutex
			statuses := map[int]int{}
			var wg sync.WaitGroup
			for i := range 24 {
				tv := device{key: deviceKey("tv-" + strconv.Itoa(i)), access: access}
				wg.Go(func() {
					r := ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", "000000"), "")
					mu.Lock()
					statuses[r.status]++
					mu.Unlock()
				})
			}
			wg.Wait()
			if statuses[400] != 5 || statuses[429] != 19 {
				t.Errorf("statuses %v, want 5 refused codes (400) and 19 waits (429)", statuses)
			}
		})
	}
}
