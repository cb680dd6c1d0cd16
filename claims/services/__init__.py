"""Writes to the corpus, one module per topic: articles, extraction_queue, extraction_runs,
quotes, speakers."""
