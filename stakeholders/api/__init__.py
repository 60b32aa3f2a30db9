"""REST API for people, their positions and politics, contacts, gives and relationships.

Same contract as accounts.api: reads go through the visibility rule (a row outside it answers
404; an id outside it in a request body answers 400 like a missing one), writes go through
stakeholders.services (their ValidationError becomes a 400 in kam.lib.api.exception_handler, their
PermissionDenied a 403). Changing a row one may read but not change answers 403 before the
body is looked at; so does every write of sales leadership, who read everything and change
nothing.

Modules: `common` (the person field, permissions, list filters every viewset shares), `people`
(stakeholders, positions, influence links), `contacts` (interactions, gives), `relationships`.
"""
