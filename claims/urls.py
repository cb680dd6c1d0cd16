from django.urls import path

from claims import views, views_import

app_name = "claims"

urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("articles/<id:article_id>/", views.article_detail, name="article-detail"),
    path("articles/<id:article_id>/changes/", views.article_changes, name="article-changes"),
    path("import/", views_import.article_import, name="article-import"),
    path("batches/", views_import.batch_list, name="batch-list"),
    path("batches/<id:batch_id>/", views_import.batch_detail, name="batch-detail"),
    path("batches/<id:batch_id>/retry/", views_import.batch_retry, name="batch-retry"),
]
