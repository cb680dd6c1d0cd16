"""factory_boy factories for the domain models."""

import factory
from django.contrib.auth import get_user_model

from annotations.models import Membership, Project
from claims.models import Article, Outlet, Quote, Speaker

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example.org")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    outlet = factory.SubFactory(OutletFactory)
    title = factory.Faker("sentence", nb_words=6)
    text = factory.Sequence(
        lambda n: (
            f"Article {n}. The minister said that talks would resume next week. "
            "“We are ready,” she told reporters."
        )
    )
    extraction_status = Article.ExtractionStatus.DONE


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker Number{n}")


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    article = factory.SubFactory(ArticleFactory)
    kind = Quote.Kind.INDIRECT
    content_start = 0
    content_end = 9
    speaker = factory.SubFactory(SpeakerFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.ANNOTATOR


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "annotations.Assignment"

    project = factory.SubFactory(ProjectFactory)
    quote = factory.SubFactory(QuoteFactory)
    annotator = factory.SubFactory(UserFactory)


_article_numbers = iter(range(10**9))  # keeps each article's text (and sha256) unique


def labelling_project(*, quotes: int = 3, annotators: int = 2, k: int = 2, **options):
    """A project (default schema) with `quotes` quotes in one article and `annotators` members.

    Returns (project, quotes, annotators); quotes come in text order.
    """
    from annotations.labelling.projects import membership_set, project_create

    project = project_create(
        name=options.pop("name", "Labelling"),
        created_by=options.pop("created_by", None) or UserFactory(),
        annotators_per_quote=k,
        **options,
    )
    sentences = "".join(f"Sentence number {i:04d}. " for i in range(quotes))
    article = ArticleFactory(text=f"{sentences}End of article {next(_article_numbers)}.")
    project.articles.add(article)
    quote_rows = [
        QuoteFactory(article=article, content_start=i * 22, content_end=i * 22 + 20)
        for i in range(quotes)
    ]
    people = []
    for _ in range(annotators):
        user = UserFactory()
        membership_set(project=project, user=user, role=Membership.Role.ANNOTATOR)
        people.append(user)
    return project, quote_rows, people
