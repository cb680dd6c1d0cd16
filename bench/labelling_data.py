"""A labelling project as people make one, for the load and profiling benches.

Articles of varied length hold varied numbers of quotes (a few to over a hundred) of varied
length (a clause to a paragraph), most with a speaker drawn from a pool in which a few people
are quoted often and most rarely (Zipf-like); a few quotes are rejected. Labels answer the
project's default questions with realistic skew (most quotes neutral and accurately
attributed, few misattributed), a second annotator agreeing with the first on a question about
two times in three, and a note now and then. With `labelled`, that share of the quotes is
already labelled by k annotators (assignments, labels, their choices and history written in
bulk), as in a project that is part done; the benches' clients then work on the rest.
"""

import random
from datetime import timedelta

# Share of each answer per question (weights), as annotators of news quotes give them.
ANSWER_SKEW = {
    "stance": {"favor": 24, "against": 19, "neutral": 47, "unclear": 10},
    "attribution": {"accurate": 79, "misattributed": 3, "ambiguous": 10, "unnamed": 8},
    "sourcing": {
        "named-official": 38,
        "named-other": 26,
        "anonymous": 9,
        "media-report": 12,
        "document": 6,
        "none": 9,
    },
}
AGREEMENT = 0.67  # chance that a later annotator gives the first one's answer to a question
NOTE_SHARE = 0.08  # saves that carry a note
REJECTED_SHARE = 0.01
WORDS = (
    "government minister talks border ceasefire economy sanctions election vote budget "
    "officials spokesman reform parliament inflation energy security troops agreement "
    "negotiations proposal opposition coalition court ruling protest strike refugees aid "
    "the a of to in on for with that would will could should not never again next week "
    "yesterday today tomorrow country region city people workers families prices taxes"
)
FIRST = "Anna Olena Mark Viktor Maria John Petro Julia Andriy Sergei Kaja Emmanuel Olaf"
LAST = "Kovalenko Smith Müller Dubois Rossi Novak Ivanenko Garcia Tanaka Kim Silva Nowak"


_WORD_LIST, _FIRST, _LAST = WORDS.split(), FIRST.split(), LAST.split()


def answers(rng: random.Random, first: dict[str, str] | None = None) -> dict[str, str]:
    """One annotator's answers: skewed draws, or the first annotator's answer two times in
    three when there is one."""
    chosen = {}
    for key, weights in ANSWER_SKEW.items():
        if first is not None and rng.random() < AGREEMENT:
            chosen[key] = first[key]
        else:
            chosen[key] = rng.choices(list(weights), weights=list(weights.values()))[0]
    return chosen


def note(rng: random.Random) -> str:
    """Usually no note; sometimes a sentence or a few."""
    if rng.random() >= NOTE_SHARE:
        return ""
    return " ".join(rng.choices(_WORD_LIST, k=rng.randint(4, 60))).capitalize() + "."


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(_WORD_LIST, k=words)).capitalize() + "."


def _quotes_per_article(rng: random.Random) -> int:
    """Mostly 20-70 quotes, some articles with a handful, a few with over a hundred."""
    return max(3, min(150, round(rng.lognormvariate(3.75, 0.55))))


def _article(rng: random.Random, quotes: int) -> tuple[str, list[tuple[int, int, int, int]]]:
    """An article's text and its quotes' (start, end, speaker start, speaker end)."""
    parts, spans, length = [], [], 0
    for _ in range(quotes):
        filler = " ".join(_sentence(rng, rng.randint(6, 25)) for _ in range(rng.randint(0, 3)))
        speaker = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        words = max(4, min(160, round(rng.lognormvariate(2.9, 0.7))))  # ~18 words, long tail
        body = _sentence(rng, words)
        lead = f"{filler} {speaker} said: “" if filler else f"{speaker} said: “"
        start = length + len(lead)
        spans.append((start, start + len(body), length + (len(filler) + 1 if filler else 0)))
        piece = f"{lead}{body}” "
        parts.append(piece)
        length += len(piece)
    text = "".join(parts).rstrip()
    return text, [(s, e, sp, sp + text[sp:].index(" said")) for s, e, sp in spans]


def build(
    *, quotes: int, annotators: int, k: int, labelled: float = 0.0, seed: int = 18
) -> tuple[int, list[str]]:
    """Migrate and fill the database; returns the project id and one API token per annotator."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from annotations.labelling.projects import project_create
    from annotations.models import Membership
    from claims.models import Article, Outlet, Quote, Speaker, text_sha256
    from config.tokens import token_create

    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    User = get_user_model()
    manager = User.objects.create(username="load-manager")
    project = project_create(name="Load bench", created_by=manager, annotators_per_quote=k)
    outlets = Outlet.objects.bulk_create(Outlet(name=f"Outlet {n}") for n in range(12))
    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {n}") for n in range(400)
    )
    speaker_weights = [1 / (rank + 1) for rank in range(len(speakers))]  # Zipf-like

    articles, spans_by_article, total = [], [], 0
    while total < quotes:
        count = min(_quotes_per_article(rng), quotes - total)
        text, spans = _article(rng, count)
        number = len(articles)
        articles.append(
            Article(
                title=f"Load article {number}",
                text=text,
                sha256=text_sha256(text),
                outlet=rng.choice(outlets),
                extraction_status="done",
            )
        )
        spans_by_article.append(spans)
        total += count
    articles = Article.objects.bulk_create(articles, batch_size=500)
    project.articles.add(*articles)
    rows = []
    for article, spans in zip(articles, spans_by_article, strict=True):
        for start, end, speaker_start, speaker_end in spans:
            has_speaker = rng.random() < 0.85
            rows.append(
                Quote(
                    article=article,
                    kind=rng.choices(["direct", "indirect", "mixed"], weights=[5, 4, 1])[0],
                    content_start=start,
                    content_end=end,
                    speaker=rng.choices(speakers, weights=speaker_weights)[0]
                    if has_speaker
                    else None,
                    speaker_start=speaker_start if has_speaker else None,
                    speaker_end=speaker_end if has_speaker else None,
                    is_rejected=rng.random() < REJECTED_SHARE,
                    confidence=round(rng.uniform(0.5, 1.0), 3),
                )
            )
    Quote.objects.bulk_create(rows, batch_size=5000)
    people = User.objects.bulk_create(
        User(username=f"load-annotator-{number:03d}") for number in range(annotators)
    )
    Membership.objects.bulk_create(
        Membership(project=project, user=user, role=Membership.Role.ANNOTATOR) for user in people
    )
    tokens = [token_create(user=user)[1] for user in people]  # the API's own tokens (knox)
    if labelled:
        _label_in_bulk(project, people, share=labelled, rng=rng, now=timezone.now())
    with connection.cursor() as cursor:
        # As autovacuum would after a bulk load: statistics for realistic plans, and the dead
        # rows the load left (counts updated row by row by the triggers) cleared away.
        cursor.execute("VACUUM ANALYZE")
    return project.id, tokens


def _label_in_bulk(project, people, *, share: float, rng: random.Random, now) -> None:
    """The first `share` of the quotes in text order, each labelled by k of `people` (as the
    queue hands them out), written in bulk, spread over the past weeks."""
    from annotations.labelling.gold import gold_auto_resolve
    from annotations.labelling.scope import quotes_in_project
    from annotations.models import Assignment, Label, LabelHistory

    quote_ids = list(
        quotes_in_project(project=project)
        .order_by("article_id", "content_start", "id")
        .values_list("id", flat=True)
    )
    done = quote_ids[: round(len(quote_ids) * share)]
    choices = {
        dimension.key: (dimension, {choice.value: choice for choice in dimension.choices.all()})
        for dimension in project.dimensions.prefetch_related("choices")
    }
    assignments, labels, picked = [], [], []
    for position, quote_id in enumerate(done):
        when = now - timedelta(minutes=len(done) - position)
        first = None
        for annotator in rng.sample(people, project.annotators_per_quote):
            given = answers(rng, first)
            first = first or given
            text = note(rng)
            assignments.append(
                Assignment(
                    project=project,
                    quote_id=quote_id,
                    annotator=annotator,
                    status=Assignment.Status.SUBMITTED,
                    completed_at=when,
                )
            )
            for key, value in given.items():
                dimension, by_value = choices[key]
                labels.append(
                    Label(
                        project=project,
                        quote_id=quote_id,
                        annotator=annotator,
                        dimension=dimension,
                        note=text,
                    )
                )
                picked.append(by_value[value])
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    labels = Label.objects.bulk_create(labels, batch_size=5000)
    Label.choices.through.objects.bulk_create(
        (
            Label.choices.through(label_id=label.id, choice_id=choice.id)
            for label, choice in zip(labels, picked, strict=True)
        ),
        batch_size=5000,
    )
    LabelHistory.objects.bulk_create(
        (
            LabelHistory(
                label=label, values=[choice.value], note=label.note, changed_by=label.annotator
            )
            for label, choice in zip(labels, picked, strict=True)
        ),
        batch_size=5000,
    )
    gold_auto_resolve(project=project)
