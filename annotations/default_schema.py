"""The default label schema for political claims (DESIGN.md), given to every new project."""

DEFAULT_SCHEMA = [
    {
        "key": "stance",
        "name": "Stance",
        "help_text": "The speaker's stance toward the project's target, as the quote expresses it.",
        "choices": [
            ("favor", "Favor", "The quote supports the target."),
            ("against", "Against", "The quote opposes the target."),
            ("neutral", "Neutral", "The quote takes no side on the target."),
            ("unclear", "Unclear", "The stance cannot be told from the quote and its context."),
        ],
    },
    {
        "key": "attribution",
        "name": "Attribution",
        "help_text": "Is the quote fairly attributed to the right, identifiable speaker?",
        "choices": [
            ("accurate", "Accurate", "The right speaker, and the words are not distorted."),
            ("misattributed", "Misattributed", "Wrong speaker, or the words are distorted."),
            ("ambiguous", "Ambiguous", "The speaker cannot be told from the text."),
            ("unnamed", "Unnamed", "No identifiable speaker is given."),
        ],
    },
    {
        "key": "sourcing",
        "name": "Sourcing",
        "help_text": "Where the claim comes from.",
        "choices": [
            ("named-official", "Named official", "A named official or government body."),
            ("named-other", "Named other", "A named person or organisation that is not official."),
            ("anonymous", "Anonymous", "Unnamed sources (“sources said”)."),
            ("media-report", "Media report", "Another outlet's report (“NBC reported”)."),
            ("document", "Document", "A statement, decree, filing or other document."),
            ("none", "None", "No source is given."),
        ],
    },
]
