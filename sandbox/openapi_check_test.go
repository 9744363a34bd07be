package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// contract is the embedded OpenAPI document, loaded and checked once, with a router
// that matches requests to any host (the tests' servers have random ports).
var contract = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPIDoc)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	doc.Servers = nil
	return legacy.NewRouter(doc)
})

// checkContract fails the test when an answer on a documented route does not match
// the document: its status, headers and body. Routes the document does not have
// (the catch-all 404, a method a path does not serve) have nothing to match;
// TestOpenAPICoversEveryRoute keeps the document and the routes in step.
func checkContract(t testing.TB, resp *http.Response, body []byte) {
	t.Helper()
	if err := contractError(resp, body); err != nil {
		t.Errorf("%s %s answered %d, which openapi.json does not allow: %v\nbody: %.600s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, err, body)
	}
}

// contractError is why an answer does not match the document, or nil.
func contractError(resp *http.Response, body []byte) error {
	router, err := contract()
	if err != nil {
		return fmt.Errorf("openapi.json: %w", err)
	}
	route, params, err := router.FindRoute(resp.Request)
	var notRouted *routers.RouteError
	if errors.As(err, &notRouted) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("finding the route: %w", err)
	}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: resp.Request, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
}
