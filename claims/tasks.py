"""Celery tasks for the corpus: quote extraction in background workers."""

from celery import shared_task

from claims.models import Article


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=3,
)
def extract_article_quotes(self, article_id: int) -> int:
    """Extract one article's quotes; a killed worker's message is redelivered (acks_late)."""
    from claims.services import article_extract_quotes

    article = Article.objects.filter(id=article_id).first()
    if article is None:
        return 0
    return article_extract_quotes(article=article)
