package integration

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/keystore"
)

// BenchmarkRedisCluster: the flow of four calls (link, TV redeem, list, unlink) by 8
// phone–TV pairs at once, each pair its own profile, through a proxy to one
// `handoff serve` on Redis and to three on the same Redis; ns/op is per flow.
func BenchmarkRedisCluster(b *testing.B) {
	for _, n := range []int{1, 3} {
		b.Run(fmt.Sprintf("%d-instances", n), func(b *testing.B) {
			ctx := context.Background()
			c := startClusterOf(b, n, false)
			store := keystore.NewMemory()
			var pair atomic.Int64
			b.SetParallelism(4) // × GOMAXPROCS 2: 8 pairs
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := pair.Add(1)
				phone := c.device(fmt.Sprintf("phone%d", i), store, assets.RolePrimary)
				tv := c.device(fmt.Sprintf("tv%d", i), store, assets.RoleSecondary)
				if _, err := phone.SignIn(ctx, fmt.Sprintf("bench%d", i)); err != nil {
					b.Error(client.Explain(err))
					return
				}
				for pb.Next() {
					lc, err := phone.Link(ctx)
					if err == nil {
						_, err = tv.Redeem(ctx, lc.Code)
					}
					if err == nil {
						_, err = phone.Devices(ctx)
					}
					if err == nil {
						_, err = phone.Unlink(ctx, tv.State().Key)
					}
					if err != nil {
						b.Error(client.Explain(err))
						return
					}
				}
			})
		})
	}
}
