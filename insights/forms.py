"""Input for the insight pages and API: search filters and the speaker-merge form."""

import re

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from claims.models import Quote, SpeakerAlias
from claims.selectors import speaker_list_visible
from insights.search import MAX_QUERY_CHARS, MAX_WORDS, SearchFilters
from insights.selectors import InsightScope, outlets_in_scope, speaker_in_scope

LABEL_PATTERN = re.compile(r"^([a-z0-9][a-z0-9_-]*):([a-z0-9][a-z0-9_-]*)$")


class SearchForm(forms.Form):
    """Search words and filters; every field optional, all checked before any search runs."""

    q = forms.CharField(required=False, max_length=MAX_QUERY_CHARS, strip=True, label="Words")
    speaker = forms.IntegerField(required=False, min_value=1, label="Speaker id")
    outlet = forms.IntegerField(required=False, min_value=1, label="Outlet")
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"], label="From")
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"], label="To")
    kind = forms.ChoiceField(
        required=False, choices=[("", "any kind"), *Quote.Kind.choices], label="Kind"
    )
    label = forms.CharField(required=False, max_length=101, label="Label")

    def __init__(self, *args, scope: InsightScope, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["date_from"].error_messages["invalid"] = "Enter a date as YYYY-MM-DD."
        self.fields["date_to"].error_messages["invalid"] = "Enter a date as YYYY-MM-DD."

    def clean_q(self):
        q = self.cleaned_data["q"]
        if len(q.split()) > MAX_WORDS:
            raise forms.ValidationError(f"Search for at most {MAX_WORDS} words.")
        return q

    def clean_speaker(self):
        speaker_id = self.cleaned_data["speaker"]
        if speaker_id is None:
            return None
        speaker = speaker_in_scope(scope=self.scope, speaker_id=speaker_id)
        if speaker is None:
            raise forms.ValidationError(f"No speaker {speaker_id} in your projects.")
        return speaker

    def clean_outlet(self):
        outlet_id = self.cleaned_data["outlet"]
        if outlet_id is None:
            return None
        outlet = outlets_in_scope(scope=self.scope).filter(id=outlet_id).first()
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
