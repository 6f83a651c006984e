package generate

import (
	"fmt"
	"path"
	"strings"

	"github.com/shipshape/shipshape/internal/detect"
)

// defaultDatabase is the database compose.yaml creates when the repository
// does not name one.
const defaultDatabase = "app"

// dbSetup is the repository's own set-up of the SQL server the plan runs,
// nil when it has none (or it is for another server).
func (p *Plan) dbSetup() *detect.DBSetup {
	s := p.Stack.DBSetup
	if s == nil || len(s.Files) == 0 || !p.Has(s.Kind) {
		return nil
	}
	return s
}

// database is the name of the database the app's SQL server holds: the one
// the repository's set-up files are written for (they may `USE` it, and
// the image grants the app's user that database only), else app.
func (p *Plan) database() string {
	if s := p.dbSetup(); s != nil && s.Database != nil {
		return s.Database.Value
	}
	return defaultDatabase
}

// setupOwner is the service whose set-up the set's one db service carries:
// the first that has one.
func (s *Set) setupOwner() *Service {
	for i := range s.Services {
		if s.Services[i].Plan.dbSetup() != nil {
			return &s.Services[i]
		}
	}
	return nil
}

// database is the set's database name: its set-up owner's.
func (s *Set) database() string {
	if o := s.setupOwner(); o != nil {
		return o.Plan.database()
	}
	return defaultDatabase
}

// setupVolumes are the db service's compose volumes for the repository's
// set-up files: each file read-only, at its name in the init directory.
func setupVolumes(set *Set) string {
	o := set.setupOwner()
	if o == nil {
		return ""
	}
	var b strings.Builder
	for _, f := range o.Plan.dbSetup().Files {
		fmt.Fprintf(&b, "      - ./%s:%s/%s:ro\n", path.Join(o.Dir, f.Source), detect.InitDir, f.Name)
	}
	return b.String()
}

// setupNote says what init carried of the repository's set-up, where it
// came from, and what it cannot carry to Kubernetes.
func setupNote(p *Plan) {
	s := p.Stack.DBSetup
	if s == nil || !p.Has(s.Kind) {
		return
	}
	for _, sk := range s.Skipped {
		p.note("%s mounts %s into the database's init directory: %s", sk.Where(), sk.Value, sk.Why)
	}
	if len(s.Files) == 0 {
		return
	}
	var names []string
	for _, f := range s.Files {
		names = append(names, f.Source)
	}
	first := s.Files[0].At
	db := ""
	if s.Database != nil {
		db = fmt.Sprintf(", into the database %s (%s)", s.Database.Value, s.Database.Where())
	}
	p.note("the repository sets up its database with %s (mounted at %s): the compose.yaml init writes mounts the same files, read-only, into db's %s, which runs them once on an empty database%s, and init --verify's database gets them; on Kubernetes the database you provide must hold them",
		strings.Join(names, ", "), first.Where(), detect.InitDir, db)
}
