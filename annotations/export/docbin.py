"""The dataset as a spaCy DocBin: one Doc per article with the quotes, speakers and cues as
span groups. Unlike JSONL and CSV this format is built in memory (a DocBin is one serialised
object), so it does not stream."""

from annotations.export.encoding import DatasetExporter


def docbin(exporter: DatasetExporter) -> bytes:
    """A spaCy DocBin: one Doc per article, with "quotes", "speakers" and "cues" span groups.

    Quote spans carry the kind as label and the quote id as span id; speaker and cue spans
    carry the same id, which links them to their quote. Each Doc's user_data["claimlab"]
    holds the full records (labels, gold, agreement, notes, time, comments).
    """
    import spacy  # loaded only by the process that writes a DocBin
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    doc_bin = DocBin(store_user_data=True)
    current_id, current_doc, records = None, None, []

    def finish() -> None:
        if current_doc is not None:
            current_doc.user_data["claimlab"] = records
            doc_bin.add(current_doc)

    for record in exporter.records():
        article_id = record["article"]["id"]
        if article_id != current_id:
            finish()
            # The record's chunk is the one being read, so its article is at hand.
            text = exporter.article_text(article_id)
            current_id, current_doc, records = article_id, nlp.make_doc(text), []
            for group in ("quotes", "speakers", "cues"):
                current_doc.spans[group] = []
        records.append(record)
        _add_spans(current_doc, record)
    finish()
    return doc_bin.to_bytes()


def _add_spans(doc, record: dict) -> None:
    quote_id = record["quote_id"]
    pieces = [
        ("quotes", record["content_start"], record["content_end"], record["kind"]),
        ("speakers", record["speaker"]["start"], record["speaker"]["end"], "SPEAKER"),
        ("cues", record["cue"]["start"], record["cue"]["end"], "CUE"),
    ]
    for group, start, end, label in pieces:
        if start is None:
            continue
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            span.id_ = str(quote_id)
            doc.spans[group] = [*doc.spans[group], span]
