package project

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// pietrykovsky/todo-api's URLconfs: api/urls.py mounts user.urls at
// api/user/ and task.urls at api/task/; task/urls.py mounts a DRF
// DefaultRouter at ”. The user routes are under their prefix, a mount is
// no route of its own (it was read as /, which answers 404), and the
// DefaultRouter's API root answers at its mount. A chain of mounts adds
// its prefixes; a module nobody includes keeps its paths.
func TestScan_DjangoIncludePrefixes(t *testing.T) {
	files := map[string]string{
		"requirements.txt": "django\ndjangorestframework\n",
		"api/api/urls.py": "from django.contrib import admin\nfrom django.urls import path, include\n\nurlpatterns = [\n" +
			"    path('admin/', admin.site.urls),\n    path('api/user/', include('user.urls')),\n    path('api/task/', include('task.urls')),\n    re_path(r'^v2/', include(('v2.urls', 'v2'))),\n]\n",
		"api/user/urls.py": "from django.urls import path\nfrom user import views\n\napp_name = 'user'\n\nurlpatterns = [\n" +
			"    path('create/', views.CreateUserView.as_view(), name='create'),\n    path('token/', views.CreateTokenView.as_view(), name='token'),\n]\n",
		"api/task/urls.py":   "from django.urls import path, include\n\nfrom rest_framework.routers import DefaultRouter\n\nfrom task import views\n\nrouter = DefaultRouter()\nrouter.register('tasks', views.TaskViewSet)\n\nurlpatterns = [\n    path('', include(router.urls)),\n]\n",
		"api/v2/urls.py":     "from django.urls import path, include\n\nurlpatterns = [\n    path('things/', include('things.urls')),\n]\n",
		"api/things/urls.py": "from django.urls import path\nfrom things import views\n\nurlpatterns = [\n    path('health/', views.health),\n]\n",
		"api/other/urls.py":  "from django.urls import path\n\nurlpatterns = [\n    path('loose/', views.loose),\n]\n",
	}
	app := Scan(testutil.WriteTree(t, files))
	var got []string
	for _, r := range app.Routes {
		got = append(got, r.Value+"@"+filepath.Base(filepath.Dir(r.File)))
	}
	want := "/admin/@api /api/task/@task /api/user/create/@user /api/user/token/@user /loose/@other /v2/things/health/@things"
	if strings.Join(got, " ") != want {
		t.Errorf("routes %s, want %s", strings.Join(got, " "), want)
	}
}
