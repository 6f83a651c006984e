package project

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

func review29Routes(app *App) string {
	var got []string
	for _, r := range app.Routes {
		got = append(got, r.Value+"@"+filepath.Base(filepath.Dir(r.File)))
	}
	return strings.Join(got, " ")
}

// startproject + one app mounted at the root: mysite/urls.py has
// path(”, include('polls.urls')) (the Django tutorial's shape, e.g.
// blog apps), polls/urls.py has path(”, views.index).
func TestReview61_DjangoIncludeAtRoot(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "django\n",
		"manage.py":        "import os\n",
		"mysite/urls.py": "from django.contrib import admin\nfrom django.urls import path, include\n\nurlpatterns = [\n" +
			"    path('admin/', admin.site.urls),\n    path('', include('blog.urls')),\n]\n",
		"blog/urls.py": "from django.urls import path\nfrom . import views\n\nurlpatterns = [\n" +
			"    path('', views.post_list, name='post_list'),\n    path('post/<int:pk>/', views.post_detail, name='post_detail'),\n]\n",
	}
	got := review29Routes(Scan(testutil.WriteTree(t, files)))
	want := "/@blog /admin/@mysite /post/<int:pk>/@blog"
	if got != want {
		t.Errorf("routes %s, want %s", got, want)
	}
}
