// Command bare is the load script's baseline: a bare net/http server that answers
// GET or POST /{status}/{size} with that status and a JSON-typed body of that many
// bytes, so that wrk can measure what the sandbox's handlers cost on top of net/http
// for the same answer. It is built by scripts/load.sh only, never into handoff.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	bodies := map[int][]byte{}
	var mu sync.Mutex // guards bodies
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, sz, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		status, err1 := strconv.Atoi(st)
		size, err2 := strconv.Atoi(sz)
		if !ok || err1 != nil || err2 != nil || status < 200 || status > 599 || size < 0 || size > 1<<20 {
			http.Error(w, "want /{status}/{size}", http.StatusBadRequest)
			return
		}
		mu.Lock()
		body, ok := bodies[size]
		if !ok {
			body = bytes.Repeat([]byte("x"), size)
			bodies[size] = body
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, "bare:", err)
	os.Exit(1)
}
