from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from arki.people.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("arki.core.urls")),
    path("", include("arki.operations.urls")),
    path("accounts/", include("arki.accounts.urls")),
    path("children/", include("arki.people.urls")),
    path("meetings/", include("arki.meetings.urls")),
    path("portal/", include("arki.portal.urls")),
    path("directory/", include("arki.directory.urls")),
    path("outbox/", include("arki.notifications.urls")),
    path("training/", include("arki.training.urls")),
    path("feedback/", include("arki.feedback.urls")),
    path("indicators/", include("arki.indicators.urls")),
    path("calendars/", include("arki.calendars.urls")),
    path("discussions/", include("arki.discussions.urls")),
    path("audit/", include("arki.audit.urls")),
    path("methods/", include("arki.methods.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]
