"""The ICS feed of a user's tasks: behind a secret per-user token, one all-day event per open
task with a due date, valid iCalendar text."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from planning import ics, selectors, services, workflow
from planning.models import CalendarFeed


def feed_url(user) -> str:
    return reverse("planning:calendar_feed", args=[services.calendar_feed_for(user).token])


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_feed_lists_the_open_tasks_with_due_dates(client, kam_user, regional, task_for, daimler):
    task_for(regional, daimler.irace, title="Visit Iracemápolis; bring samples, slides", due_on=date(2026, 3, 17))
    task_for(regional, daimler.brasil, title="No date")  # no due date: not in a calendar
    done = task_for(regional, daimler.brasil, title="Finished", due_on=date(2026, 3, 1))
    workflow.activity_accept(actor=regional, activity=done)
    workflow.activity_complete(actor=regional, activity=done)
    task_for(kam_user, daimler.hq, title="Someone else's", due_on=date(2026, 3, 2))

    answer = client.get(feed_url(regional))  # no login: calendar programs cannot log in

    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    text = answer.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    body = unfold(text)
    assert body.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Visit Iracemápolis\\; bring samples\\, slides\r\n" in body
    assert "DTSTART;VALUE=DATE:20260317\r\nDTEND;VALUE=DATE:20260318\r\n" in body
    assert "LOCATION:Mercedes-Benz Iracemápolis\r\n" in body
    assert "/plans/activities/" in body and "UID:activity-" in body


def test_a_wrong_token_or_an_inactive_user_finds_nothing(client, regional, task_for, daimler):
    task_for(regional, daimler.irace, due_on=date(2026, 3, 17))
    url = feed_url(regional)

    assert client.get(reverse("planning:calendar_feed", args=["not-the-token"])).status_code == 404
    regional.is_active = False
    regional.save()
    assert client.get(url).status_code == 404


def test_a_new_token_retires_the_old_url(client_for, client, regional, task_for, daimler):
    task_for(regional, daimler.irace, due_on=date(2026, 3, 17))
    old = feed_url(regional)

    client_for(regional).post(reverse("planning:calendar_reset"))

    assert client.get(old).status_code == 404
    assert client.get(feed_url(regional)).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_each_user_has_their_own_secret(kam_user, regional):
    mine, theirs = services.calendar_feed_for(kam_user), services.calendar_feed_for(regional)
    assert mine.token != theirs.token and len(mine.token) >= 32
    assert services.calendar_feed_for(kam_user).token == mine.token  # stable until reset


def test_long_lines_fold_without_splitting_characters(regional, task_for, daimler):
    title = "ä" * 60
    task_for(regional, daimler.irace, title=title, due_on=date(2026, 3, 17))

    text = ics.calendar(
        selectors.calendar_activities(regional), name="Tasks", base_url="https://kam.example", now=timezone.now()
    )

    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)
    assert f"SUMMARY:{title}\r\n" in unfold(text)


def test_text_is_escaped_and_reads_back(regional, task_for, daimler):
    task_for(regional, daimler.irace, title="a;b,c\\d", description="line one\nline two", due_on=date(2026, 3, 17))

    activities = selectors.calendar_activities(regional)
    text = ics.calendar(activities, name="Tasks; mine,\nall", base_url="https://kam.example", now=timezone.now())

    body = unfold(text)
    assert "SUMMARY:a\\;b\\,c\\\\d\r\n" in body
    assert "X-WR-CALNAME:Tasks\\; mine\\,\\nall\r\n" in body
    assert "line one\\nline two" in body
    (parsed,) = Calendar.from_ical(text).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == "a;b,c\\d"
    assert "line one\nline two" in str(parsed["DESCRIPTION"])
    assert parsed.decoded("DTSTART") == date(2026, 3, 17) and parsed.decoded("DTEND") == date(2026, 3, 18)
    assert str(parsed["URL"]).startswith("https://kam.example/plans/activities/")
