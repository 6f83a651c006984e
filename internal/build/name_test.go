package build

import "testing"

func TestSourceURL_StripsCredentialsAndGitSuffix(t *testing.T) {
	for remote, want := range map[string]string{
		"git@github.com:acme/api.git":                "https://github.com/acme/api",
		"https://user:token@gitlab.com/acme/api.git": "https://gitlab.com/acme/api",
		"ssh://git@codeberg.org/acme/api.git":        "https://codeberg.org/acme/api",
		"/srv/git/api.git":                           "",
		"https://forgejo.example.com:3000/acme/api":  "https://forgejo.example.com:3000/acme/api",
	} {
		if got := SourceURL(remote); got != want {
			t.Errorf("SourceURL(%q) = %q, want %q", remote, got, want)
		}
	}
}

func TestImageName_FromFlagOrDirectory(t *testing.T) {
	for dir, want := range map[string]string{"/src/My Service": "my-service", "/src/api_v2": "api_v2", "/src/--": ""} {
		got, err := ImageName("", dir)
		if (err != nil) != (want == "") || got != want {
			t.Errorf("ImageName(%q) = %q, %v; want %q", dir, got, err, want)
		}
	}
	if _, err := ImageName("ghcr.io/acme/API", "/x"); err == nil {
		t.Error("upper case name accepted")
	}
	if got, err := ImageName("localhost:5000/acme/api", "/x"); err != nil || got != "localhost:5000/acme/api" {
		t.Errorf("registry name: %q %v", got, err)
	}
}

func TestValidTag(t *testing.T) {
	for tag, want := range map[string]bool{"latest": true, "v1.2.3": true, "no spaces": false, ".hidden": false, "": false} {
		if ValidTag(tag) != want {
			t.Errorf("ValidTag(%q) = %v", tag, !want)
		}
	}
}
