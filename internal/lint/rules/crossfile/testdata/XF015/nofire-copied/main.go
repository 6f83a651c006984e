package main

import (
	"net/http"
	"os/exec"
)

func version() ([]byte, error) { return exec.Command("git", "--version").Output() }

func main() {
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(":8080", nil)
}
