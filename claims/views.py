"""Pages for the corpus: the article list and an article with its quotes marked."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from claims.selectors import (
    article_diff,
    article_list_visible,
    article_page_get,
    article_text_segments,
    article_versions,
    quote_list_for_article,
    quotes_gone_before,
    same_story_visible,
)

ARTICLES_PER_PAGE = 50


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    """The latest version of each article (earlier ones are reached from the article)."""
    articles = article_list_visible(user=request.user).current()
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/article_list.html", {"page": page})


def _article_or_404(request: HttpRequest, article_id: int):
    article = article_page_get(user=request.user, article_id=article_id)
    if article is None:
        raise Http404("No such article, or it is not in any of your projects.")
    return article


def _previous_version(article, versions):
    earlier = [version for version in versions if version.version < article.version]
    return earlier[-1] if earlier else None


@login_required
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(request, article_id)
    quotes = list(quote_list_for_article(article=article))
    versions = article_versions(user=request.user, article=article)
    earlier = [version for version in versions if version.version < article.version]
    context = {
        "article": article,
        "quotes": quotes,
        "segments": article_text_segments(text=article.text, quotes=quotes),
        "versions": versions if len(versions) > 1 else [],
        "previous": _previous_version(article, versions),
        # On the current version: the quotes whose words earlier versions had and it has not.
        "gone": list(quotes_gone_before(versions=earlier)) if article.is_current else [],
        "same_story": list(same_story_visible(user=request.user, article=article))
        if article.has_same_story
        else [],
    }
    return render(request, "claims/article_detail.html", context)


@login_required
def article_changes(request: HttpRequest, article_id: int) -> HttpResponse:
    """What changed from the previous version to this one, and what became of its quotes."""
    article = _article_or_404(request, article_id)
    versions = article_versions(user=request.user, article=article)
    previous = _previous_version(article, versions)
    if previous is None:
        raise Http404("This is the first version of the article: nothing changed before it.")
    context = {
        "article": article,
        "previous": previous,
        "versions": versions,
        "diff": article_diff(previous=previous, article=article),
    }
    return render(request, "claims/article_changes.html", context)
