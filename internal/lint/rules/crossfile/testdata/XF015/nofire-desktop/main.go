package main

import (
	"net/http"
	"os/exec"
	"runtime"
)

func open(url string) {
	switch runtime.GOOS {
	case "darwin":
		_ = exec.Command("open", url).Start()
	default:
		_ = exec.Command("xdg-open", url).Start()
	}
}

func main() {
	http.ListenAndServe(":8080", nil)
}
