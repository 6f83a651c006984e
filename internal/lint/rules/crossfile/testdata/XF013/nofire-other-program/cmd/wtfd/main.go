package main

import "github.com/x/wtf/http"

func main() { http.Serve(config.Addr) }
