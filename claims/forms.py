"""Input for the insight pages and API: search filters and the speaker-merge form."""

import re

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from claims.access import sees_everything
from claims.insights import SearchFilters, outlets_visible
from claims.models import Quote, SpeakerAlias
from claims.selectors import import_targets_for, speaker_list_visible

LABEL_PATTERN = re.compile(r"^([a-z0-9][a-z0-9_-]*):([a-z0-9][a-z0-9_-]*)$")


class SearchForm(forms.Form):
    """Search words and filters; every field optional, all checked before any search runs."""

    q = forms.CharField(required=False, max_length=200, strip=True, label="Words")
    speaker = forms.IntegerField(required=False, min_value=1, label="Speaker id")
    outlet = forms.IntegerField(required=False, min_value=1, label="Outlet")
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"], label="From")
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"], label="To")
    kind = forms.ChoiceField(
        required=False, choices=[("", "any kind"), *Quote.Kind.choices], label="Kind"
    )
    label = forms.CharField(required=False, max_length=101, label="Label")

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["date_from"].error_messages["invalid"] = "Enter a date as YYYY-MM-DD."
        self.fields["date_to"].error_messages["invalid"] = "Enter a date as YYYY-MM-DD."

    def clean_speaker(self):
        speaker_id = self.cleaned_data["speaker"]
        if speaker_id is None:
            return None
        speaker = speaker_list_visible(user=self.user).filter(id=speaker_id).first()
        if speaker is None:
            raise forms.ValidationError(f"No speaker {speaker_id} in your projects.")
        return speaker

    def clean_outlet(self):
        outlet_id = self.cleaned_data["outlet"]
        if outlet_id is None:
            return None
        outlet = outlets_visible(user=self.user).filter(id=outlet_id).first()
        if outlet is None:
            raise forms.ValidationError(f"No outlet {outlet_id} in your projects.")
        return outlet

    def clean_label(self):
        label = self.cleaned_data["label"].strip().lower()
        if not label:
            return None
        match = LABEL_PATTERN.match(label)
        if match is None:
            raise forms.ValidationError(
                "Write a label as dimension:value, e.g. stance:against or sourcing:anonymous."
            )
        return match.group(1), match.group(2)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            q=data["q"],
            speaker=data["speaker"],
            outlet=data["outlet"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            kind=data["kind"],
            label=data["label"],
        )


class SpeakerMergeForm(forms.Form):
    """Name the speaker to fold into this one, by id or by exact name or alias."""

    other = forms.CharField(max_length=300, label="Speaker id or name")

    def __init__(self, *args, user: AbstractBaseUser, target, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.target = target

    def clean_other(self):
        text = " ".join(self.cleaned_data["other"].split())
        speakers = speaker_list_visible(user=self.user)
        if text.isdigit():
            source = speakers.filter(id=int(text)).first()
        else:
            aliased = SpeakerAlias.objects.filter(alias__iexact=text).values("speaker_id")
            source = speakers.filter(Q(name__iexact=text) | Q(id__in=aliased)).first()
        if source is None:
            raise forms.ValidationError(f"No speaker {text!r} in your projects.")
        if source.pk == self.target.pk:
            raise forms.ValidationError("That is this speaker; pick another one.")
        return source


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
