from django.urls import path

from annotations import views, views_manage

app_name = "annotations"

urlpatterns = [
    path("", views_manage.project_list, name="project-list"),
    path("new/", views_manage.project_new, name="project-new"),
    path("<id:project_id>/settings/", views_manage.project_settings, name="project-settings"),
    path("<id:project_id>/settings/members/", views_manage.member_add, name="member-add"),
    path(
        "<id:project_id>/settings/members/<id:user_id>/role/",
        views_manage.member_role,
        name="member-role",
    ),
    path(
        "<id:project_id>/settings/members/<id:user_id>/remove/",
        views_manage.member_remove,
        name="member-remove",
    ),
    path("<id:project_id>/settings/articles/", views_manage.project_articles, name="articles"),
    path("<id:project_id>/schema/", views_manage.schema_editor, name="schema"),
    path("<id:project_id>/schema/dimensions/", views_manage.dimension_new, name="dimension-new"),
    path(
        "<id:project_id>/schema/dimensions/<id:dimension_id>/",
        views_manage.dimension_edit,
        name="dimension-edit",
    ),
    path(
        "<id:project_id>/schema/dimensions/<id:dimension_id>/move/",
        views_manage.dimension_reorder,
        name="dimension-move",
    ),
    path(
        "<id:project_id>/schema/dimensions/<id:dimension_id>/archive/",
        views_manage.dimension_archive_toggle,
        name="dimension-archive",
    ),
    path(
        "<id:project_id>/schema/dimensions/<id:dimension_id>/choices/",
        views_manage.choice_new,
        name="choice-new",
    ),
    path(
        "<id:project_id>/schema/choices/<id:choice_id>/",
        views_manage.choice_edit,
        name="choice-edit",
    ),
    path(
        "<id:project_id>/schema/choices/<id:choice_id>/move/",
        views_manage.choice_reorder,
        name="choice-move",
    ),
    path(
        "<id:project_id>/schema/choices/<id:choice_id>/remove/",
        views_manage.choice_remove,
        name="choice-remove",
    ),
    path(
        "<id:project_id>/schema/choices/<id:choice_id>/restore/",
        views_manage.choice_unarchive,
        name="choice-restore",
    ),
    path("<id:project_id>/annotate/", views.annotate, name="annotate"),
    path("<id:project_id>/annotate/submit/", views.annotate_submit, name="annotate-submit"),
    path("<id:project_id>/annotate/skip/", views.annotate_skip, name="annotate-skip"),
    path("<id:project_id>/annotate/undo/", views.annotate_undo, name="annotate-undo"),
    path("<id:project_id>/annotate/speakers/", views.annotate_speakers, name="annotate-speakers"),
    path("<id:project_id>/annotate/quotes/add/", views.annotate_quote_add, name="quote-add"),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/speaker/",
        views.annotate_quote_speaker,
        name="quote-speaker",
    ),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/span/",
        views.annotate_quote_span,
        name="quote-span",
    ),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/reject/",
        views.annotate_quote_reject,
        name="quote-reject",
    ),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/restore/",
        views.annotate_quote_restore,
        name="quote-restore",
    ),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/article/",
        views.annotate_quote_article,
        name="quote-article",
    ),
    path("<id:project_id>/comments/", views.comment_create, name="comment-create"),
    path("<id:project_id>/review/", views.review, name="review"),
    path("<id:project_id>/review/gold/", views.review_gold, name="review-gold"),
    path("<id:project_id>/dashboard/", views.dashboard, name="dashboard"),
]
