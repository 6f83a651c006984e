package http

import "net/http"

func Serve(addr string) { http.ListenAndServe(addr, nil) }

// ListenAndServeTLSRedirect sends port 80 to HTTPS.
func ListenAndServeTLSRedirect(domain string) error {
	return http.ListenAndServe(":80", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://"+domain, http.StatusFound)
	}))
}
