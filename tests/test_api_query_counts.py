"""Every list and read endpoint of the API runs a fixed number of SQL queries, whatever the size.

Each endpoint is called on a small corpus and on one ten times larger (articles, quotes,
speakers with aliases, outlets, members, labels by two annotators with notes and time, gold,
comments), and must stay under the same bound. An N+1 query (one query per row) fails the
larger size.
"""

import pytest
from rest_framework.test import APIClient

from annotations.labelling.comments import comment_add
from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from annotations.models import Membership
from claims.models import SpeakerAlias
from tests.factories import ArticleFactory, OutletFactory, QuoteFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWERS = [
    {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"},
    {"stance": "against", "attribution": "accurate", "sourcing": "anonymous"},
    {"stance": "neutral", "attribution": "ambiguous", "sourcing": "document"},
]

# (name, path under /api/v1/, query-count bound). {p} project, {q} a quote, {a} an article,
# {s} a speaker, {o} an outlet. Bounds are the measured counts plus two (the client is
# force-authenticated: a token or session adds one lookup, tests/test_api_tokens.py); the test
# also requires the count not to grow at all from the small corpus to the large one.
ENDPOINTS = [
    ("articles list", "articles/", 3),
    ("articles list of a project", "articles/?project={p}", 3),
    ("article detail", "articles/{a}/", 4),
    ("quotes list", "quotes/", 3),
    ("quotes list of an article", "quotes/?article={a}", 3),
    ("quote detail", "quotes/{q}/", 3),
    ("speakers list", "speakers/", 4),
    ("speaker detail", "speakers/{s}/", 4),
    ("projects list", "projects/", 3),
    ("project detail", "projects/{p}/", 3),
    ("label schema", "projects/{p}/schema/", 6),
    ("members", "projects/{p}/members/", 5),
    ("labels", "projects/{p}/labels/", 7),
    ("labels of a quote", "projects/{p}/labels/?quote={q}", 7),
    ("gold", "projects/{p}/gold/", 7),
    ("comments", "projects/{p}/quotes/{q}/comments/", 6),
    ("queue next", "projects/{p}/queue/next/", 20),
    ("agreement", "projects/{p}/agreement/", 14),
    ("export jsonl", "projects/{p}/export/", 21),
    ("export csv", "projects/{p}/export/?format=csv", 21),
    ("export spacy", "projects/{p}/export/?format=spacy", 21),
    ("export schema", "projects/{p}/export/schema/", 19),
    ("insights search", "insights/search/?q=minister", 4),
    ("insights speaker", "insights/speakers/{s}/", 10),
    ("insights outlets", "insights/outlets/", 6),
    ("insights outlet", "insights/outlets/{o}/", 9),
]


class Corpus:
    """A project with articles of 3 quotes each, labelled by two annotators; grow() adds more."""

    def __init__(self):
        self.manager, self.first, self.second = UserFactory(), UserFactory(), UserFactory()
        self.project = project_create(
            name="Counted", created_by=self.manager, annotators_per_quote=3, blind_mode=True
        )
        for user in (self.first, self.second):
            membership_set(project=self.project, user=user, role=Membership.Role.ANNOTATOR)
        self.quotes = []

    def grow(self, articles: int) -> None:
        project = self.project
        for _ in range(articles // 2):
            membership_set(project=project, user=UserFactory(), role=Membership.Role.REVIEWER)
        new = []
        for _ in range(articles):
            article = ArticleFactory(outlet=OutletFactory())
            project.articles.add(article)
            for number in range(3):
                speaker = SpeakerFactory()
                SpeakerAlias.objects.create(speaker=speaker, alias=f"Alias {speaker.id}")
                new.append(
                    QuoteFactory(
                        article=article,
                        speaker=speaker,
                        content_start=number * 10,
                        content_end=number * 10 + 8,
                    )
                )
        for index, quote in enumerate(new):
            label_save(
                project=project,
                quote=quote,
                annotator=self.first,
                labels=ANSWERS[index % 3],
                note=f"Note {index}" if index % 2 else "",
                seconds=index + 0.5,
            )
            label_save(
                project=project, quote=quote, annotator=self.second, labels=ANSWERS[index % 2]
            )
            if index % 2:
                gold_set(
                    project=project,
                    quote=quote,
                    dimension_key="stance",
                    values="favor",
                    reviewer=self.manager,
                )
        self.quotes += new
        for index in range(articles):
            comment_add(project=project, quote=self.quotes[0], author=self.first, text=f"C{index}")
            comment_add(project=project, quote=self.quotes[index], author=self.manager, text="M")

    def ids(self) -> dict:
        quote = self.quotes[0]
        return {
            "p": self.project.id,
            "q": quote.id,
            "a": quote.article_id,
            "s": quote.speaker_id,
            "o": quote.article.outlet_id,
        }


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def count_queries(api, template: str, ids: dict, django_assert_max_num_queries, bound: int):
    with django_assert_max_num_queries(bound, info=template) as captured:
        response = api.get("/api/v1/" + template.format(**ids))
        content = body(response)  # a streamed export reads as it is consumed
    assert response.status_code == 200, (template, response.status_code, content[:300])
    assert content, template
    return len(captured.captured_queries)


def test_every_endpoint_runs_the_same_number_of_queries_on_ten_times_the_data(
    django_assert_max_num_queries,
):
    corpus = Corpus()
    corpus.grow(2)
    api = APIClient()
    api.force_authenticate(corpus.manager)
    small = {
        name: count_queries(api, template, corpus.ids(), django_assert_max_num_queries, bound)
        for name, template, bound in ENDPOINTS
    }
    corpus.grow(18)  # 2 -> 20 articles, 6 -> 60 quotes, labels, gold, comments, members
    large = {
        name: count_queries(api, template, corpus.ids(), django_assert_max_num_queries, bound)
        for name, template, bound in ENDPOINTS
    }
    grew = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grew, f"queries grew with the data (small, 10x): {grew}"
