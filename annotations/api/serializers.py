"""API shapes for the labelling side: one input and one output serializer per use."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from annotations.models import Choice, Dimension, Membership, Project
from config.api import id_field


class ProjectOutput(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    article_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "description",
            "guidelines",
            "stance_targets",
            "annotators_per_quote",
            "blind_mode",
            "assignment_timeout_minutes",
            "article_count",
            "role",
            "created_at",
        ]

    def get_role(self, project) -> str | None:
        return getattr(project, "my_role", None)


class ProjectCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    guidelines = serializers.CharField(required=False, allow_blank=True, default="")
    stance_targets = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=20
    )
    annotators_per_quote = serializers.IntegerField(min_value=1, max_value=50, default=2)
    blind_mode = serializers.BooleanField(default=True)
    articles = serializers.ListField(
        child=id_field(), required=False, allow_empty=True, max_length=100_000
    )


class ProjectUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    guidelines = serializers.CharField(required=False, allow_blank=True)
    annotators_per_quote = serializers.IntegerField(min_value=1, max_value=50, required=False)
    blind_mode = serializers.BooleanField(required=False)
    assignment_timeout_minutes = serializers.IntegerField(
        min_value=1, max_value=7 * 24 * 60, required=False
    )


class ProjectArticlesInput(serializers.Serializer):
    add = serializers.ListField(child=id_field(), required=False, default=list)
    remove = serializers.ListField(child=id_field(), required=False, default=list)
    batch = id_field(required=False, help_text="Add every article of an import batch.")
    all = serializers.BooleanField(
        required=False, default=False, help_text="Add every article you can see."
    )


class MemberOutput(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "username", "role", "created_at"]


class MemberInput(serializers.Serializer):
    username = serializers.SlugField(max_length=150)
    role = serializers.ChoiceField(choices=Membership.Role.choices)

    def validate_username(self, value):
        if not get_user_model().objects.filter(username=value).exists():
            raise serializers.ValidationError(f"No user named {value!r}.")
        return value


class MemberRoleInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class ChoiceOutput(serializers.ModelSerializer):
    class Meta:
        model = Choice
        fields = ["id", "value", "label", "description", "shortcut", "order", "archived"]


class DimensionOutput(serializers.ModelSerializer):
    choices = ChoiceOutput(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = [
            "id",
            "key",
            "name",
            "help_text",
            "target",
            "multiple",
            "required",
            "order",
            "archived",
            "choices",
        ]


class LabelSaveInput(serializers.Serializer):
    quote = id_field()
    labels = serializers.DictField(
        help_text="Dimension key → choice value (or a list for multiple-choice dimensions), "
        'e.g. {"stance": "against", "attribution": "accurate"}.'
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )
    seconds = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Seconds spent on the quote this time (from display to submit), added to the "
        "time stored for it; 0 to 86400.",
    )


class LabelOutput(serializers.Serializer):
    id = serializers.IntegerField()
    quote = serializers.IntegerField(source="quote_id")
    annotator = serializers.CharField(source="annotator.username")
    dimension = serializers.CharField(source="dimension.key")
    values = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    updated_at = serializers.DateTimeField()


class QuoteRefInput(serializers.Serializer):
    quote = id_field()


class GoldInput(serializers.Serializer):
    quote = id_field()
    dimension = serializers.SlugField()
    values = serializers.JSONField(help_text="A choice value, or a list for multiple choice.")


class GoldOutput(serializers.Serializer):
    quote = serializers.IntegerField(source="quote_id")
    dimension = serializers.CharField(source="dimension.key")
    values = serializers.SerializerMethodField()
    method = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.username", default=None)
    decided_at = serializers.DateTimeField()

    def get_values(self, gold) -> list[str]:
        return sorted(choice.value for choice in gold.choices.all())


class CommentInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000, trim_whitespace=False)


class CommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    quote = serializers.IntegerField(source="quote_id")
    author = serializers.CharField(source="author.username")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
