package crossfile

import (
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/linttest"
)

func TestFixtures(t *testing.T) { linttest.RunFixtures(t, lint.AreaCross) }

func TestRules_HaveDocsAndFixtures(t *testing.T) { linttest.CheckMeta(t, lint.AreaCross, 4) }
