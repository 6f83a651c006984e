package detect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// Routes behind an authentication middleware, in the shapes real
// repositories write it, are guarded (no health check); the others are
// not. The shapes: bagashiz/go-pos (gin: user.Group("/").Use(authMiddleware(token))),
// eddycjy/go-gin-example (apiv1.Use(jwt.JWT()) as a statement),
// sikozonpc/ecom (gorilla: the handler wrapped in auth.WithJWTAuth),
// echo's and fiber's Group with middlewares after the prefix, chi's
// r.Use in a Route closure and r.With, and gothinkster's
// AuthMiddleware(false), under which a session is optional; zhashkevych/
// todo-app's Group("/api", h.userIdentity).
func TestGoRoutes_AuthMiddlewareGuardsRoutes(t *testing.T) {
	files := map[string]string{
		"go.mod": "module x\n\ngo 1.22\n",
		"gin.go": "package main\n\nfunc main() {\n\tginRoutes(gin.Default())\n\tmuxRoutes(mux.NewRouter())\n}\n\nfunc ginRoutes(router *gin.Engine) {\n\tv1 := router.Group(\"/v1\")\n\tv1.GET(\"/status\", status)\n" +
			"\tuser := v1.Group(\"/users\")\n\tuser.POST(\"/login\", authHandler.Login)\n\tauthUser := user.Group(\"/\").Use(authMiddleware(token))\n\tauthUser.GET(\"/\", listUsers)\n" +
			"\tapi := router.Group(\"/api\")\n\tapi.GET(\"/tags\", tags)\n\tapi.Use(jwt.JWT())\n\tapi.GET(\"/articles\", articles)\n" +
			"\trw := router.Group(\"/rw\")\n\trw.Use(users.AuthMiddleware(false))\n\trw.GET(\"/feed\", feed)\n\tprofile(rw.Group(\"/profiles\"))\n\trw.Use(users.AuthMiddleware(true))\n\trw.GET(\"/me\", me)\n}\n\n" +
			"func profile(g *gin.RouterGroup) {\n\tg.GET(\"/list\", list)\n}\n",
		"mux.go": "package main\n\nfunc muxRoutes(router *mux.Router) {\n\trouter.HandleFunc(\"/products\", h.handleGetProducts).Methods(http.MethodGet)\n" +
			"\trouter.HandleFunc(\"/cart\", auth.WithJWTAuth(h.handleCart, h.store)).Methods(http.MethodGet)\n}\n",
		"echo.go":  "package main\n\nfunc echoRoutes() {\n\te := echo.New()\n\tadmin := e.Group(\"/admin\", echojwt.WithConfig(cfg))\n\tadmin.GET(\"/stats\", stats)\n\tpublic := e.Group(\"/public\", middleware.Logger())\n\tpublic.GET(\"/info\", info)\n}\n",
		"fiber.go": "package main\n\nfunc fiberRoutes() {\n\tapp := fiber.New()\n\tapi := app.Group(\"/fapi\", jwtware.New(jwtware.Config{}))\n\tapi.Get(\"/books\", books)\n\tlists := app.Group(\"/lists\", h.userIdentity)\n\tlists.Get(\"/\", all)\n}\n",
		"chi.go": "package main\n\nfunc chiRoutes() {\n\tr := chi.NewRouter()\n\tr.Route(\"/chi\", func(r chi.Router) {\n\t\tr.Use(jwtauth.Verifier(tokenAuth))\n\t\tr.Get(\"/secret\", secret)\n\t})\n" +
			"\tr.Get(\"/ping\", ping)\n\tr.With(requireLogin).Get(\"/account\", account)\n}\n",
	}
	r := &repo{dir: testutil.WriteTree(t, files), lines: map[string][]string{}, lang: "go"}
	routes, _ := r.goRoutes()
	got := map[string]string{}
	for _, rt := range routes {
		got[rt.Value] = rt.guarded
	}
	for path, guard := range map[string]string{
		"/v1/status": "", "/v1/users/": "authMiddleware (gin.go:13)",
		"/api/tags": "", "/api/articles": "jwt.JWT (gin.go:17)",
		"/rw/feed": "", "/rw/profiles/list": "", "/rw/me": "users.AuthMiddleware (gin.go:23)",
		"/products": "", "/cart": "auth.WithJWTAuth (mux.go:5)",
		"/admin/stats": "echojwt.WithConfig (echo.go:5)", "/public/info": "",
		"/fapi/books": "jwtware.New (fiber.go:5)", "/lists/": "h.userIdentity (fiber.go:7)",
		"/chi/secret": "jwtauth.Verifier (chi.go:6)", "/ping": "", "/account": "requireLogin (chi.go:10)",
	} {
		why, ok := got[path]
		if !ok {
			t.Errorf("%s: not found among %v", path, got)
			continue
		}
		if guard == "" && why != "" || guard != "" && !strings.Contains(why, "behind "+guard) {
			t.Errorf("%s guarded %q, want %q", path, why, guard)
		}
	}
}

// akhilrex/podgrab guards its routes with gin.BasicAuth only when
// $PASSWORD is set; otherwise its router is the engine's own group,
// &r.RouterGroup, and its page at / answers without a session (its
// default configuration, the image's).
func TestGoRoutes_GuardInOneBranchOnly(t *testing.T) {
	files := map[string]string{
		"go.mod": "module podgrab\n\ngo 1.15\n",
		"main.go": "package main\n\nfunc main() {\n\tr := gin.Default()\n\tpass := os.Getenv(\"PASSWORD\")\n\tvar router *gin.RouterGroup\n\tif pass != \"\" {\n\t\trouter = r.Group(\"/\", gin.BasicAuth(gin.Accounts{\"podgrab\": pass}))\n\t} else {\n\t\trouter = &r.RouterGroup\n\t}\n" +
			"\trouter.GET(\"/\", home)\n\tr.GET(\"/ws\", ws)\n\tr.Run()\n}\n",
	}
	routes, _ := (&repo{dir: testutil.WriteTree(t, files), lines: map[string][]string{}, lang: "go"}).goRoutes()
	got := map[string]string{}
	for _, rt := range routes {
		got[rt.Value] = rt.guarded
	}
	if g, ok := got["/"]; !ok || g != "" {
		t.Errorf("/ %q (found %v), want it unguarded: %v", g, ok, got)
	}
}

// A middleware of the module's named for authentication that passes
// every request on guards nothing: traggo/server's auth.Middleware sets
// the user and device when there is a session and always calls the next
// handler (auth/middleware.go:28), so its routes need none. One that
// answers 401, or whose handler returns before the next, does guard them.
func TestDetect_GoAuthMiddlewareThatPassesAll(t *testing.T) {
	for _, c := range []struct {
		name, handler string
		guarded       bool
	}{
		{"passes all", "\t\t\thandler.ServeHTTP(w, withUser(r, db))\n", false},
		{"answers 401", "\t\t\tif r.Header.Get(\"Authorization\") == \"\" {\n\t\t\t\tw.WriteHeader(http.StatusUnauthorized)\n\t\t\t}\n\t\t\thandler.ServeHTTP(w, r)\n", true},
		{"returns early", "\t\t\tif withUser(r, db) == nil {\n\t\t\t\treturn\n\t\t\t}\n\t\t\thandler.ServeHTTP(w, r)\n", true},
		// What a review found: the next handler under a condition, and
		// a middleware that hands over to another.
		{"next under a condition", "\t\t\tif withUser(r, db) != nil {\n\t\t\t\thandler.ServeHTTP(w, r)\n\t\t\t} else {\n\t\t\t\tw.WriteHeader(498)\n\t\t\t}\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Detect(testutil.WriteTree(t, map[string]string{
				"go.mod": "module github.com/traggo/server\n\ngo 1.22\n\nrequire github.com/gorilla/mux v1.8.0\n",
				"main.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gorilla/mux\"\n\t\"github.com/traggo/server/auth\"\n)\n\nfunc main() {\n\trouter := mux.NewRouter()\n\trouter.Use(auth.Middleware(nil))\n" +
					"\trouter.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":3030\", router)\n}\n",
				"auth/middleware.go": "package auth\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gorilla/mux\"\n)\n\n// Middleware sets the user.\nfunc Middleware(db any) mux.MiddlewareFunc {\n\treturn func(handler http.Handler) http.Handler {\n\t\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n" +
					c.handler + "\t\t})\n\t}\n}\n\nfunc withUser(r *http.Request, db any) *http.Request { return r }\n",
			}))
			if err != nil {
				t.Fatal(err)
			}
			if c.guarded {
				if s.HealthPath != nil && s.HealthPath.Value == "/healthz" {
					t.Errorf("health %s behind a middleware that refuses", ev(s.HealthPath))
				}
				return
			}
			if s.HealthPath == nil || s.HealthPath.Value != "/healthz" {
				t.Errorf("health %s, want /healthz (the middleware passes every request)", ev(s.HealthPath))
			}
		})
	}
}

// The review's other two shapes: a middleware that returns another's
// (requireSession, which answers 401), and a library's auth.Middleware
// beside a module function of the same bare name that passes all.
func TestDetect_GoAuthMiddlewareHandedOverOrALibrarys(t *testing.T) {
	main := "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gorilla/mux\"\n\t\"%s\"\n)\n\nfunc main() {\n\trouter := mux.NewRouter()\n\trouter.Use(auth.Middleware(nil))\n" +
		"\trouter.HandleFunc(\"/healthz\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(\":3030\", router)\n}\n"
	for name, files := range map[string]map[string]string{
		"handed over": {
			"main.go":            fmt.Sprintf(main, "example.com/app/auth"),
			"auth/middleware.go": "package auth\n\nimport \"github.com/gorilla/mux\"\n\nfunc Middleware(db any) mux.MiddlewareFunc {\n\treturn requireSession(db)\n}\n",
			"auth/session.go":    "package auth\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/gorilla/mux\"\n)\n\nfunc requireSession(db any) mux.MiddlewareFunc {\n\treturn func(next http.Handler) http.Handler {\n\t\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\t\tnext.ServeHTTP(w, r)\n\t\t})\n\t}\n}\n",
		},
		"a library's": {
			"main.go":               fmt.Sprintf(main, "github.com/vendor/auth"),
			"logging/middleware.go": "package logging\n\nimport \"net/http\"\n\nfunc Middleware(next http.Handler) http.Handler {\n\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\tnext.ServeHTTP(w, r)\n\t})\n}\n",
		},
	} {
		files["go.mod"] = "module example.com/app\n\ngo 1.22\n\nrequire github.com/gorilla/mux v1.8.0\n"
		s, err := Detect(testutil.WriteTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		if s.HealthPath != nil && s.HealthPath.Value == "/healthz" {
			t.Errorf("%s: health %s behind a middleware that may refuse", name, ev(s.HealthPath))
		}
	}
}
