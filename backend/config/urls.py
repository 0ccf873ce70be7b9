from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from ninja.openapi.views import openapi_view

from aapoon.core.health import healthz, readyz
from aapoon.core.spa import spa_index
from config.api import api

urlpatterns = [
    path("healthz", healthz),
    path("readyz", readyz),
    path("admin/", admin.site.urls),
    path("_allauth/", include("allauth.headless.urls")),
    path("accounts/", include("allauth.urls")),  # provider callbacks for social sign-in
    path("api/v1/", api.urls),
    path("api/docs", openapi_view, {"api": api}),
]

if settings.DEV_MAILBOX_ENABLED:
    from aapoon.notifications.views import dev_mailbox

    urlpatterns.append(path("dev/mailbox", dev_mailbox))

# Everything else that is not a file is a route of the web app.
urlpatterns.append(re_path(r"^(?!api/|_allauth/|admin/|static/|media/|ws/|dev/)(?:[^.]*)$", spa_index))

handler404 = "aapoon.core.not_found.not_found"
