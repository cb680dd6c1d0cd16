"""The REST API, version 1, under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from claims.api.views import ArticleViewSet, QuoteViewSet, SpeakerViewSet
from config.security import ThrottledTokenView

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("quotes", QuoteViewSet, basename="quote")
router.register("speakers", SpeakerViewSet, basename="speaker")

urlpatterns = [
    path("auth/token/", ThrottledTokenView.as_view(), name="api-token"),
    *router.urls,
]
