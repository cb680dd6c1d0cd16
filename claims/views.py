"""Pages for the corpus: the article list and an article with its quotes marked."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from claims.selectors import (
    article_get_visible,
    article_list_visible,
    article_text_segments,
    quote_list_for_article,
)

ARTICLES_PER_PAGE = 50


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(article_list_visible(user=request.user), ARTICLES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "claims/article_list.html", {"page": page})


@login_required
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = article_get_visible(user=request.user, article_id=article_id)
    if article is None:
        raise Http404("No such article, or it is not in any of your projects.")
    quotes = list(quote_list_for_article(article=article))
    context = {
        "article": article,
        "quotes": quotes,
        "segments": article_text_segments(text=article.text, quotes=quotes),
    }
    return render(request, "claims/article_detail.html", context)
