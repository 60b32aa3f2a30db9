"""Relationship alerts: a key person's relationship needs attention.

- `watch`: raised and resolved in set-based SQL by the decay job and after every contact
  (`refresh`, `decay_job`); who is watched and when is explained there.
- `selectors`: the lists, filters and counts of the pages and the API; `may_resolve`.
- `services`: `alert_resolve`, closing an alert by hand with a note.
- `forms`, `views`, `api`: the alert list and resolving, as pages and as an API.
- `digest`: the daily mail to every colleague with open alerts.

The Alert and AlertDigest models live in stakeholders.models.
"""
