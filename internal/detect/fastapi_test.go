package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/testutil"
)

// todoAPI is aprezcuba24/fastapi-todo-pt's shape (9b355253377c, no
// licence file; the shape only, in our words): app = FastAPI() in
// app/main.py, an api_router included under a prefix from settings,
// items behind `token: Token` where Token = Annotated[str,
// Depends(get_token)], users' routes for writing only.
func todoAPI(app string) map[string]string {
	return map[string]string{
		"requirements.txt":    "fastapi\nuvicorn\nsqlalchemy\n",
		"app/__init__.py":     "",
		"app/main.py":         "from fastapi import FastAPI\nfrom app.api.main import api_router\n\n" + app + "\n\napp.include_router(api_router, prefix=\"/api/v1\")\n",
		"app/api/__init__.py": "",
		"app/api/main.py": "from fastapi import APIRouter\nfrom app.api.routes import notes, accounts\n\n" +
			"api_router = APIRouter()\napi_router.include_router(accounts.router)\napi_router.include_router(notes.router)\n",
		"app/api/deps.py": "from typing import Annotated\nfrom fastapi import Depends, Request, HTTPException\n\n" +
			"def get_session():\n    yield None\n\nSessionDep = Annotated[object, Depends(get_session)]\n\n\n" +
			"def get_token(session: SessionDep, request: Request):\n    token = request.headers.get(\"Authorization\", \"\")\n    if not token:\n        raise HTTPException(status_code=401)\n    return token\n\n\n" +
			"Token = Annotated[str, Depends(get_token)]\n",
		"app/api/routes/__init__.py": "",
		"app/api/routes/notes.py": "from fastapi import APIRouter, Query\nfrom app.api.deps import SessionDep, Token\n\n" +
			"router = APIRouter(prefix=\"/notes\", tags=[\"notes\"])\n\n\n" +
			"@router.get(\"\")\nasync def list_notes(\n    session: SessionDep,\n    token: Token,\n    skip: int = Query(0, ge=0),\n):\n    return []\n",
		"app/api/routes/accounts.py": "from fastapi import APIRouter\nfrom app.api.deps import SessionDep\n\n" +
			"router = APIRouter(prefix=\"/accounts\", tags=[\"accounts\"])\n\n\n" +
			"@router.post(\"\")\nasync def register(session: SessionDep):\n    return {}\n\n\n" +
			"@router.post(\"/login\")\nasync def login(session: SessionDep):\n    return {}\n",
	}
}

// A FastAPI app without a health route, whose one GET route a token
// guards: the route is not offered, and FastAPI's own /docs page is the
// probe (the helper's run of fastapi-todo-pt passed with
// --health-path /docs).
func TestFastAPI_DocsPageWhereNoHealthRouteAndTheRouteIsGuarded(t *testing.T) {
	s, facts := goShape(t, todoAPI("app = FastAPI()"))
	if got := facts["health"]; got != "/docs@app/main.py:4" {
		t.Fatalf("health %s, want /docs@app/main.py:4 (FastAPI serves its docs; /api/v1/notes needs a token); asked: %q", got, facts["ask"])
	}
	if !strings.Contains(s.HealthPath.Why, "no health route") {
		t.Errorf("why %q should say the code serves no health route", s.HealthPath.Why)
	}
}

// The constructor moves the docs (a literal), disables them, or sets
// them from an expression or a mapping init does not read: only the
// literal is the probe; otherwise init asks, as before.
func TestFastAPI_DocsURLAsTheConstructorSetsIt(t *testing.T) {
	for _, tc := range []struct{ app, want string }{
		{`app = FastAPI(docs_url="/api/py/docs", openapi_url="/api/py/openapi.json")`, "/api/py/docs@app/main.py:4"},
		{"app = FastAPI(\n    title=\"Todo\",\n    docs_url=\"/api/docs\" if settings.ENVIRONMENT == \"development\" else None,\n)", "-"},
		{`app = FastAPI(docs_url=None, redoc_url=None)`, "-"},
		{`app = FastAPI(openapi_url=None)`, "-"},
		{`app = FastAPI(docs_url=docs_url)`, "-"},
		{`app = FastAPI(root_path=api_root, **app_kwargs)`, "-"},
		{"app = FastAPI(\n    title=\"Todo\",\n    version=\"1.0\",\n)", "/docs@app/main.py:4"},
	} {
		_, facts := goShape(t, todoAPI(tc.app))
		if got := facts["health"]; got != tc.want {
			t.Errorf("%s: health %s, want %s", tc.app, got, tc.want)
		}
	}
}

// fastapi/full-stack-fastapi-template's shapes (MIT): CurrentUser an
// Annotated alias of Depends(get_current_user), a route's
// dependencies=[Depends(get_current_active_superuser)], and a router
// whose APIRouter(dependencies=[...]) guards all its routes. Each is
// behind its dependency; a route with only a database session is not.
func TestFastAPI_GuardsByDependency(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "fastapi\nuvicorn\n",
		"main.py": "from fastapi import FastAPI, Depends\nfrom api import items, users, admin, reports\nfrom deps import verify_token\n\napp = FastAPI()\napp.include_router(items.router)\napp.include_router(users.router)\napp.include_router(admin.router)\n" +
			"app.include_router(\n    reports.router,\n    prefix=\"/reports\",\n    dependencies=[Depends(verify_token)],\n)\n",
		"api/reports.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get(path=\"/daily\")\ndef daily():\n    return []\n",
		"deps.py": "from typing import Annotated\nfrom fastapi import Depends\n\n" +
			"def get_db():\n    yield None\n\ndef get_current_user():\n    return None\n\n" +
			"SessionDep = Annotated[object, Depends(get_db)]\nCurrentUser = Annotated[object, Depends(get_current_user)]\n",
		"api/__init__.py": "",
		"api/items.py": "from fastapi import APIRouter\nfrom deps import SessionDep, CurrentUser\n\nrouter = APIRouter(prefix=\"/items\")\n\n\n" +
			"@router.get(\"/\")\ndef read_items(session: SessionDep, current_user: CurrentUser):\n    return []\n\n\n" +
			"@router.get(\"/count\")\ndef count(session: SessionDep):\n    return 0\n\n\n" +
			"@router.get(\n    path=\"/mine\",\n    status_code=200,\n)\nasync def mine(\n    usecase: object = Depends(get_usecase),\n    _: object = Depends(require_items_read),\n):\n    return []\n",
		"api/users.py": "from fastapi import APIRouter, Depends\nfrom deps import get_current_active_superuser\n\nrouter = APIRouter(prefix=\"/users\")\n\n\n" +
			"@router.get(\n    \"/\",\n    dependencies=[Depends(get_current_active_superuser)],\n)\ndef read_users():\n    return []\n",
		"api/admin.py": "from fastapi import APIRouter, Depends, Security\nfrom deps import verify_api_key\n\n" +
			"router = APIRouter(\n    prefix=\"/admin\",\n    dependencies=[Depends(verify_api_key)],\n)\n\n\n" +
			"@router.get(\"/stats\")\ndef stats():\n    return {}\n",
	}
	got := guardedRoutes(t, files)
	for p, want := range map[string]string{
		"/items/":      "behind CurrentUser (get_current_user) (api/items.py:7): it needs a session",
		"/items/count": "",
		"/users/":      "behind Depends(get_current_active_superuser) (api/users.py:7): it needs a session",
		"/admin/stats": "behind Depends(verify_api_key) (api/admin.py:10): it needs a session",
	} {
		if g, ok := got[p]; !ok || g != want {
			t.Errorf("%s: guarded %q (found %v), want %q", p, g, ok, want)
		}
	}
}

// emreihtiyar/fastapi-template's shape (13f252c): the code under src/,
// served as main:app from there, imports its routers through src
// (from src.api.v1.routes import router as v1_router) and mounts them
// under /api; the router's own prefix is /v1. The health candidate is
// /api/v1/, not /v1/.
func TestFastAPI_RouterImportedThroughSrc(t *testing.T) {
	files := map[string]string{
		"requirements.txt":              "fastapi\nuvicorn\n",
		"src/__init__.py":               "",
		"src/main.py":                   "from fastapi import FastAPI\nfrom src.api.v1.routes import router as v1_router\n\napp = FastAPI(docs_url=settings.docs_url)\napp.include_router(v1_router, prefix=\"/api\")\n",
		"src/api/__init__.py":           "",
		"src/api/v1/__init__.py":        "",
		"src/api/v1/routes/__init__.py": "from fastapi import APIRouter\n\nrouter = APIRouter(prefix=\"/v1\")\n\n\n@router.get(\"/\")\ndef index():\n    return {\"status\": \"ok\"}\n",
	}
	dir := testutil.WriteTree(t, files)
	r := &repo{dir: dir, lines: map[string][]string{}, lang: "python"}
	var got []string
	for _, rt := range r.routesOf(project.Scan(dir), nil) {
		got = append(got, rt.Value)
	}
	if strings.Join(got, " ") != "/api/v1/" {
		t.Errorf("routes %q, want [/api/v1/] (the router is imported through src and mounted at /api)", got)
	}
}

// Armontex/auth-app's register service (2ef8cc3): `@router.post(` then
// `path="/",` registers / for writing only; a probe's GET there is 405,
// so / is no health route and FastAPI's /docs is.
func TestFastAPI_WriteOnlyRootIsNoHealthRoute(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "fastapi\nuvicorn\n",
		"main.py":          "from fastapi import FastAPI\nfrom register import router\n\n\ndef create_app() -> FastAPI:\n    app = FastAPI(title=\"auth\")\n    app.include_router(router)\n    return app\n\n\napp = create_app()\n",
		"register.py":      "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.post(\n    path=\"/\",\n    status_code=201,\n)\nasync def register():\n    return {}\n",
	}
	_, facts := goShape(t, files)
	if got := facts["health"]; got != "/docs@main.py:6" {
		t.Errorf("health %s, want /docs@main.py:6 (POST / is for writing); asked %q", got, facts["ask"])
	}
}

// emreihtiyar/fastapi-template's configs (MIT, 13f252c): a dataclass per
// database it might use, each with a default URL, and no MongoDB client
// imported anywhere: MongoDB is not a database of the app's. Where a
// client is imported (motor), it is.
func TestPython_URLNoClientOpensIsNoDatabase(t *testing.T) {
	configs := "import dataclasses\n\n\n@dataclasses.dataclass(frozen=True)\nclass MongoDBConfigs:\n    db_url: str = \"mongodb://localhost:27017\"\n    db_name: str = \"example\"\n\n\n" +
		"@dataclasses.dataclass(frozen=True)\nclass CacheConfigs:\n    url: str = \"redis://localhost:6379/0\"\n"
	main := "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health():\n    return {}\n"
	for _, tc := range []struct {
		extra map[string]string
		want  string
	}{
		{nil, ""},
		{map[string]string{"db.py": "from motor.motor_asyncio import AsyncIOMotorClient\nfrom configs import MongoDBConfigs\n\nclient = AsyncIOMotorClient(MongoDBConfigs.db_url)\n"}, "mongodb"},
		{map[string]string{"cache.py": "import redis\nfrom configs import CacheConfigs\n\nr = redis.from_url(CacheConfigs.url)\n"}, "redis"},
	} {
		files := map[string]string{"requirements.txt": "fastapi\nuvicorn\n", "main.py": main, "configs.py": configs}
		for k, v := range tc.extra {
			files[k] = v
		}
		s, _ := goShape(t, files)
		var got []string
		for _, db := range s.Databases {
			got = append(got, db.Value)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("with %v: databases %q, want %q", tc.extra, got, tc.want)
		}
	}
}

// An Annotated alias that black wrapped over several lines (review62's
// open row; black wraps any alias past 88 columns) guards as the one-line
// alias does; a wrapped alias of a database session does not.
func TestFastAPI_GuardsByWrappedAlias(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "fastapi\nuvicorn\n",
		"deps.py": "from typing import Annotated\nfrom fastapi import Depends\n\n" +
			"CurrentActiveUser = Annotated[\n    UserReadSchema,  # the caller\n    Depends(get_current_active_user_from_token),\n]\n" +
			"DatabaseSession = Annotated[\n    AsyncSession, Depends(get_async_database_session)\n]\n",
		"main.py": "from fastapi import FastAPI\nfrom deps import CurrentActiveUser, DatabaseSession\n\napp = FastAPI()\n\n\n" +
			"@app.get(\"/me\")\nasync def me(user: CurrentActiveUser):\n    return user\n\n\n" +
			"@app.get(\"/count\")\nasync def count(db: DatabaseSession):\n    return 0\n",
	}
	got := guardedRoutes(t, files)
	for p, want := range map[string]string{
		"/me":    "behind CurrentActiveUser (get_current_active_user_from_token) (main.py:7): it needs a session",
		"/count": "",
	} {
		if g, ok := got[p]; !ok || g != want {
			t.Errorf("%s: guarded %q (found %v), want %q", p, g, ok, want)
		}
	}
}

// guardedRoutes are the Python routes of files, each with why a request
// without a session does not reach it ("" where one does).
func guardedRoutes(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	dir := testutil.WriteTree(t, files)
	r := &repo{dir: dir, lines: map[string][]string{}, lang: "python"}
	got := map[string]string{}
	for _, rt := range r.routesOf(project.Scan(dir), nil) {
		got[rt.Value] = rt.guarded
	}
	return got
}
