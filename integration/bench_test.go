package integration

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// BenchmarkFlow times the seed's flow of five calls (phone sign-in, link, TV redeem,
// list, unlink) through client.Device over loopback, per store driver. The aim (issue
// 2): a median under 1 ms on memory and under 10 ms on bbolt; the median is reported
// as median-ns/flow, since ns/op is a mean that a single fsync stall can skew.
func BenchmarkFlow(b *testing.B) {
	for _, driver := range drivers {
		b.Run(driver, func(b *testing.B) {
			ctx := context.Background()
			url := startSandbox(b, driver, nil)
			phone := openDevice(b, client.DeviceConfig{Name: "phone", Server: url})
			tv := openDevice(b, client.DeviceConfig{Name: "tv", Server: url, Role: assets.RoleSecondary})
			tvKey := tv.State().Key
			flow := func() {
				if _, err := phone.SignIn(ctx, "bench"); err != nil {
					b.Fatal(client.Explain(err))
				}
				lc, err := phone.Link(ctx)
				if err != nil {
					b.Fatal(client.Explain(err))
				}
				if _, err := tv.Redeem(ctx, lc.Code); err != nil {
					b.Fatal(client.Explain(err))
				}
				if _, err := phone.Devices(ctx); err != nil {
					b.Fatal(client.Explain(err))
				}
				if _, err := phone.Unlink(ctx, tvKey); err != nil {
					b.Fatal(client.Explain(err))
				}
			}
			flow() // registration and access tokens: once per device, not per flow
			durations := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				flow()
				durations = append(durations, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(durations)
			b.ReportMetric(float64(durations[len(durations)/2].Nanoseconds()), "median-ns/flow")
			b.ReportMetric(float64(durations[len(durations)*9/10].Nanoseconds()), "p90-ns/flow")
		})
	}
}
