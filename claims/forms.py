"""Input for the corpus pages: the article import form."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from claims.access import sees_everything
from claims.selectors import import_targets_for


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.jsonl,.html,.htm"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data]
        return [single_clean(data, initial)] if data else []


class ArticleImportForm(forms.Form):
    """Files, pasted text and/or web addresses to import, the project they join, and a name
    for the batch."""

    files = MultipleFileField(required=False, label="Files (.txt, .jsonl or .html)")
    title = forms.CharField(required=False, max_length=500, label="Title of the pasted article")
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Or paste an article",
    )
    urls = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Or web addresses, one per line (article pages or RSS/Atom feeds)",
    )
    project = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    outlet = forms.CharField(required=False, max_length=200, label="Outlet")
    name = forms.CharField(required=False, max_length=200, label="Batch name")

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        field.choices = [("", "(no project)")] + [
            (target.id, target.name) for target in import_targets_for(user=user)
        ]
        # Only those who see everything may import articles that join no project (every door).
        field.required = not sees_everything(user)
        field.error_messages["invalid_choice"] = "Pick one of the projects you manage."

    @classmethod
    def for_project(cls, project: str | None, *, user: AbstractBaseUser) -> "ArticleImportForm":
        """An empty form with the project chosen: the one asked for (`?project=` from a project
        page) when the user may import into it, else their only one; else none, so nobody
        imports into a project they did not pick."""
        form = cls(user=user)
        targets = [str(value) for value, _ in form.fields["project"].choices if value]
        if project in targets:
            form.initial["project"] = project
        elif len(targets) == 1:
            form.initial["project"] = targets[0]
        return form

    def clean_urls(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("files")
            and not (cleaned.get("text") or "").strip()
            and not cleaned.get("urls")
        ):
            raise forms.ValidationError(
                "Choose one or more files, or paste an article's text, or give web addresses."
            )
        return cleaned
