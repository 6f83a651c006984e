package linttest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Manifests returns n Kubernetes documents in files of a few documents each:
// Deployments good and bad, Services, PDBs, HPAs, Secrets, Jobs.
func Manifests(n int, seed uint64) [][]byte {
	r := rand.New(rand.NewPCG(seed, 0xc8))
	var files [][]byte
	for made := 0; made < n; {
		var b strings.Builder
		app := fmt.Sprintf("app%d", made)
		docs := []string{deployment(r, app), service(r, app)}
		switch r.IntN(4) {
		case 0:
			docs = append(docs, fmt.Sprintf("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: %s}\nspec:\n  maxUnavailable: %d\n  selector: {matchLabels: {app: %s}}\n", app, r.IntN(2), app))
		case 1:
			docs = append(docs, fmt.Sprintf("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: %s}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %s}\n  minReplicas: 2\n  maxReplicas: 10\n", app, app))
		case 2:
			docs = append(docs, fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata: {name: %s-db}\nstringData:\n  password: p\n", app))
		default:
			docs = append(docs, fmt.Sprintf("apiVersion: batch/v1\nkind: Job\nmetadata: {name: %s-migrate}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - {name: migrate, image: ghcr.io/acme/%s:1.0.0}\n", app, app))
		}
		b.WriteString(strings.Join(docs, "---\n"))
		files = append(files, []byte(b.String()))
		made += len(docs)
	}
	return files
}

func deployment(r *rand.Rand, app string) string {
	tag := []string{"1.4.2", "latest", "3f2a8b1c"}[r.IntN(3)]
	probe := ""
	if r.IntN(2) == 0 {
		probe = "          readinessProbe:\n            httpGet: {path: /healthz, port: http}\n          livenessprobe:\n            httpGet: {path: /healthz, port: 8000}\n"
	}
	security := ""
	if r.IntN(2) == 0 {
		security = "          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities: {drop: [ALL]}\n"
	}
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
spec:
  replicas: %[2]d
  selector:
    matchLabels: {app: %[1]s}
  template:
    metadata:
      labels: {app: %[1]s}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/%[1]s:%[3]s
          ports:
            - {name: http, containerPort: 8000}
          env:
            - name: DATABASE_PASSWORD
              valueFrom:
                secretKeyRef: {name: %[1]s-db, key: password}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
%[4]s%[5]s`, app, 1+r.IntN(3), tag, probe, security)
}

func service(r *rand.Rand, app string) string {
	target := []string{"http", "8000", "8080"}[r.IntN(3)]
	return fmt.Sprintf("apiVersion: v1\nkind: Service\nmetadata: {name: %s}\nspec:\n  selector: {app: %s}\n  ports:\n    - {port: 80, targetPort: %s}\n", app, app, target)
}

// ComposeFiles returns n compose projects of a few services each.
func ComposeFiles(n int, seed uint64) [][]byte {
	r := rand.New(rand.NewPCG(seed, 0xc0))
	out := make([][]byte, n)
	for i := range out {
		var b strings.Builder
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "name: shop%d\n", i)
		}
		b.WriteString("services:\n")
		fmt.Fprintf(&b, "  web:\n    image: ghcr.io/acme/web:${TAG:-latest}\n    ports: [\"%s8000:8000\"]\n    environment:\n      - DATABASE_URL=postgresql://app:%s@db:5432/app\n    depends_on: [db]\n",
			[]string{"", "127.0.0.1:"}[r.IntN(2)], []string{"toor", "${DB_PASSWORD:?}"}[r.IntN(2)])
		if r.IntN(2) == 0 {
			b.WriteString("    restart: unless-stopped\n    logging: {driver: local}\n    mem_limit: 512m\n")
		}
		b.WriteString("  db:\n    image: postgres:16.6\n    volumes: [\"db_data:/var/lib/postgresql/data\"]\n")
		if r.IntN(2) == 0 {
			b.WriteString("    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U app\"]\n")
		}
		b.WriteString("  proxy:\n    image: nginx:1.27.3\n    ports: [\"80:8080\"]\n    volumes: [\"./nginx.conf:/etc/nginx/nginx.conf:ro\"]\nvolumes:\n  db_data:\n")
		out[i] = []byte(b.String())
	}
	return out
}
