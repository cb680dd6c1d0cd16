"""Forms for the labelling pages: they parse shape only; the services decide what is allowed."""

from django import forms

from annotations.models import Dimension


class LabelsForm(forms.Form):
    """One quote's answers: a field per dimension (`label-<key>`), the quote and a note."""

    quote = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(required=False, strip=True, widget=forms.Textarea)

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
