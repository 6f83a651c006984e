package main

import (
	"flag"
	"net/http"
	"os"
)

func main() {
	check := flag.Bool("healthcheck", false, "probe the running server and exit")
	flag.Parse()
	if *check {
		resp, err := http.Get("http://127.0.0.1:8080/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			os.Exit(1)
		}
		return
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) })
	http.ListenAndServe(":8080", nil)
}
