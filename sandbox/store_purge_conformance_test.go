package sandbox

import (
	"errors"
	"testing"
	"time"
)

// TestStorePurgeConformance: what DeleteExpired purges besides expired tokens and
// codes — expired clients, and profiles left without a device with all that hangs on
// them — on every driver.
func TestStorePurgeConformance(t *testing.T) {
	onEveryDriver(t, func(t *testing.T, run storeCase) {
		t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		run("clients and empty profiles", func(t *testing.T, s Store) {
			must(t, s.Update(func(tx Tx) error {
				return errors.Join(
					tx.PutClient(Client{ID: "idle", ExpiresAt: t0}),
					tx.PutClient(Client{ID: "busy", ExpiresAt: t0.Add(time.Second)}),
					tx.PutClient(Client{ID: "legacy"}),
					tx.PutProfile(Profile{ID: "sso/demo/empty", CreatedAt: t0}),
					tx.PutLinkCode(LinkCode{Hash: "e-code", ProfileID: "sso/demo/empty", NotAfter: t0.Add(time.Hour)}),
					tx.PutMVPDAuth(MVPDAuth{ProfileID: "sso/demo/empty", MVPD: "Cox", NotAfter: t0.Add(time.Hour)}),
					tx.PutPlatformSubscriber(PlatformSubscriber{Platform: "roku", ServiceProvider: "demo", Subscriber: "s", ProfileID: "sso/demo/empty"}),
					tx.PutProfile(Profile{ID: "sso/demo/full", CreatedAt: t0}),
					tx.PutDevice(Device{ProfileID: "sso/demo/full", Key: "k"}),
					tx.PutLinkCode(LinkCode{Hash: "f-code", ProfileID: "sso/demo/full", NotAfter: t0.Add(time.Hour)}),
					tx.PutMVPDAuth(MVPDAuth{ProfileID: "sso/demo/full", MVPD: "Cox", NotAfter: t0.Add(-time.Hour)}),
					tx.PutPlatformSubscriber(PlatformSubscriber{Platform: "roku", ServiceProvider: "demo", Subscriber: "t", ProfileID: "sso/demo/full"}),
				)
			}))
			var n int
			must(t, s.Update(func(tx Tx) error {
				var err error
				n, err = tx.DeleteExpired(t0)
				return err
			}))
			if n != 5 { // the idle client; the empty profile, its code, its authentication, its subscriber
				t.Errorf("DeleteExpired dropped %d records, want 5", n)
			}
			must(t, s.View(func(tx Tx) error {
				for id, want := range map[string]bool{"idle": false, "busy": true, "legacy": true} {
					if _, err := tx.Client(id); (err == nil) != want {
						t.Errorf("client %s kept=%v, want %v", id, err == nil, want)
					}
				}
				if _, err := tx.Profile("sso/demo/empty"); !errors.Is(err, ErrNotFound) {
					t.Errorf("the empty profile stays: %v", err)
				}
				if _, err := tx.LinkCode("e-code"); !errors.Is(err, ErrNotFound) {
					t.Errorf("the empty profile's link code stays: %v", err)
				}
				if auths, _ := tx.MVPDAuths("sso/demo/empty"); len(auths) != 0 {
					t.Errorf("the empty profile's authentications stay: %+v", auths)
				}
				if _, err := tx.PlatformSubscriber("roku", "demo", "s"); !errors.Is(err, ErrNotFound) {
					t.Errorf("the empty profile's subscriber stays: %v", err)
				}
				if _, err := tx.Profile("sso/demo/full"); err != nil {
					t.Errorf("a profile with a device went: %v", err)
				}
				if _, err := tx.LinkCode("f-code"); err != nil {
					t.Errorf("a live code of a profile with a device went: %v", err)
				}
				if auths, _ := tx.MVPDAuths("sso/demo/full"); len(auths) != 1 {
					t.Errorf("the expired authentication of a profile with a device went (v1 reports it as 410): %+v", auths)
				}
				if _, err := tx.PlatformSubscriber("roku", "demo", "t"); err != nil {
					t.Errorf("a subscriber of a profile with a device went: %v", err)
				}
				return nil
			}))
		})
	})
}
