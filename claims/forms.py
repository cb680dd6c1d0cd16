"""Input for the corpus pages: the article import form."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.jsonl"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data]
        return [single_clean(data, initial)] if data else []


class ArticleImportForm(forms.Form):
    """Files and/or pasted text to import, the project they join, and a name for the batch."""

    files = MultipleFileField(required=False, label="Files (.txt or .jsonl)")
    title = forms.CharField(required=False, max_length=500, label="Title of the pasted article")
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Or paste an article",
    )
    project = forms.ModelChoiceField(queryset=None, required=False, empty_label="(no project)")
    outlet = forms.CharField(required=False, max_length=200, label="Outlet")
    name = forms.CharField(required=False, max_length=200, label="Batch name")

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        from claims.selectors import import_projects_for

        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = import_projects_for(user=user)
        # Only staff may import articles that join no project (the API's rule).
        self.fields["project"].required = not user.is_staff
        self.fields["project"].error_messages["invalid_choice"] = (
            "Pick one of the projects you manage."
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("files") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError("Choose one or more files, or paste an article's text.")
        return cleaned
