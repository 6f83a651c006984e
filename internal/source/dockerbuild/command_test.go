package dockerbuild

import (
	"reflect"
	"testing"
)

func TestParse_Shapes(t *testing.T) {
	tests := []struct {
		name, line string
		want       []Command
	}{
		{"file and context", "docker build -f web/Dockerfile .",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"a pipe into tee is another command", "docker build -f web/Dockerfile . 2>&1 | tee build.log",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"output redirected to a file", "docker build -f web/Dockerfile . > build.log",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"appended, file attached", "docker build -f web/Dockerfile . >>build.log",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"stderr to a file", "docker build -f web/Dockerfile . 2>errors.log",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"both streams", "docker build -f web/Dockerfile . &> /dev/null",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"input redirected", "docker build -f web/Dockerfile . < /dev/null",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"redirection before the context", "docker build 2>&1 -f web/Dockerfile ./src",
			[]Command{{File: "web/Dockerfile", Context: "./src"}}},
		{"boolean options before a tag", "docker build --quiet -t ghcr.io/a/b -f web/Dockerfile .",
			[]Command{{Tags: []string{"ghcr.io/a/b"}, File: "web/Dockerfile", Context: "."}}},
		{"booleans everywhere", "docker buildx build --pull --no-cache --push --load --rm --force-rm --squash --compress -q -t a/b:1 .",
			[]Command{{Tags: []string{"a/b:1"}, Context: "."}}},
		{"valued options", "docker buildx build --platform linux/amd64,linux/arm64 --build-arg V=1 --target prod --label a=b " +
			"--secret id=npm --ssh default --cache-from type=gha --cache-to type=gha,mode=max --network host --progress plain " +
			"--iidfile id.txt -o type=docker --output out --add-host h:1.2.3.4 --build-context base=../base --shm-size 1g " +
			"--ulimit nofile=1024 --memory 2g -m 2g --tag a/b --file api/Dockerfile api",
			[]Command{{Tags: []string{"a/b"}, File: "api/Dockerfile", Context: "api", BuildArgs: []string{"V"}}}},
		{"values after =", "docker build --file=api/Dockerfile --tag=a/b:1 --build-arg=V=1 api",
			[]Command{{Tags: []string{"a/b:1"}, File: "api/Dockerfile", Context: "api", BuildArgs: []string{"V"}}}},
		{"build args with and without a value", `docker build -f zarf/docker/dockerfile.sales --build-arg BUILD_TAG=$(VERSION) --build-arg BUILD_DATE=$(date -u +"%Y") --build-arg=HOME .`,
			[]Command{{File: "zarf/docker/dockerfile.sales", Context: ".", BuildArgs: []string{"BUILD_TAG", "BUILD_DATE", "HOME"}}}},
		{"short values attached", "docker build -fapi/Dockerfile -ta/b api",
			[]Command{{Tags: []string{"a/b"}, File: "api/Dockerfile", Context: "api"}}},
		{"the context before the options", "docker build . -t a/b -f web/Dockerfile",
			[]Command{{Tags: []string{"a/b"}, File: "web/Dockerfile", Context: "."}}},
		{"an unknown option's value is not the context", "docker build --made-up value -f web/Dockerfile .",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"an unknown option with one word after it", "docker build --made-up -f web/Dockerfile .",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"split on && ; || and a newline's continuation", "cd x && docker build -t a/b . ; docker build -f y/Dockerfile z || true",
			[]Command{{Tags: []string{"a/b"}, Context: "."}, {File: "y/Dockerfile", Context: "z"}}},
		{"quotes removed", `docker build -f "web/Dockerfile" -t 'a/b' "."`,
			[]Command{{Tags: []string{"a/b"}, File: "web/Dockerfile", Context: "."}}},
		{"substitutions stay whole", "docker build -t $(REGISTRY)/api:$(shell git rev-parse --short HEAD) -f api/Dockerfile .",
			[]Command{{Tags: []string{"$(REGISTRY)/api:$(shell git rev-parse --short HEAD)"}, File: "api/Dockerfile", Context: "."}}},
		{"GitHub expressions stay whole", "docker build -t ghcr.io/a/b:${{ github.sha }} -f web/Dockerfile .",
			[]Command{{Tags: []string{"ghcr.io/a/b:${{ github.sha }}"}, File: "web/Dockerfile", Context: "."}}},
		{"a Makefile recipe's @", "\t@docker build -f web/Dockerfile .",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"podman, buildah and docker image", "podman build -f a/Dockerfile . && buildah bud -f b/Dockerfile . && docker image build -f c/Dockerfile .",
			[]Command{{File: "a/Dockerfile", Context: "."}, {File: "b/Dockerfile", Context: "."}, {File: "c/Dockerfile", Context: "."}}},
		{"stdin has no context", "docker build -t a/b - < Dockerfile",
			[]Command{{Tags: []string{"a/b"}}}},
		{"a comment", "docker build -f web/Dockerfile . # not ./here",
			[]Command{{File: "web/Dockerfile", Context: "."}}},
		{"not a build", "docker run -v .:/src alpine", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse(tt.line); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse(%q)\n got %+v\nwant %+v", tt.line, got, tt.want)
			}
		})
	}
}

func TestLines_JoinsContinuations(t *testing.T) {
	got := Lines("docker build \\\n  -f web/Dockerfile \\\n  .\necho done")
	want := []string{"docker build    -f web/Dockerfile    .", "echo done"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Lines = %q, want %q", got, want)
	}
}
