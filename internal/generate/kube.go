package generate

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"
)

// kubeValues are the values the Kubernetes templates render: literal for
// kustomize, Helm expressions for the chart, so that one set of templates
// serves both.
type kubeValues struct {
	*Plan
	FullName   string // object names
	Selector   string // selector labels, one "key: value" per line
	Labels     string // extra labels on top of the selector
	Replicas   string
	Image      string
	Env        [][3]string // name, Secret key, "optional" for a variable the app reads from .env
	SecretName string
	Storage    string // PVC size when the app keeps SQLite
	Host       string
	IfHPA      [2]string // template guards around optional objects
	IfIngress  [2]string
	IfNetPol   [2]string
	Migrate    string // the migration command in exec form; "" without one
}

// The probes, resources and security context follow what `check
// --profile production` asks of a workload.
var kubeTemplates = template.Must(template.New("kube").Delims("[[", "]]").Funcs(template.FuncMap{
	"indent": func(n int, s string) string {
		pad := strings.Repeat(" ", n)
		return pad + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pad)
	},
}).Parse(`
[[- define "secretEnv" ]]
[[- if .Env ]]
          env:
[[- range .Env ]]
            - name: [[ index . 0 ]]
              valueFrom:
                secretKeyRef:
                  name: [[ $.SecretName ]]
                  key: [[ index . 1 ]]
[[- if index . 2 ]]
                  optional: true
[[- end ]]
[[- end ]]
[[- end ]]
[[- end ]]

[[- define "probeHost" ]]
[[- if .ProbeHost ]]
              httpHeaders:
                - name: Host
                  value: [[ .ProbeHost ]]
[[- end ]]
[[- end ]]

[[- define "containerHardening" ]]
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
[[- end ]]

[[- define "deployment" -]]
apiVersion: apps/v1
kind: Deployment
metadata:
  name: [[ .FullName ]]
  labels:
[[ indent 4 .Labels ]]
spec:
[[- if .Replicas ]]
  replicas: [[ .Replicas ]]
[[- end ]]
  revisionHistoryLimit: 5
  selector:
    matchLabels:
[[ indent 6 .Selector ]]
[[- if .DataDir ]]
  # The data volume (ReadWriteOnce) takes one pod at a time, and its files one
  # writer: stop the old pod before starting the new.
  strategy:
    type: Recreate
[[- else ]]
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
[[- end ]]
  template:
    metadata:
      labels:
[[ indent 8 .Labels ]]
    spec:
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: [[ .UID ]]
        runAsGroup: [[ .UID ]]
        fsGroup: [[ .UID ]]
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
[[ indent 14 .Selector ]]
      containers:
        - name: app
          image: [[ .Image ]]
          ports:
            - name: http
              containerPort: [[ .Port ]]
[[- template "secretEnv" . ]]
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 512Mi
          startupProbe:
            httpGet:
              path: [[ .HealthPath ]]
              port: http
[[- template "probeHost" . ]]
            periodSeconds: 2
            failureThreshold: 30
          readinessProbe:
            httpGet:
              path: [[ .HealthPath ]]
              port: http
[[- template "probeHost" . ]]
            periodSeconds: 5
            failureThreshold: 2
          livenessProbe:
            tcpSocket:
              port: http
            periodSeconds: 10
            failureThreshold: 3
          lifecycle:
            preStop:
              sleep:
                seconds: 5
[[- template "containerHardening" ]]
[[- if .DataDir ]]
            - name: data
              mountPath: [[ .DataDir ]]
[[- end ]]
      volumes:
        - name: tmp
          emptyDir: {}
[[- if .DataDir ]]
        - name: data
          persistentVolumeClaim:
            claimName: [[ .FullName ]]-data
[[- end ]]
[[ end ]]

[[- define "migrate" -]]
# Applies the migrations once per release, before the new pods start:
# shipshape deploy --target kubernetes runs it to completion first (and Helm
# as a pre-install/pre-upgrade hook); a failure stops the release.
apiVersion: batch/v1
kind: Job
metadata:
  name: [[ .FullName ]]-migrate
  labels:
[[ indent 4 .Labels ]]
  annotations:
    dev.shipshape.phase: pre-deploy
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  backoffLimit: 2
  activeDeadlineSeconds: 600
  ttlSecondsAfterFinished: 86400
  template:
    metadata:
      labels:
        app.kubernetes.io/component: migrate
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: [[ .UID ]]
        runAsGroup: [[ .UID ]]
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: migrate
          image: [[ .Image ]]
          command: [[ .Migrate ]]
[[- template "secretEnv" . ]]
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
[[- template "containerHardening" ]]
      volumes:
        - name: tmp
          emptyDir: {}
[[ end ]]

[[- define "service" -]]
apiVersion: v1
kind: Service
metadata:
  name: [[ .FullName ]]
  labels:
[[ indent 4 .Labels ]]
spec:
  selector:
[[ indent 4 .Selector ]]
  ports:
    - name: http
      port: 80
      targetPort: http
[[ end ]]

[[- define "pdb" -]]
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: [[ .FullName ]]
  labels:
[[ indent 4 .Labels ]]
spec:
  maxUnavailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
[[ indent 6 .Selector ]]
[[ end ]]

[[- define "pvc" -]]
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: [[ .FullName ]]-data
  labels:
[[ indent 4 .Labels ]]
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: [[ .Storage ]]
[[ end ]]

[[- define "hpa" -]]
[[ index .IfHPA 0 ]]apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: [[ .FullName ]]
  labels:
[[ indent 4 .Labels ]]
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: [[ .FullName ]]
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
[[ index .IfHPA 1 ]]
[[- end ]]

[[- define "ingress" -]]
[[ index .IfIngress 0 ]]apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: [[ .FullName ]]
  labels:
[[ indent 4 .Labels ]]
spec:
  rules:
    - host: [[ .Host ]]
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: [[ .FullName ]]
                port:
                  name: http
  tls:
    - hosts:
        - [[ .Host ]]
      secretName: [[ .FullName ]]-tls
[[ index .IfIngress 1 ]]
[[- end ]]

[[- define "networkpolicy" -]]
[[ index .IfNetPol 0 ]]apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: [[ .FullName ]]
  labels:
[[ indent 4 .Labels ]]
spec:
  podSelector:
    matchLabels:
[[ indent 6 .Selector ]]
  policyTypes: [Ingress]
  ingress:
    - ports:
        - port: [[ .Port ]]
          protocol: TCP
[[ index .IfNetPol 1 ]]
[[- end ]]
`))

func renderKube(name string, v kubeValues) string {
	var b bytes.Buffer
	if err := kubeTemplates.ExecuteTemplate(&b, name, v); err != nil {
		panic(fmt.Sprintf("kube template %s: %v", name, err)) // the templates are constants: a test renders each
	}
	return b.String()
}

// secretEnv is the environment the app reads from its Secret: the
// variables compose sets, and those it reads from .env, optional as an
// absent line of .env is unless the app requires them; keyed by their own
// names.
func secretEnv(p *Plan) [][3]string {
	var env [][3]string
	for _, e := range appEnv(p, p.database()) {
		env = append(env, [3]string{e[0], e[0], ""})
	}
	for _, v := range dotenvVars(p, p.database()) {
		optional := "optional"
		if v.kind == dotenvRequired {
			optional = "" // the app exits without it: a missing key is said by name
		}
		env = append(env, [3]string{v.name, v.name, optional})
	}
	return env
}

const kubeHeader = "# Generated by shipshape init.\n"

// Kustomize writes deploy/k8s: a base (per service a Deployment, Service,
// PDB, and what was asked for) and a production overlay that sets replicas
// and the images CI pushed.
func Kustomize(set *Set) []File {
	base := "deploy/k8s/base/"
	var files []File
	var resources []string
	var replicas, images, secretNote strings.Builder
	for _, svc := range set.Services {
		p := svc.Plan
		name := set.kubeName(svc)
		v := kubeValues{
			Plan: p, FullName: name, Replicas: "2", Image: p.Image + ":" + shaPlaceholder,
			Selector: "app.kubernetes.io/name: " + name,
			Labels:   "app.kubernetes.io/name: " + name + "\napp.kubernetes.io/part-of: " + set.Name,
			Env:      secretEnv(p), SecretName: name, Storage: "1Gi", Host: p.Ingress,
		}
		if p.DataDir != "" {
			v.Replicas = "1"
		} else if p.HPA {
			v.Replicas = "" // the HorizontalPodAutoscaler owns the count
		}
		prefix := ""
		if len(set.Services) > 1 {
			prefix = svc.Name + "-"
		}
		add := func(kind, tmpl string) {
			file := prefix + kind + ".yaml"
			files = append(files, File{base + file, kubeHeader + renderKube(tmpl, v)})
			resources = append(resources, file)
		}
		if m := MigrateCommand(p); m != nil {
			v.Migrate = execForm(m)
			add("migrate", "migrate")
		}
		add("deployment", "deployment")
		add("service", "service")
		add("pdb", "pdb")
		if p.DataDir != "" {
			add("pvc", "pvc")
		}
		if p.HPA && p.DataDir == "" {
			add("hpa", "hpa")
		}
		if p.Ingress != "" && svc.Dir == set.Services[0].Dir {
			add("ingress", "ingress")
		}
		if p.NetworkPolicy {
			add("networkpolicy", "networkpolicy")
		}
		if p.DataDir == "" && !p.HPA {
			fmt.Fprintf(&replicas, "  - name: %s\n    count: 3\n", name)
		}
		fmt.Fprintf(&images, "  - name: %s\n    newName: %s\n    newTag: %s\n", p.Image, p.Image, shaPlaceholder)
		if len(v.Env) > 0 {
			fmt.Fprintf(&secretNote, "# %s gets %s from the Secret %q, created out of band:\n#   kubectl create secret generic %s --from-env-file=.env.production\n",
				name, envNames(v.Env), name, name)
		}
	}
	files = append(files, File{base + "kustomization.yaml", kubeHeader + "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - " +
		strings.Join(resources, "\n  - ") + "\n"})
	rep := ""
	if replicas.Len() > 0 {
		rep = "replicas:\n" + replicas.String()
	}
	files = append(files, File{"deploy/k8s/overlays/production/kustomization.yaml", fmt.Sprintf(`# Generated by shipshape init. CI sets each image to the commit it pushed:
#   kustomize edit set image <name>=<registry image>:$GITHUB_SHA
%sapiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: %s
resources:
  - ../../base
%simages:
%s`, secretNote.String(), set.Name, rep, images.String())})
	return files
}

// shaPlaceholder is the tag in committed manifests; CI replaces it with the
// commit it built and pushed.
const shaPlaceholder = "replaced-by-ci-with-git-sha"

func envNames(env [][3]string) string {
	names := make([]string, len(env))
	for i, e := range env {
		names[i] = e[0]
	}
	return strings.Join(names, ", ")
}

// Helm writes a chart under deploy/helm/NAME from the same templates.
func Helm(p *Plan) []File {
	dir := "deploy/helm/" + p.Name + "/"
	sel := "app.kubernetes.io/name: " + p.Name + "\napp.kubernetes.io/instance: {{ .Release.Name }}"
	v := kubeValues{
		Plan: p, FullName: "{{ .Release.Name }}", Replicas: "{{ .Values.replicaCount }}",
		Image:    `"{{ .Values.image.repository }}:{{ required "set image.tag to the pushed git SHA" .Values.image.tag }}"`,
		Selector: sel, Labels: sel + "\nhelm.sh/chart: " + p.Name + "-{{ .Chart.Version }}",
		Env: secretEnv(p), SecretName: "{{ .Values.existingSecret | default .Release.Name }}",
		Storage: "{{ .Values.persistence.size }}", Host: "{{ .Values.ingress.host }}",
		IfHPA:     [2]string{"{{- if .Values.autoscaling.enabled }}\n", "{{- end }}"},
		IfIngress: [2]string{"{{- if .Values.ingress.enabled }}\n", "{{- end }}"},
		IfNetPol:  [2]string{"{{- if .Values.networkPolicy.enabled }}\n", "{{- end }}"},
	}
	replicas := 2
	if p.DataDir != "" {
		replicas = 1
	}
	deployment := renderKube("deployment", v)
	if p.HPA && p.DataDir == "" {
		deployment = strings.Replace(deployment, "  replicas: {{ .Values.replicaCount }}\n",
			"  {{- if not .Values.autoscaling.enabled }}\n  replicas: {{ .Values.replicaCount }}\n  {{- end }}\n", 1)
	}
	files := []File{
		{dir + "Chart.yaml", fmt.Sprintf("apiVersion: v2\nname: %s\ndescription: %s, generated by shipshape init\ntype: application\nversion: 0.1.0\nappVersion: \"0.1.0\"\n", p.Name, p.Name)},
		{dir + "values.yaml", fmt.Sprintf(`# Generated by shipshape init.
replicaCount: %d
image:
  repository: %s
  # CI installs with --set image.tag=$GITHUB_SHA, the tag it pushed.
  tag: %q
# The Secret holding %s; created out of band.
existingSecret: ""
persistence:
  size: 1Gi
autoscaling:
  enabled: %t
ingress:
  enabled: %t
  host: %q
networkPolicy:
  enabled: %t
`, replicas, p.Image, shaPlaceholder, orNone(envNames(v.Env)), p.HPA && p.DataDir == "", p.Ingress != "", p.Ingress, p.NetworkPolicy)},
		{dir + "templates/deployment.yaml", deployment},
		{dir + "templates/service.yaml", renderKube("service", v)},
		{dir + "templates/pdb.yaml", renderKube("pdb", v)},
		{dir + "templates/hpa.yaml", renderKube("hpa", v)},
		{dir + "templates/ingress.yaml", renderKube("ingress", v)},
		{dir + "templates/networkpolicy.yaml", renderKube("networkpolicy", v)},
		{dir + ".helmignore", ".git\n*.swp\n*.bak\n"},
	}
	if p.DataDir != "" {
		files = append(files, File{dir + "templates/pvc.yaml", renderKube("pvc", v)})
	}
	if m := MigrateCommand(p); m != nil {
		v.Migrate = execForm(m)
		files = append(files, File{dir + "templates/migrate.yaml", renderKube("migrate", v)})
	}
	return files
}

func orNone(s string) string {
	if s == "" {
		return "nothing yet"
	}
	return s
}
