"""Discussion on a quote: members comment, everyone in the project reads it in order."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations.labelling.comments import comment_add, comment_list
from annotations.models import Comment
from tests.factories import ArticleFactory, QuoteFactory, UserFactory, labelling_project

pytestmark = pytest.mark.django_db


def test_member_comments_and_the_discussion_reads_oldest_first():
    project, (quote, *_), (a, b) = labelling_project()
    comment_add(project=project, quote=quote, author=a, text="  Is this sarcasm?  ")
    comment_add(project=project, quote=quote, author=b, text="I read it as against.")
    discussion = [(c.author, c.text) for c in comment_list(project=project, quote=quote)]
    assert discussion == [(a, "Is this sarcasm?"), (b, "I read it as against.")]


def test_comments_of_another_quote_or_project_are_not_listed():
    project, (quote, other), (a, _) = labelling_project(quotes=2)
    comment_add(project=project, quote=other, author=a, text="About the other one.")
    assert list(comment_list(project=project, quote=quote)) == []


@pytest.mark.parametrize("text", ["", "   \n", None, 42])
def test_empty_or_non_text_comment_is_refused(text):
    project, (quote, *_), (a, _) = labelling_project()
    with pytest.raises(ValidationError) as error:
        comment_add(project=project, quote=quote, author=a, text=text)
    assert error.value.message_dict == {"text": ["Write a comment."]}


def test_comment_of_5000_characters_is_accepted_and_longer_refused():
    project, (quote, *_), (a, _) = labelling_project()
    comment_add(project=project, quote=quote, author=a, text="x" * 5000)
    with pytest.raises(ValidationError) as error:
        comment_add(project=project, quote=quote, author=a, text="x" * 5001)
    assert "text" in error.value.message_dict
    assert Comment.objects.count() == 1


def test_non_member_cannot_comment():
    project, (quote, *_), _ = labelling_project()
    with pytest.raises(PermissionDenied):
        comment_add(project=project, quote=quote, author=UserFactory(), text="Hello")
    assert not Comment.objects.exists()


def test_comment_on_a_quote_outside_the_project_is_refused():
    project, _, (a, _) = labelling_project()
    stray = QuoteFactory(article=ArticleFactory(), content_start=0, content_end=7)
    with pytest.raises(ValidationError) as error:
        comment_add(project=project, quote=stray, author=a, text="Hello")
    assert "quote" in error.value.message_dict


def test_rejected_quote_can_still_be_discussed():
    project, (quote, *_), (a, _) = labelling_project()
    quote.is_rejected = True
    quote.save()
    comment_add(project=project, quote=quote, author=a, text="Why was this rejected?")
    assert comment_list(project=project, quote=quote).count() == 1


def test_listing_comments_takes_one_query(django_assert_num_queries):
    project, (quote, *_), (a, b) = labelling_project()
    for author in (a, b, a):
        comment_add(project=project, quote=quote, author=author, text="A thought.")
    with django_assert_num_queries(1):
        assert len({c.author.username for c in comment_list(project=project, quote=quote)}) == 2
