"""Insight endpoints, included under /api/v1/insights/ (names in the `api` namespace)."""

from django.urls import path

from insights.api.views import (
    InsightSearchView,
    OutletInsightsView,
    OutletSourcingView,
    SpeakerInsightsView,
)

urlpatterns = [
    path("search/", InsightSearchView.as_view(), name="insights-search"),
    path("speakers/<id:speaker_id>/", SpeakerInsightsView.as_view(), name="insights-speaker"),
    path("outlets/", OutletSourcingView.as_view(), name="insights-outlets"),
    path("outlets/<id:outlet_id>/", OutletInsightsView.as_view(), name="insights-outlet"),
]
