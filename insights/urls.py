from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("speakers/", views.speaker_list, name="speaker-list"),
    path("speakers/<id:speaker_id>/", views.speaker_detail, name="speaker-detail"),
    path("speakers/<id:speaker_id>/merge/", views.speaker_merge_into, name="speaker-merge"),
    path(
        "speakers/merges/<id:merge_id>/undo/",
        views.speaker_merge_revert,
        name="speaker-merge-undo",
    ),
    path("outlets/", views.outlet_list, name="outlet-list"),
    path("outlets/<id:outlet_id>/", views.outlet_detail, name="outlet-detail"),
]
