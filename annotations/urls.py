from django.urls import path

from annotations.views import (
    annotate,
    dashboard,
    export,
    my_labels,
    projects,
    quote_fixes,
    review,
    schema_editor,
)

app_name = "annotations"

urlpatterns = [
    path("", projects.project_list, name="project-list"),
    path("start/", projects.start, name="start"),
    path("new/", projects.project_new, name="project-new"),
    path("<id:project_id>/settings/", projects.project_settings, name="project-settings"),
    path("<id:project_id>/settings/members/", projects.member_add, name="member-add"),
    path(
        "<id:project_id>/settings/members/<id:user_id>/role/",
        projects.member_role,
        name="member-role",
    ),
    path(
        "<id:project_id>/settings/members/<id:user_id>/remove/",
        projects.member_remove,
        name="member-remove",
    ),
    path("<id:project_id>/settings/articles/", projects.project_articles, name="articles"),
    path("<id:project_id>/schema/", schema_editor.schema_editor, name="schema"),
    path("<id:project_id>/schema/dimensions/", schema_editor.dimension_new, name="dimension-new"),
    path(
        "<id:project_id>/schema/dimensions/<id:dimension_id>/",
        schema_editor.dimension_edit,
        name="dimension-edit",
    ),
    path(
        "<id:project_id>/schema/dimensions/<id:dimension_id>/move/",
        schema_editor.dimension_reorder,
        name="dimension-move",
    ),
    path(
        "<id:project_id>/schema/dimensions/<id:dimension_id>/archive/",
        schema_editor.dimension_archive_toggle,
        name="dimension-archive",
    ),
    path(
        "<id:project_id>/schema/dimensions/<id:dimension_id>/choices/",
        schema_editor.choice_new,
        name="choice-new",
    ),
    path(
        "<id:project_id>/schema/choices/<id:choice_id>/",
        schema_editor.choice_edit,
        name="choice-edit",
    ),
    path(
        "<id:project_id>/schema/choices/<id:choice_id>/move/",
        schema_editor.choice_reorder,
        name="choice-move",
    ),
    path(
        "<id:project_id>/schema/choices/<id:choice_id>/remove/",
        schema_editor.choice_remove,
        name="choice-remove",
    ),
    path(
        "<id:project_id>/schema/choices/<id:choice_id>/restore/",
        schema_editor.choice_unarchive,
        name="choice-restore",
    ),
    path("<id:project_id>/annotate/", annotate.annotate, name="annotate"),
    path("<id:project_id>/annotate/submit/", annotate.annotate_submit, name="annotate-submit"),
    path("<id:project_id>/annotate/skip/", annotate.annotate_skip, name="annotate-skip"),
    path("<id:project_id>/annotate/undo/", annotate.annotate_undo, name="annotate-undo"),
    path("<id:project_id>/annotate/mine/", my_labels.my_labels, name="my-labels"),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/reopen/",
        my_labels.quote_reopen,
        name="quote-reopen",
    ),
    path(
        "<id:project_id>/annotate/speakers/",
        quote_fixes.annotate_speakers,
        name="annotate-speakers",
    ),
    path("<id:project_id>/annotate/quotes/add/", quote_fixes.annotate_quote_add, name="quote-add"),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/speaker/",
        quote_fixes.annotate_quote_speaker,
        name="quote-speaker",
    ),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/span/",
        quote_fixes.annotate_quote_span,
        name="quote-span",
    ),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/reject/",
        quote_fixes.annotate_quote_reject,
        name="quote-reject",
    ),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/restore/",
        quote_fixes.annotate_quote_restore,
        name="quote-restore",
    ),
    path(
        "<id:project_id>/annotate/quotes/<id:quote_id>/article/",
        quote_fixes.annotate_quote_article,
        name="quote-article",
    ),
    path("<id:project_id>/comments/", review.comment_create, name="comment-create"),
    path("<id:project_id>/review/", review.review, name="review"),
    path("<id:project_id>/review/gold/", review.review_gold, name="review-gold"),
    path("<id:project_id>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("<id:project_id>/export/", export.export_download, name="export"),
]
