// Command backend is the benchmark's app: it answers every request with a
// short body naming itself, as fast as net/http can.
package main

import (
	"flag"
	"log"
	"net/http"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:18001", "address")
	name := flag.String("name", "backend", "what it answers")
	flag.Parse()
	body := []byte(*name + " ok\n")
	log.Fatal(http.ListenAndServe(*listen, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body)
	})))
}
