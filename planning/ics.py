"""A user's tasks as an iCalendar feed (RFC 5545): one all-day event per task on its due date.

Calendar programs subscribe to VEVENTs (few show VTODOs from a subscription), so a task is an
event on the day it is due. The icalendar package writes the text: escaping, line folding,
CRLF line ends and the order of the properties.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from planning.models import Activity

PRODID = "-//KAM//Key account tasks//EN"


def calendar(activities: Iterable[Activity], *, name: str, base_url: str, now: datetime) -> str:
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(name))  # vText: icalendar leaves unknown X- values unescaped
    for activity in activities:
        cal.add_component(event(activity, base_url=base_url, now=now))
    return cal.to_ical().decode("utf-8")


def event(activity: Activity, *, base_url: str, now: datetime) -> Event:
    due: date = activity.due_on
    url = f"{base_url}{activity.get_absolute_url()}"
    details = [
        _("Account: %(account)s") % {"account": activity.account.name},
        _("Status: %(status)s") % {"status": activity.get_status_display()},
        _("Priority: %(score)s") % {"score": activity.priority_score},
    ]
    if activity.plan_id:
        details.append(_("Plan: %(plan)s") % {"plan": activity.plan.title})
    if activity.description:
        details.extend(["", activity.description])
    details.extend(["", url])
    item = Event()
    item.add("uid", f"activity-{activity.pk}@kam")
    item.add("dtstamp", now.astimezone(UTC))
    item.add("last-modified", activity.updated_at.astimezone(UTC))
    item.add("dtstart", due)
    item.add("dtend", due + timedelta(days=1))
    item.add("summary", activity.title)
    item.add("description", "\n".join(details))
    item.add("location", activity.account.name)
    item.add("url", url)
    item.add("transp", "TRANSPARENT")
    return item
