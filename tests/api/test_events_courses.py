"""`/api/v1/events/` and `/api/v1/courses/`: what the public events listing and the courses
index show, filtered as the site filters, the same answer for every caller, and never what is
for attendees or learners only (join links, recordings, materials, attendees, quiz answers,
progress)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.utils import timezone, translation

from wagtail.models import Page, PageViewRestriction

from community.events.models import Event, RegistrationStatus
from core.page_cache import invalidate_groups
from knowledge.course_models import CoursePage, LessonPage
from knowledge.courses import complete_lesson, outline, quizzes
from tests.events.conftest import JOIN, make_event, register
from tests.members.conftest import make_member

from .conftest import ROLES, problem_of
from .test_endpoints import results

pytestmark = pytest.mark.django_db

RECORDING = "https://video.example.org/attendees-only-recording"
MATERIALS = "Attendees-only slides and notes"


@pytest.fixture
def events_world(hidden_world):
    w = hidden_world
    organisation = w["organisation"]
    attendee, _ = make_member(display_name="Attending Person")
    now = timezone.now()
    events = {
        "upcoming": make_event(
            organisation, days=4, title="Public upcoming webinar", capacity=30,
            languages=["fr", "wo"], countries=["SN"], format="hybrid", venue="Dakar hall",
            registration_deadline=now + timedelta(days=3), interpretation=True,
        ),
        "past": make_event(
            organisation, days=-3, title="Public past workshop", type="workshop",
            recording_url=RECORDING, materials=f"<p>{MATERIALS}</p>",
        ),
        "hidden": make_event(organisation, days=5, title="Hidden event", hidden=True),
        "cancelled": make_event(
            organisation, days=6, title="Cancelled meetup", type="meetup", cancelled_at=now
        ),
        "site": make_event(None, days=8, title="Site orientation", format="in_person",
                           join_url=""),
        "hidden_org": make_event(w["hidden_org"], days=9, title="Event of a hidden org"),
    }  # fmt: skip
    register(events["upcoming"], attendee)
    register(events["past"], attendee)
    register(events["upcoming"], make_member()[0], RegistrationStatus.WAITLISTED)
    return {**w, "events": events, "attendee": attendee}


def test_events_list_only_what_the_public_listing_shows_to_every_caller(events_world):
    w = events_world
    events = w["events"]
    answers = {}
    for role in ROLES:
        client = w[role]
        upcoming = results(client, "/api/v1/events/")
        past = results(client, "/api/v1/events/?when=past")
        answers[role] = (upcoming, past)
        text = client.get("/api/v1/events/?page_size=100").content.decode()
        text += client.get("/api/v1/events/?when=past&page_size=100").content.decode()
        upcoming_ids = {item["id"] for item in upcoming}
        past_ids = {item["id"] for item in past}
        assert events["upcoming"].pk in upcoming_ids and events["upcoming"].pk not in past_ids
        assert events["past"].pk in past_ids and events["past"].pk not in upcoming_ids
        assert events["hidden"].pk not in upcoming_ids | past_ids
        assert "Hidden event" not in text
        # Cancelled events stay listed, marked, as on the site.
        cancelled = next(item for item in upcoming if item["id"] == events["cancelled"].pk)
        assert cancelled["cancelled"] and not cancelled["registration_open"]
        # An event of a hidden organisation is listed; the organisation stays hidden.
        of_hidden = next(item for item in upcoming if item["id"] == events["hidden_org"].pk)
        assert of_hidden["organisation"] is None and "Hidden Collective" not in text
        # Attendees' things and attendees themselves are never open data.
        for secret in (JOIN, RECORDING, MATERIALS, "Attending Person", "join_url", "recording"):
            assert secret not in text, (role, secret)
        for event in (events["upcoming"], events["past"]):
            detail = client.get(f"/api/v1/events/{event.pk}/")
            assert detail.status_code == 200
            body = detail.content.decode()
            assert JOIN not in body and RECORDING not in body and MATERIALS not in body
        problem_of(client.get(f"/api/v1/events/{events['hidden'].pk}/"), 404)
        problem_of(client.get("/api/v1/events/999999/"), 404)
    for role in ROLES[1:]:
        assert answers[role] == answers["anonymous"], role
    # The attendee sees the join link on the site, never through the API.
    from tests.organisations.conftest import client_for

    attendee = client_for(w["attendee"])
    assert JOIN in attendee.get(f"/en/events/{events['upcoming'].pk}/").content.decode()
    assert JOIN not in attendee.get(f"/api/v1/events/{events['upcoming'].pk}/").content.decode()


def test_an_event_shows_its_public_fields_in_its_own_time_zone(events_world):
    w = events_world
    event = w["events"]["upcoming"]
    data = w["anonymous"].get(f"/api/v1/events/{event.pk}/?lang=fr").json()
    assert data["title"] == "Public upcoming webinar"
    assert data["time_zone"] == "Africa/Dakar"
    assert data["starts_at"] == event.starts_at.astimezone(event.zone).isoformat()
    assert data["starts_at"].endswith("+00:00")  # Dakar is UTC all year
    assert data["format"] == "hybrid" and data["venue"] == "Dakar hall"
    assert data["languages"] == ["fr", "wo"] and data["interpretation"] is True
    assert data["capacity"] == 30 and data["places_left"] == 29  # the waiting list takes none
    assert data["registration_deadline"] and data["registration_open"]
    assert data["organisation"]["slug"] == w["organisation"].slug and not data["site_event"]
    assert data["countries"][0]["code"] == "SN"
    assert data["url"].endswith(f"/fr/events/{event.pk}/")
    assert data["ics_url"].endswith(f"/fr/events/{event.pk}/event.ics")
    with translation.override("fr"):
        assert data["type_label"] == str(event.get_type_display())
    assert w["anonymous"].get(data["ics_url"]).status_code == 200
    site = w["anonymous"].get(f"/api/v1/events/{w['events']['site'].pk}/").json()
    assert site["site_event"] and site["organisation"] is None and site["places_left"] is None


def test_event_filters_narrow_like_the_listing(events_world):
    w = events_world
    client = w["anonymous"]
    everything = results(client, "/api/v1/events/")
    starts = [(Event.objects.get(pk=item["id"]).starts_at, item["id"]) for item in everything]
    assert starts == sorted(starts)
    sample = next(item for item in everything if item["topics"] and item["countries"])
    org = w["organisation"].slug
    checks = {
        "type=meetup": lambda item: item["type"] == "meetup",
        f"topic={sample['topics'][0]['slug']}": lambda item: (
            sample["topics"][0]["slug"] in {t["slug"] for t in item["topics"]}
        ),
        f"country={sample['countries'][0]['code']}": lambda item: (
            sample["countries"][0]["code"] in {c["code"] for c in item["countries"]}
        ),
        "language=wo": lambda item: "wo" in item["languages"],
        "online=true": lambda item: item["format"] in ("online", "hybrid"),
        "event_format=in_person": lambda item: item["format"] == "in_person",
        f"org={org}": lambda item: (item["organisation"] or {}).get("slug") == org,
    }
    for query, check in checks.items():
        found = results(client, f"/api/v1/events/?{query}")
        assert found and len(found) < len(everything), query
        assert all(check(item) for item in found), query
    past = results(client, "/api/v1/events/?when=past")
    moments = [Event.objects.get(pk=item["id"]).starts_at for item in past]
    assert moments == sorted(moments, reverse=True) and all(item["past"] for item in past)
    latest_first = results(client, "/api/v1/events/?ordering=-start")
    assert [i["id"] for i in latest_first] == [i["id"] for i in reversed(everything)]
    # Cursor paging walks every event once.
    seen, url = [], "/api/v1/events/?page_size=2"
    while url:
        data = client.get(url).json()
        seen.extend(item["id"] for item in data["results"])
        url = data["next"]
    assert seen == [item["id"] for item in everything]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/events/?when=soon", "when"),
        ("/api/v1/events/?type=party", "type"),
        ("/api/v1/events/?event_format=telepathy", "event_format"),
        ("/api/v1/events/?topic=no-such-topic", "topic"),
        ("/api/v1/events/?country=XX", "country"),
        ("/api/v1/events/?language=xx", "language"),
        ("/api/v1/events/?org=no-such-org", "org"),
        ("/api/v1/events/?online=perhaps", "online"),
        ("/api/v1/events/?ordering=random", "ordering"),
        ("/api/v1/events/?page_size=500", "page_size"),
        ("/api/v1/events/?cursor=not-a-cursor", "cursor"),
        ("/api/v1/events/?join_url=1", "join_url"),
        ("/api/v1/courses/?language=klingon", "language"),
        ("/api/v1/courses/?ordering=random", "ordering"),
        ("/api/v1/courses/?progress=1", "progress"),
    ],
)
def test_bad_event_and_course_parameters_are_a_400_in_the_callers_language(client, url, field):
    data = problem_of(client.get(f"{url}&lang=fr"), 400)
    assert field in {error["name"] for error in data["errors"]}
    with translation.override("fr"):
        assert data["title"] == translation.gettext("Invalid request parameters")
        assert data["detail"].startswith(
            translation.gettext("Some parameters are not valid: %(names)s.")[:10]
        )


def test_a_cursor_of_another_ordering_is_refused(events_world):
    client = events_world["anonymous"]
    cursor = client.get("/api/v1/events/?page_size=1").json()["next"].split("cursor=")[1]
    problem_of(client.get(f"/api/v1/events/?ordering=-start&cursor={cursor}"), 400)


def test_events_answer_304_until_an_event_or_registration_changes(
    events_world, django_assert_max_num_queries
):
    client = events_world["anonymous"]
    first = client.get("/api/v1/events/")
    etag = first["ETag"]
    with django_assert_max_num_queries(3):  # throttle count, group tokens, moments passed
        again = client.get("/api/v1/events/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/v1/events/?when=past", HTTP_IF_NONE_MATCH=etag).status_code == 200
    invalidate_groups("events")
    assert client.get("/api/v1/events/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    event = events_world["events"]["upcoming"]
    detail = client.get(f"/api/v1/events/{event.pk}/")
    assert (
        client.get(f"/api/v1/events/{event.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code
        == 304
    )
    # An event ending moves it to the past without any write to the events: a new answer.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert (
        client.get(f"/api/v1/events/{event.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code
        == 200
    )


def test_a_page_of_fifty_events_costs_a_bounded_number_of_queries(
    events_world, django_assert_max_num_queries
):
    organisation = events_world["organisation"]
    member = make_member()[0]
    for n in range(50):
        event = make_event(organisation, days=10 + n, title=f"Many {n}", capacity=10,
                           countries=["SN", "FR"])  # fmt: skip
        event.topics.set(events_world["events"]["upcoming"].topics.all())
        register(event, member)
    client = events_world["anonymous"]
    client.get("/api/v1/events/?page_size=50")  # warm this process's memos (taxonomy)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/events/?page_size=50&lang=fr")
    assert len(response.json()["results"]) == 50


# --- Courses ------------------------------------------------------------------------------------


def _demo_course(language: str = "en") -> CoursePage:
    return CoursePage.objects.live().filter(locale__language_code=language).order_by("pk").first()


def test_courses_list_each_course_once_in_the_readers_language_with_its_outline(rf, client):
    english = _demo_course("en")
    french = _demo_course("fr")
    assert french.translation_key == english.translation_key
    listed = results(client, "/api/v1/courses/")
    assert [c["id"] for c in listed].count(str(english.translation_key)) == 1
    shown = next(c for c in listed if c["id"] == str(english.translation_key))
    assert shown["language"] == "en" and shown["title"] == english.title
    site_outline = outline(english, rf.get("/"))
    assert [m["title"] for m in shown["modules"]] == [m.page.title for m in site_outline]
    assert [m["number"] for m in shown["modules"]] == list(range(1, len(site_outline) + 1))
    assert [lesson["number"] for lesson in shown["modules"][0]["lessons"]][:2] == ["1.1", "1.2"]
    assert shown["lesson_count"] == sum(len(m.lessons) for m in site_outline)
    assert {"en", "fr"} <= {copy["language"] for copy in shown["translations"]}
    lesson_url = shown["modules"][0]["lessons"][0]["url"]
    assert client.get(lesson_url).status_code == 200
    in_french = next(
        c for c in results(client, "/api/v1/courses/?lang=fr") if c["id"] == shown["id"]
    )
    assert in_french["language"] == "fr" and in_french["title"] == french.title
    assert "/fr/" in in_french["modules"][0]["lessons"][0]["url"]
    assert client.get(f"/api/v1/courses/{shown['id']}/?lang=fr").json() == in_french
    assert {c["id"] for c in results(client, "/api/v1/courses/?language=fr")} >= {shown["id"]}


def test_courses_never_show_quiz_answers_or_a_learners_progress(hidden_world):
    w = hidden_world
    course = _demo_course("en")
    lesson = LessonPage.objects.live().descendant_of(course).filter(locale=course.locale)
    with_quiz = next(page for page in lesson if quizzes(page))
    member = w["users"]["member"]
    complete_lesson(member, with_quiz, course.translation_key)
    feedback = [
        answer["feedback"]
        for quiz in quizzes(with_quiz).values()
        for question in quiz["questions"]
        for answer in question["answers"]
        if answer["feedback"]
    ]
    assert feedback
    answers = []
    for role in ROLES:
        body = w[role].get(f"/api/v1/courses/{course.translation_key}/").content.decode()
        answers.append(body)
        for secret in (*feedback, '"correct"', "certificate", "progress", "enrol"):
            assert secret not in body, (role, secret)
    assert all(answer == answers[0] for answer in answers)


def test_unpublished_or_restricted_courses_and_lessons_are_not_open_data(client):
    english = _demo_course("en")
    listed = results(client, "/api/v1/courses/")
    shown = next(c for c in listed if c["id"] == str(english.translation_key))
    first_lesson = shown["modules"][0]["lessons"][0]
    lesson = Page.objects.get(
        translation_key__in=LessonPage.objects.descendant_of(english).values("translation_key"),
        locale=english.locale, title=first_lesson["title"],
    )  # fmt: skip
    PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.LOGIN)
    again = client.get(f"/api/v1/courses/{english.translation_key}/").json()
    assert first_lesson["title"] not in {
        item["title"] for module in again["modules"] for item in module["lessons"]
    }
    assert again["lesson_count"] == shown["lesson_count"] - 1
    # Every copy behind a log-in: the course is gone from the open data.
    for copy in CoursePage.objects.filter(translation_key=english.translation_key):
        PageViewRestriction.objects.create(page=copy, restriction_type=PageViewRestriction.LOGIN)
    assert str(english.translation_key) not in {
        c["id"] for c in results(client, "/api/v1/courses/")
    }
    problem_of(client.get(f"/api/v1/courses/{english.translation_key}/"), 404)


def test_an_unpublished_course_is_a_404_and_an_unknown_one_too(client):
    english = _demo_course("en")
    for copy in CoursePage.objects.filter(translation_key=english.translation_key):
        copy.unpublish()
    assert str(english.translation_key) not in {
        c["id"] for c in results(client, "/api/v1/courses/")
    }
    problem_of(client.get(f"/api/v1/courses/{english.translation_key}/"), 404)
    problem_of(client.get("/api/v1/courses/00000000-0000-0000-0000-000000000000/"), 404)
    problem_of(client.get("/api/v1/courses/not-a-uuid/"), 404)


def test_courses_answer_304_until_a_publish_and_cost_few_queries(
    client, django_assert_max_num_queries
):
    client.get("/api/v1/courses/")  # warm this process's memos (locales)
    with django_assert_max_num_queries(8):
        first = client.get("/api/v1/courses/?lang=fr")
    assert first.json()["results"]
    etag = first["ETag"]
    assert client.get("/api/v1/courses/?lang=fr", HTTP_IF_NONE_MATCH=etag).status_code == 304
    _demo_course("fr").save_revision().publish()
    assert client.get("/api/v1/courses/?lang=fr", HTTP_IF_NONE_MATCH=etag).status_code == 200
