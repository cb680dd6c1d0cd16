"""Forms for the labelling pages: they parse shape only; the services decide what is allowed."""

from django import forms

from annotations.models import Dimension, Membership


class LabelsForm(forms.Form):
    """One quote's answers: a field per dimension (`label-<key>`), the quote and a note."""

    quote = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(required=False, strip=True, widget=forms.Textarea)
    # Measured by annotate.js from display to submit; label_save checks the range.
    seconds = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, dimensions: list[Dimension], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for dimension in dimensions:
            # Values are checked by label_save (unknown, archived, missing), so any string
            # passes here and every problem is reported together in the service's words.
            self.fields[f"label-{dimension.key}"] = forms.MultipleChoiceField(
                required=False, choices=[]
            )
            self.fields[f"label-{dimension.key}"].valid_value = lambda value: True

    def labels(self) -> dict[str, str | list[str]]:
        """The answers as label_save takes them: a value, or a list for multiple choice."""
        answers: dict[str, str | list[str]] = {}
        for dimension in self.dimensions:
            values = self.cleaned_data.get(f"label-{dimension.key}") or []
            answers[dimension.key] = list(values) if dimension.multiple else next(iter(values), "")
            if not dimension.multiple and len(values) > 1:
                answers[dimension.key] = list(values)  # the service says "takes one choice"
        return answers


class QuoteRefForm(forms.Form):
    quote = forms.IntegerField(min_value=1)


class CommentForm(forms.Form):
    quote = forms.IntegerField(min_value=1)
    text = forms.CharField(strip=True, widget=forms.Textarea)


class GoldForm(forms.Form):
    quote = forms.IntegerField(min_value=1)
    dimension = forms.CharField(max_length=50)
    value = forms.CharField(max_length=50)


# -- project management and the schema editor ---------------------------------------------------
# Shapes only (types, lengths, ranges, so a wrong type is a form error, never a 500); the
# services decide names, keys and what the schema allows.


class ProjectForm(forms.Form):
    """A project's settings, as created and edited on the pages."""

    name = forms.CharField(max_length=200, strip=True)
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    guidelines = forms.CharField(
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown, shown to annotators one key (G) away.",
    )
    stance_targets = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, e.g. “negotiations with Russia”. Stance is asked once per target.",
    )
    annotators_per_quote = forms.IntegerField(
        min_value=1, max_value=50, initial=2, label="Annotators per quote (k)"
    )
    blind_mode = forms.BooleanField(
        required=False, initial=True, help_text="Annotators do not see each other's labels."
    )

    @classmethod
    def initial_for(cls, project) -> dict:
        return {
            "name": project.name,
            "description": project.description,
            "guidelines": project.guidelines,
            "stance_targets": "\n".join(project.stance_targets or []),
            "annotators_per_quote": project.annotators_per_quote,
            "blind_mode": project.blind_mode,
        }

    def values(self) -> dict:
        """The cleaned settings as the project services take them."""
        data = dict(self.cleaned_data)
        data["stance_targets"] = data["stance_targets"].splitlines()
        return data


class ProjectSettingsForm(ProjectForm):
    assignment_timeout_minutes = forms.IntegerField(
        min_value=1,
        max_value=7 * 24 * 60,
        label="Assignment timeout (minutes)",
        help_text="An unfinished quote returns to the pool after this long.",
    )

    @classmethod
    def initial_for(cls, project) -> dict:
        return {
            **super().initial_for(project),
            "assignment_timeout_minutes": project.assignment_timeout_minutes,
        }


class MemberAddForm(forms.Form):
    username = forms.CharField(max_length=150, strip=True)
    role = forms.ChoiceField(choices=Membership.Role.choices)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class ArticleFilterForm(forms.Form):
    """The article checklist's filters (GET)."""

    q = forms.CharField(required=False, max_length=200, strip=True, label="Title contains")
    batch = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    show = forms.ChoiceField(
        required=False,
        choices=[("", "All articles"), ("in", "In the project"), ("out", "Not in the project")],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10**6)


class ArticleScopeForm(forms.Form):
    """What to do with the project's articles: all, one batch, or the checked ones on a page."""

    action = forms.ChoiceField(
        choices=[("all", "all"), ("batch", "batch"), ("none", "none"), ("page", "page")]
    )
    batch = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    shown = forms.CharField(required=False, max_length=20_000)  # ids listed on the page
    checked = forms.MultipleChoiceField(required=False)
    checked.valid_value = lambda value: True

    def clean(self):
        data = super().clean()
        try:
            data["shown_ids"] = _ids(data.get("shown", "").split(","))
            data["checked_ids"] = _ids(data.get("checked") or [])
        except ValueError:
            raise forms.ValidationError("Article ids are numbers.") from None
        if data.get("action") == "batch" and not data.get("batch"):
            self.add_error("batch", "Choose an import batch.")
        return data


def _ids(values) -> set[int]:
    ids = {int(value) for value in values if str(value).strip()}
    if any(not 1 <= value < 2**63 for value in ids):
        raise ValueError
    return ids


class DimensionForm(forms.Form):
    name = forms.CharField(max_length=100, strip=True)
    help_text = forms.CharField(required=False, max_length=300, strip=True, label="Definition")
    required = forms.BooleanField(required=False)
    multiple = forms.BooleanField(required=False, label="Several choices")


class DimensionCreateForm(DimensionForm):
    key = forms.CharField(
        required=False,
        max_length=50,
        strip=True,
        label="Machine name",
        help_text="For the API and exports; made from the name if left empty. It never changes.",
    )
    choices = forms.CharField(
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: “Label” or “Label: definition”. Shortcut keys 1, 2, 3 … are "
        "given.",
    )


class ChoiceForm(forms.Form):
    label = forms.CharField(max_length=100, strip=True)
    description = forms.CharField(required=False, max_length=300, strip=True, label="Definition")
    shortcut = forms.CharField(required=False, max_length=1, strip=False, label="Shortcut key")


class ChoiceCreateForm(ChoiceForm):
    value = forms.CharField(
        required=False,
        max_length=50,
        strip=True,
        label="Machine name",
        help_text="Made from the label if left empty. It never changes.",
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
