"""The REST API, version 1, under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from annotations.api.views import LabellingViewSet, MemberViewSet, ProjectViewSet
from claims.api.views import ArticleViewSet, BatchViewSet, QuoteViewSet, SpeakerViewSet
from config.tokens import TokensView, TokenView

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("quotes", QuoteViewSet, basename="quote")
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register("batches", BatchViewSet, basename="batch")
router.register("projects", ProjectViewSet, basename="project")

PROJECT = "projects/<id:project_pk>/"
labelling = LabellingViewSet.as_view

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/tokens/", TokensView.as_view(), name="api-tokens"),
    path(
        f"{PROJECT}members/",
        MemberViewSet.as_view({"get": "list", "post": "create"}),
        name="project-members",
    ),
    path(
        f"{PROJECT}members/<id:pk>/",
        MemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="project-member",
    ),
    path(
        f"{PROJECT}labels/",
        labelling({"get": "list_labels", "post": "save_labels"}),
        name="project-labels",
    ),
    path(f"{PROJECT}queue/next/", labelling({"get": "queue_next"}), name="project-queue-next"),
    path(f"{PROJECT}queue/skip/", labelling({"post": "queue_skip"}), name="project-queue-skip"),
    path(f"{PROJECT}queue/undo/", labelling({"post": "queue_undo"}), name="project-queue-undo"),
    path(
        f"{PROJECT}queue/reopen/", labelling({"post": "queue_reopen"}), name="project-queue-reopen"
    ),
    path(
        f"{PROJECT}gold/", labelling({"get": "list_gold", "post": "set_gold"}), name="project-gold"
    ),
    path(f"{PROJECT}agreement/", labelling({"get": "agreement"}), name="project-agreement"),
    path(
        f"{PROJECT}quotes/<id:quote_pk>/comments/",
        labelling({"get": "list_comments", "post": "add_comment"}),
        name="project-comments",
    ),
    *router.urls,
]

# Insight aggregates (insights/api/): search, speaker and outlet figures.
urlpatterns += [path("insights/", include("insights.api.urls"))]
