"""Use cases: the citizen's visit, the queue, review, printing, captions, audit and reports."""
