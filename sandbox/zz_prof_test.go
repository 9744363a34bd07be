package sandbox

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
)

func BenchmarkZZHandler(b *testing.B) {
	ts := startServer(b, "memory", "", Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	access := ts.accessToken(b)
	phone := device{key: deviceKey("phone"), access: access}
	tok := ts.serviceToken(b, phone, "alice")
	h := ts.Handler()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", "/api/demo/serviceToken", nil)
			for k, v := range phone.headers("AD-Service-Token", tok) {
				req.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}
