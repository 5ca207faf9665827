from django.urls import path

from . import views

app_name = "observations"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.observation_new, name="observation_new"),
    path("structure/", views.structure, name="structure"),
    path("structure/levels/<uuid:pk>/", views.level_edit, name="level_edit"),
    path("structure/bodies/new/", views.body_edit, name="body_create"),
    path("structure/bodies/<uuid:pk>/", views.body_edit, name="body_edit"),
    path("structure/bodies/<uuid:pk>/members/", views.members, name="members"),
    path(
        "structure/bodies/<uuid:pk>/members/<uuid:member_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("bodies/<uuid:pk>/", views.body_detail, name="body"),
    path("bodies/<uuid:pk>/post/", views.post_down, name="post_down"),
    path("bodies/<uuid:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("bodies/<uuid:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("meetings/<uuid:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:pk>/group/", views.meeting_group, name="meeting_group"),
    path("meetings/<uuid:pk>/close/", views.meeting_close, name="meeting_close"),
    path("meetings/<uuid:pk>/minutes.pdf", views.meeting_minutes, name="meeting_minutes"),
    path("phenomena/<uuid:pk>/", views.phenomenon_detail, name="phenomenon"),
    path("phenomena/<uuid:pk>/<slug:step>/", views.phenomenon_act, name="phenomenon_act"),
    path("initiatives/<uuid:pk>/status/", views.initiative_status, name="initiative_status"),
    path("leadership/", views.leadership, name="leadership"),
    path("leadership/export.<str:fmt>", views.leadership_export, name="leadership_export"),
]
