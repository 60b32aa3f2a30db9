"""REST API for plans, objectives, activities (with the hand-off steps) and requests (with
triage).

Reads go through the same visibility rule as the pages (a row outside it answers 404; an id
outside it in a body answers 400 like a missing one). Writes go through planning.services,
planning.workflow and planning.triage: their ValidationError becomes a 400 with field errors,
their PermissionDenied a 403 — e.g. a colleague answering a task that is not theirs, or a KAM
deciding on a request of an account they only read.

Modules: `common` (fields, filters and bodies the viewsets share), `plans` (plans and their
objectives), `activities`, `requests`.
"""
