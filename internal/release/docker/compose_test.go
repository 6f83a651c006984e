package docker

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"

	"github.com/shipshape/shipshape/internal/source/problem"
)

func writeCompose(t *testing.T, dir, text string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFromCompose_Service(t *testing.T) {
	path := writeCompose(t, t.TempDir(), `name: shop
services:
  proxy:
    image: nginx:1.27
    depends_on: [web]
  web:
    image: shop:${TAG:-dev}
    environment:
      DATABASE_URL: postgres://db/shop
      UNSET:
    depends_on:
      worker:
        condition: service_started
    ports:
      - "127.0.0.1:8000:3000"
    volumes:
      - uploads:/srv/uploads
      - type: tmpfs
        target: /run/cache
    networks: [front, back]
    healthcheck:
      test: ["CMD", "/app", "-healthcheck"]
      interval: 30s
      retries: 4
    stop_grace_period: 12s
  worker:
    image: shop:dev
    depends_on: [db, redis]
  db:
    image: postgres:15
  redis:
    image: redis:7
networks:
  front: {}
  back:
    external: true
volumes:
  uploads:
    name: shop-uploads
`)
	c, o, err := FromCompose(context.Background(), []string{path}, "web", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Project != "shop" || !reflect.DeepEqual(c.Accessories, []string{"db", "redis", "worker"}) {
		t.Errorf("project %q, accessories %v: want shop and web's dependencies db, redis, worker (not proxy, which depends on web)", c.Project, c.Accessories)
	}
	want := Options{
		Service: "shop-web", Image: "shop:dev", Port: 3000, Env: []string{"DATABASE_URL=postgres://db/shop"},
		Network: "back", Networks: []string{"shop_front"}, Aliases: []string{"web"},
		NetworkLabels: map[string]map[string]string{"shop_front": {"com.docker.compose.project": "shop", "com.docker.compose.network": "front"}},
		Mounts:        []mount.Mount{{Type: mount.TypeVolume, Source: "shop-uploads", Target: "/srv/uploads"}, {Type: mount.TypeTmpfs, Target: "/run/cache"}},
		Healthcheck:   &container.HealthConfig{Test: []string{"CMD", "/app", "-healthcheck"}, Interval: 30 * time.Second, Retries: 4},
		StopTimeout:   12,
	}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("options:\n got %+v\nwant %+v", o, want)
	}
}

// The project name decides the release's name and the networks: pinned by
// name:, else the directory's, else --project.
func TestFromCompose_ProjectName(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "My Blog")
	path := writeCompose(t, dir, "services:\n  web:\n    image: blog:1\n")
	for _, tc := range []struct{ project, service, network string }{
		{"", "myblog-web", "myblog_default"},
		{"prod", "prod-web", "prod_default"},
	} {
		c, o, err := FromCompose(context.Background(), []string{path}, "web", tc.project)
		if err != nil {
			t.Fatal(err)
		}
		if o.Service != tc.service || o.Network != tc.network || len(c.Accessories) != 0 {
			t.Errorf("--project %q: service %q on %q, accessories %v; want %q on %q, none", tc.project, o.Service, o.Network, c.Accessories, tc.service, tc.network)
		}
	}
}

func TestFromCompose_Refuses(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, text, want string }{
		{"missing service", "name: a\nservices:\n  api:\n    image: a:1\n  db:\n    image: postgres:15\n",
			`compose.yaml:2: no service "web" (the services are api, db)`},
		{"bind mount", "name: a\nservices:\n  web:\n    image: a:1\n    volumes:\n      - ./src:/app/src\n",
			"compose.yaml:6: service web mounts bind"},
		{"build only", "name: a\nservices:\n  web:\n    build: .\n",
			"compose.yaml:4: service web has no image: name, only a build"},
		{"not compose", "name: a\nservices:\n  web: [1, 2]\n", "compose.yaml:3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeCompose(t, filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")), tc.text)
			_, _, err := FromCompose(context.Background(), []string{path}, "web", "")
			var pe *problem.Error
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v (%T), want a *problem.Error with %q", err, err, tc.want)
			}
		})
	}
}

// FuzzFromCompose: any compose file either gives options a deploy can use
// (a service name, an image, a network) or a *problem.Error with a file
// and line; never a panic.
func FuzzFromCompose(f *testing.F) {
	f.Add("name: a\nservices:\n  web:\n    image: a:1\n    depends_on: [db]\n  db:\n    image: postgres:15\n")
	f.Add("services:\n  web:\n    image: a:${TAG:-1}\n    volumes: [data:/d, ./x:/x]\n    networks: [a, b]\nnetworks:\n  a: {}\n  b: {external: true}\nvolumes:\n  data: {}\n")
	f.Add("services:\n  web:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"x\"]\n      interval: 5s\n    ports: [\"8000:3000\"]\n    stop_grace_period: 1m\n")
	f.Add("services:\n  web:\n    image: a\n    depends_on:\n      web: {condition: service_started}\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text string) {
		path := filepath.Join(dir, "compose.yaml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, o, err := FromCompose(ctx, []string{path}, "web", "")
		if err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Path == "" || pe.Line < 1 {
				t.Fatalf("error without a file and line: %v (%T)", err, err)
			}
			return
		}
		if c.Project == "" || o.Service == "" || o.Image == "" || o.Network == "" {
			t.Fatalf("options without a name, image or network: %+v %+v", c, o)
		}
	})
}

// The release step: a one-off service of the app's own image the app waits
// on to complete. Two shapes: init's (entrypoint: the migration), and the
// FastAPI full-stack template's prestart (command: only, run by the image's
// ENTRYPOINT). A completed-successfully dependency of another image (a
// seed loader of its own) stays an accessory.
func TestFromCompose_ReleaseStep(t *testing.T) {
	cases := []struct {
		name, text  string
		cmd         []string
		args        bool
		step        string
		accessories []string
	}{
		{"init's migrate", `name: blog
services:
  web:
    image: blog:${GIT_SHA:?set GIT_SHA}
    depends_on:
      db: {condition: service_healthy}
      web-migrate: {condition: service_completed_successfully}
  web-migrate:
    image: blog:${GIT_SHA:?set GIT_SHA}
    entrypoint: ["python", "-m", "alembic", "upgrade", "head"]
    depends_on:
      db: {condition: service_healthy}
  db:
    image: postgres:17
`, []string{"python", "-m", "alembic", "upgrade", "head"}, false, "web-migrate", []string{"db"}},
		{"prestart command", `name: app
services:
  backend:
    image: '${DOCKER_IMAGE_BACKEND:-backend}:${TAG-latest}'
    depends_on:
      db: {condition: service_healthy, restart: true}
      prestart: {condition: service_completed_successfully}
  prestart:
    image: '${DOCKER_IMAGE_BACKEND:-backend}:${TAG-latest}'
    command: bash scripts/prestart.sh
    depends_on:
      db: {condition: service_healthy}
  db:
    image: postgres:17
`, []string{"bash", "scripts/prestart.sh"}, true, "prestart", []string{"db"}},
		{"another image's job", `name: vote
services:
  web:
    image: vote:1
    depends_on:
      seed: {condition: service_completed_successfully}
  seed:
    image: seed-data:1
    command: ./load.sh
`, nil, false, "", []string{"seed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			service := strings.Fields(c.text[strings.Index(c.text, "services:\n")+10:])[0]
			service = strings.TrimSuffix(service, ":")
			comp, o, err := FromCompose(context.Background(), []string{writeCompose(t, t.TempDir(), c.text)}, service, "")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(o.ReleaseCommand, c.cmd) || o.releaseArgs != c.args || comp.ReleaseStep != c.step {
				t.Errorf("release command %q (args %v, step %q), want %q (args %v, step %q)", o.ReleaseCommand, o.releaseArgs, comp.ReleaseStep, c.cmd, c.args, c.step)
			}
			if !reflect.DeepEqual(comp.Accessories, c.accessories) {
				t.Errorf("accessories %v, want %v", comp.Accessories, c.accessories)
			}
		})
	}
}

// A deploy interpolates as docker compose up does: the shell's variables
// over the project's .env. init writes image: APP:${GIT_SHA:?...}; without
// the shell's GIT_SHA the release was a placeholder image.
func TestFromCompose_ShellEnvironment(t *testing.T) {
	dir := t.TempDir()
	path := writeCompose(t, dir, "name: shop\nservices:\n  web:\n    image: shop:${GIT_SHA:?set GIT_SHA to the commit to deploy}\n    environment:\n      MODE: ${MODE:-dev}\n")
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("MODE=from-dotenv\nGIT_SHA=old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_SHA", "3f2c1e9a0b1d")
	_, o, err := FromCompose(context.Background(), []string{path}, "web", "")
	if err != nil {
		t.Fatal(err)
	}
	if o.Image != "shop:3f2c1e9a0b1d" || !reflect.DeepEqual(o.Env, []string{"MODE=from-dotenv"}) {
		t.Errorf("image %q, env %q; want the shell's GIT_SHA and the .env's MODE", o.Image, o.Env)
	}
}
