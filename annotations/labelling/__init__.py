"""The labelling: projects, schema, queue, labels, gold, comments, review (one module each)."""
