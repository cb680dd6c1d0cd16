from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from annotations.labelling.people import user_deactivate
from annotations.models import (
    Assignment,
    Choice,
    Comment,
    Dimension,
    Gold,
    Label,
    LabelHistory,
    Membership,
    Project,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    raw_id_fields = ["user"]


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ["key", "name", "target", "multiple", "required", "order", "archived"]
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "annotators_per_quote", "blind_mode", "created_by", "created_at"]
    list_filter = ["blind_mode"]
    search_fields = ["name", "description"]
    list_select_related = ["created_by"]
    filter_horizontal = ["articles"]
    inlines = [MembershipInline, DimensionInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role", "created_at"]
    list_filter = ["role", "project"]
    search_fields = ["user__username", "project__name"]
    list_select_related = ["user", "project"]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "project", "target", "multiple", "required", "order", "archived"]
    list_filter = ["project", "archived", "multiple"]
    search_fields = ["name", "key", "project__name"]
    list_select_related = ["project"]
    inlines = [ChoiceInline]


@admin.register(Choice)
class ChoiceAdmin(admin.ModelAdmin):
    list_display = ["label", "value", "dimension", "shortcut", "order", "archived"]
    list_filter = ["archived", "dimension__project"]
    search_fields = ["label", "value", "description"]
    list_select_related = ["dimension"]


class LabelHistoryInline(admin.TabularInline):
    model = LabelHistory
    extra = 0
    readonly_fields = ["values", "note", "changed_by", "changed_at"]
    can_delete = False


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["quote", "dimension", "annotator", "project", "updated_at"]
    list_filter = ["project", "dimension__key"]
    search_fields = ["annotator__username", "note"]
    list_select_related = ["quote", "dimension", "annotator", "project"]
    raw_id_fields = ["quote", "annotator"]
    inlines = [LabelHistoryInline]


@admin.register(LabelHistory)
class LabelHistoryAdmin(admin.ModelAdmin):
    list_display = ["label", "values", "changed_by", "changed_at"]
    search_fields = ["changed_by__username"]
    list_select_related = ["label", "changed_by"]
    raw_id_fields = ["label"]

    # Append-only: what an annotator said is never rewritten or removed here (Label.changes
    # counts these rows).
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["quote", "annotator", "project", "status", "assigned_at", "completed_at"]
    list_filter = ["status", "project"]
    search_fields = ["annotator__username"]
    list_select_related = ["quote", "annotator", "project"]
    raw_id_fields = ["quote", "annotator"]


@admin.register(Gold)
class GoldAdmin(admin.ModelAdmin):
    list_display = ["quote", "dimension", "method", "decided_by", "decided_at", "project"]
    list_filter = ["method", "project"]
    search_fields = ["decided_by__username"]
    list_select_related = ["quote", "dimension", "decided_by", "project"]
    raw_id_fields = ["quote", "decided_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["quote", "author", "project", "created_at"]
    list_filter = ["project"]
    search_fields = ["text", "author__username"]
    list_select_related = ["quote", "author", "project"]
    raw_id_fields = ["quote"]


# Users who labelled are deactivated, never deleted: their labels, submissions and comments
# hold them with PROTECT (annotations/labelling/people.py), and this action is the way out.
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class ClaimlabUserAdmin(UserAdmin):
    actions = ["deactivate"]

    @admin.action(description="Deactivate (they cannot log in; their labels stay)")
    def deactivate(self, request, queryset):
        given_up = sum(user_deactivate(user=user) for user in queryset)
        self.message_user(
            request,
            f"Deactivated {queryset.count()} user(s); {given_up} open assignment(s) returned "
            "to the pool.",
        )
