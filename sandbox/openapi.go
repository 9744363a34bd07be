package sandbox

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// The contract as OpenAPI 3.1: openapi.json documents every route the sandbox serves
// (a route added to routes() gets its path there too; the sandbox tests validate
// every answer they see against it, and CI lints it). Faults may name only the
// routes it documents.

//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI is the sandbox's OpenAPI 3.1 document, as served at /sandbox/openapi.json.
func OpenAPI() []byte { return append([]byte(nil), openAPIDoc...) }

func handleOpenAPI(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(openAPIDoc)
}

// documentedRoutes is the document's operations, "METHOD /seg/{}/seg" for each.
var documentedRoutes = sync.OnceValue(func() map[string]bool {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		panic("sandbox: the embedded openapi.json is not JSON: " + err.Error()) // caught by every test
	}
	routes := map[string]bool{}
	for path, ops := range doc.Paths {
		norm := strings.Join(routeSegments(path), "/")
		for method := range ops {
			switch method {
			case "get", "post", "put", "delete", "patch":
				routes[strings.ToUpper(method)+" "+norm] = true
				routes[" "+norm] = true // a route given without a method
			}
		}
	}
	return routes
})

// documentedRoute says whether the document has this operation ("" method: any).
func documentedRoute(method string, segments []string) bool {
	return documentedRoutes()[method+" "+strings.Join(segments, "/")]
}
