from django.urls import path

from annotations import views

app_name = "annotations"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("<id:project_id>/annotate/", views.annotate, name="annotate"),
    path("<id:project_id>/annotate/submit/", views.annotate_submit, name="annotate-submit"),
    path("<id:project_id>/annotate/skip/", views.annotate_skip, name="annotate-skip"),
    path("<id:project_id>/annotate/undo/", views.annotate_undo, name="annotate-undo"),
    path("<id:project_id>/comments/", views.comment_create, name="comment-create"),
    path("<id:project_id>/review/", views.review, name="review"),
    path("<id:project_id>/review/gold/", views.review_gold, name="review-gold"),
    path("<id:project_id>/dashboard/", views.dashboard, name="dashboard"),
]
