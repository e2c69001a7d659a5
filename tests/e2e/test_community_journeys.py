"""Community journeys in Chromium, as members, organisation admins and visitors live them.

Each journey runs against the real server process on committed data and removes what it made.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import timedelta

from tests.e2e.conftest import ARTIFACTS, assert_accessible, log_in, sign_in_with_code


def _log_in(page, email: str, lang: str = "en") -> None:
    log_in(page, email, lang)
    page.wait_for_load_state()


def _member(name: str, **profile_fields):
    """A member who accepted the policies, signed up under a fresh address, with a profile."""
    from community.members.models import Profile
    from tests.factories import UserFactory, accept_current_policies

    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.net"
    user = UserFactory(email=email, first_name=name.split()[0])
    accept_current_policies(user)
    skills = profile_fields.pop("skills", None)
    profile = Profile.for_user(user)
    for field, value in {"display_name": name, **profile_fields}.items():
        setattr(profile, field, value)
    profile.save()
    if skills:
        profile.skills.set(skills)
    return user, profile


def _tab(browser, platform, **options):
    context = browser.new_context(base_url=platform.url, bypass_csp=True, locale="en-GB", **options)
    return context, context.new_page()


def test_a_member_completes_their_profile_and_a_field_they_made_private_stays_hidden(
    browser, platform, committed_db
):
    owner, profile = _member("Nadia Benali")
    reader, _ = _member("Omar Diallo")
    owner_context, page = _tab(browser, platform, timezone_id="Europe/Paris")
    reader_context, other = _tab(browser, platform)
    visitor_context, visitor = _tab(browser, platform)
    try:
        _log_in(page, owner.email)
        page.goto("/en/me/")
        before = int(page.locator("progress").get_attribute("value"))

        page.goto("/en/members/me/edit/")
        page.locator("#id_headline").fill("Public health researcher")
        page.locator("#id_bio").fill(
            "I map <b>diaspora</b> health networks.<script>alert(1)</script>"
        )
        page.locator("#id_skills_text").fill("epidemiology, data analysis")
        page.locator("#id_countries_of_origin").select_option("MA")
        page.locator("#id_country_of_residence").select_option("FR")
        page.locator("#id_city").fill("Lyon")
        page.locator("#id_city_visibility").select_option("private")
        page.locator("#id_in_directory").check()
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        assert page.locator(".errors").count() == 0, page.locator(".errors").all_inner_texts()

        page.goto(f"/en/members/{profile.pk}/")
        assert page.locator("h1").inner_text() == "Nadia Benali"
        assert "Lyon" in page.content()  # the owner sees their private field
        assert page.locator("script:has-text('alert(1)')").count() == 0
        assert page.locator("main b", has_text="diaspora").count() == 1
        page.goto("/en/me/")
        assert int(page.locator("progress").get_attribute("value")) > before

        _log_in(other, reader.email)
        for tab in (other, visitor):
            tab.goto(f"/en/members/{profile.pk}/")
            assert tab.locator("h1").inner_text() == "Nadia Benali"
            assert "Public health researcher" in tab.content()
            assert "Lyon" not in tab.content()
        other.goto("/en/members/?skill=epidemiology")
        assert other.get_by_role("link", name="Nadia Benali").count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        other.screenshot(path=str(ARTIFACTS / "journey-profile-as-other.png"), full_page=True)
    finally:
        for context in (owner_context, reader_context, visitor_context):
            context.close()
        owner.delete()
        reader.delete()


def test_a_protected_member_is_absent_for_visitors_and_members_but_not_for_themself(
    browser, platform, committed_db
):
    protected, profile = _member(
        "Hidden Exile",
        headline="Journalist",
        in_directory=True,
        protected=True,
        skills=["investigative journalism"],
    )
    reader, _ = _member("Curious Reader")
    visitor_context, visitor = _tab(browser, platform)
    reader_context, member = _tab(browser, platform)
    owner_context, owner = _tab(browser, platform)
    try:
        _log_in(member, reader.email)
        for tab in (visitor, member):
            tab.goto("/en/members/?skill=investigative+journalism")
            assert "Hidden Exile" not in tab.content()
            response = tab.goto(f"/en/members/{profile.pk}/")
            assert response.status == 404
            assert "Hidden Exile" not in tab.content()
        _log_in(owner, protected.email)
        response = owner.goto(f"/en/members/{profile.pk}/")
        assert response.status == 200
        assert owner.locator("h1").inner_text() == "Hidden Exile"
    finally:
        for context in (visitor_context, reader_context, owner_context):
            context.close()
        protected.delete()
        reader.delete()


def test_an_admin_posts_a_member_expresses_interest_and_the_deadline_closes_it(
    browser, platform, committed_db, tmp_path
):
    from django.utils import timezone

    from community.opportunities.models import Application, Opportunity, Review, Status
    from community.organisations.models import Verification
    from tests.organisations.conftest import make_organisation

    admin, _ = _member("Amina Okafor")
    applicant, _ = _member("Kwame Mensah")
    organisation = make_organisation(
        admin, name=f"Lagos Diaspora Forum {uuid.uuid4().hex[:6]}",
        verification=Verification.VERIFIED,
    )  # fmt: skip
    # Not the admin's first: the fraud hold applies to first postings (tested elsewhere).
    earlier = Opportunity.objects.create(
        poster=admin, organisation=organisation, type="job", title="Earlier posting",
        description="Done.", apply_url="https://example.org/a", status=Status.PUBLISHED,
        review=Review.APPROVED, deadline=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    title = f"Mentors for young engineers {uuid.uuid4().hex[:6]}"
    cv = tmp_path / "kwame-cv.pdf"
    cv.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    admin_context, page = _tab(browser, platform, timezone_id="Africa/Lagos")
    applicant_context, member = _tab(browser, platform, timezone_id="Europe/London")
    visitor_context, visitor = _tab(browser, platform, timezone_id="America/Lima")
    try:
        # An organisation admin posts, taking expressions of interest on the site.
        _log_in(page, admin.email)
        page.goto("/en/opportunities/new/")
        page.locator("#id_organisation").select_option(str(organisation.pk))
        page.locator("#id_type").select_option("mentoring")
        page.locator("#id_title").fill(title)
        page.locator("#id_description").fill("Guide <em>one</em> student a month.")
        later = timezone.now() + timedelta(days=20)
        page.locator("#id_deadline_local").fill(later.strftime("%Y-%m-%dT%H:%M"))
        page.locator("#id_time_zone").select_option("Africa/Lagos")
        page.locator("input[name=apply_method][value=on_site]").check()
        page.get_by_role("button", name="Save and publish").click()
        page.wait_for_url(re.compile(r"/en/opportunities/\d+/$"))
        assert page.locator("h1").inner_text() == title
        posted = Opportunity.objects.get(title=title)
        assert posted.organisation == organisation and posted.review == Review.NOT_NEEDED

        # A visitor sees it at once, in the organiser's time and their own.
        visitor.goto("/en/opportunities/")
        assert visitor.get_by_role("link", name=title).count() == 1
        visitor.goto(f"/en/opportunities/{posted.pk}/")
        assert "Africa/Lagos, UTC+0100" in visitor.content()
        assert "(America/Lima)" in visitor.locator(".your-time").first.inner_text()
        assert visitor.get_by_role("link", name="Log in to express interest").count() == 1

        # A member expresses interest with a CV.
        _log_in(member, applicant.email)
        member.goto(f"/en/opportunities/{posted.pk}/")
        member.get_by_label("Your message").fill("I mentor two engineering students already.")
        member.get_by_label("Your CV (optional)").set_input_files(str(cv))
        member.get_by_role("button", name="Send my expression of interest").click()
        member.wait_for_load_state()
        assert "Status: Sent" in member.locator(".apply").inner_text()

        # The poster sees it in their private list, opens the CV and shortlists.
        page.goto(f"/en/opportunities/{posted.pk}/")
        page.get_by_role("link", name="See the applicants").click()
        assert page.locator("h2", has_text="Kwame Mensah").count() == 1
        assert "I mentor two engineering students" in page.content()
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile("Download the CV")).click()
        assert download.value.suggested_filename == "kwame-cv.pdf"
        page.get_by_role("button", name=re.compile("Shortlist")).click()
        page.wait_for_load_state()
        application = Application.objects.get(opportunity=posted)
        assert application.status == "shortlisted"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "journey-applicants.png"), full_page=True)

        # Nobody else reaches the list; the applicant sees the answer on their dashboard.
        assert visitor.goto(f"/en/opportunities/{posted.pk}/applicants/").url.endswith(
            f"/en/accounts/login/?next=/en/opportunities/{posted.pk}/applicants/"
        )
        assert member.goto(f"/en/opportunities/{posted.pk}/applicants/").status == 403
        member.goto("/en/me/")
        assert "Shortlisted" in member.content() and title in member.content()

        # Time passes: the deadline is now seconds away, then behind us.
        posted.deadline = timezone.now() + timedelta(seconds=3)
        posted.save()
        visitor.goto("/en/opportunities/")
        assert visitor.get_by_role("link", name=title).count() == 1
        time.sleep(3.5)
        visitor.goto("/en/opportunities/")
        assert visitor.get_by_role("link", name=title).count() == 0
        visitor.goto("/en/opportunities/?status=closed")
        assert visitor.get_by_role("link", name=title).count() == 1
        visitor.goto(f"/en/opportunities/{posted.pk}/")
        assert visitor.locator(".notice.closed").count() == 1
        assert visitor.get_by_role("link", name="Log in to express interest").count() == 0
    finally:
        for context in (admin_context, applicant_context, visitor_context):
            context.close()
        Opportunity.objects.filter(pk=earlier.pk).delete()
        Opportunity.objects.filter(title=title).delete()
        organisation.delete()
        admin.delete()
        applicant.delete()


def test_a_reply_appears_live_for_another_reader_and_a_bar_offers_it_when_scrolled_up(
    browser, platform, committed_db
):
    from community.forums import posting
    from community.forums.models import Forum
    from core.trust import TRUSTED

    writer, _ = _member("Amina Live")
    reader, _ = _member("Bruno Live")
    writer.trust_level = TRUSTED  # a newcomer's first posts wait for a moderator
    writer.save(update_fields=["trust_level"])
    tag = uuid.uuid4().hex[:8]
    forum = Forum.objects.create(slug=f"live-{tag}", name=f"Live {tag}")
    long_text = "\n\n".join(f"Paragraph {n} about remittance costs." for n in range(8))
    thread = posting.start_thread(forum, writer, "Remittance costs", long_text)
    for n in range(4):
        posting.reply(thread, reader, f"Earlier reply {n}\n\n{long_text}")
    writer_context, writing = _tab(browser, platform)
    reader_context, reading = _tab(browser, platform)
    try:
        _log_in(writing, writer.email)
        _log_in(reading, reader.email)
        url = f"/en/forums/threads/{thread.pk}/"
        reading.goto(url)
        reading.wait_for_selector("[data-live-ready]", state="attached", timeout=5000)
        writing.goto(url)

        # At the end of the thread, the reply simply appears, within a second of being posted.
        reading.locator("article.post").last.scroll_into_view_if_needed()
        writing.locator("#id_body").fill("First live reply")
        writing.get_by_role("button", name="Post the reply").click()
        writing.wait_for_load_state()
        started = time.monotonic()
        reading.locator("article.post", has_text="First live reply").wait_for(timeout=1000)
        assert time.monotonic() - started < 1
        assert reading.locator("[data-new-posts]").is_hidden()

        # Scrolled up, the reader is offered the new post rather than pushed to it.
        reading.evaluate("window.scrollTo(0, 0)")
        writing.locator("#id_body").fill("Second live reply")
        writing.get_by_role("button", name="Post the reply").click()
        bar = reading.get_by_role("button", name="1 new post")
        bar.wait_for(timeout=2000)
        assert reading.evaluate("window.scrollY") == 0
        bar.click()
        second = reading.locator("article.post", has_text="Second live reply")
        assert second.evaluate("el => el === document.activeElement")
        assert bar.is_hidden()
    finally:
        for context in (writer_context, reader_context):
            context.close()
        forum.delete()
        writer.delete()
        reader.delete()


def test_a_mention_lights_the_badge_live_and_a_reported_post_hidden_by_a_moderator_is_gone(
    browser, platform, committed_db
):
    from community.forums import posting
    from community.forums.models import Forum
    from core.trust import TRUSTED
    from tests.factories import UserFactory, accept_current_policies, give_totp

    writer, _ = _member("Wafa Writer")
    mentioned, mentioned_profile = _member("Malik Mentioned")
    reader, _ = _member("Rosa Reader")
    writer.trust_level = TRUSTED  # a newcomer's first posts wait for a moderator
    writer.save(update_fields=["trust_level"])
    moderator = UserFactory(email=f"mod-{uuid.uuid4().hex[:8]}@example.net", role="Moderator")
    accept_current_policies(moderator)
    give_totp(moderator)
    tag = uuid.uuid4().hex[:8]
    forum = Forum.objects.create(slug=f"safety-{tag}", name=f"Safety {tag}")
    thread = posting.start_thread(forum, reader, "Sending money home", "Which service is cheapest?")
    contexts = [_tab(browser, platform) for _ in range(4)]
    (_, writing), (_, mentioned_page), (_, reading), (_, moderating) = contexts
    try:
        for page, user in ((writing, writer), (mentioned_page, mentioned), (reading, reader)):
            _log_in(page, user.email)
        url = f"/en/forums/threads/{thread.pk}/"

        # A mention lights the mentioned member's badge on the page they have open, no reload.
        mentioned_page.goto("/en/forums/")
        mentioned_page.wait_for_selector(
            "body[data-live-streams~=notifications]", state="attached", timeout=5000
        )
        badge = mentioned_page.locator("[data-unread-count]")
        assert badge.is_hidden()
        writing.goto(url)
        mention = f"@{mentioned_profile.display_name}#{mentioned_profile.pk}"
        writing.locator("#id_body").fill(
            f"{mention} knows: message me privately for a better rate."
        )
        writing.get_by_role("button", name="Post the reply").click()
        writing.wait_for_load_state()
        # The worker works out who hears of the reply (forums.tasks), as in production.
        assert platform.manage("worker", "--batch", "--no-startup-delay").returncode == 0
        badge.wait_for(state="visible", timeout=5000)
        assert mentioned_page.locator("[data-unread-number]").inner_text() == "1"

        # Another reader reports the reply; a moderator hides it from the queue.
        reading.goto(url)
        reply = reading.locator("article.post", has_text="message me privately")
        reply.get_by_role("link", name="Report").click()
        reading.get_by_label("Scam or fraud").check()
        reading.get_by_role("button", name="Send the report").click()
        reading.wait_for_load_state()

        sign_in_with_code(moderating, moderator)
        # The reader is back on the thread, and stays on it while the moderator decides.
        reading.goto(url)
        reading.wait_for_selector("[data-live-ready]", state="attached", timeout=5000)
        reading.evaluate("() => { window.sameDocument = true; }")  # gone if the page reloads
        assert reading.locator("article.post", has_text="message me privately").count() == 1
        moderating.goto("/en/moderation/")
        item = moderating.locator("li.reported-item", has_text="message me privately").first
        item.get_by_role("button", name="Hide").click()
        moderating.wait_for_load_state()

        # On the reader's open page the post collapses to a notice, without a reload.
        hidden = reading.locator("article.post", has_text="This post was hidden by a moderator.")
        hidden.wait_for(timeout=5000)
        assert reading.locator("article.post", has_text="message me privately").count() == 0
        assert "message me privately" not in reading.content()
        assert reading.evaluate("window.sameDocument") is True

        # Nor do readers who load it afresh: the one who reported it, a visitor.
        reading.goto(url)
        assert "message me privately" not in reading.content()
        assert "This post was hidden by a moderator." in reading.content()
        visitor_context, visitor = _tab(browser, platform)
        contexts.append((visitor_context, visitor))
        visitor.goto(url)
        assert "message me privately" not in visitor.content()
    finally:
        for context, _page in contexts:
            context.close()
        forum.delete()
        for user in (writer, mentioned, reader, moderator):
            user.delete()


def test_a_member_registers_for_an_event_and_downloads_its_calendar_file(
    browser, platform, committed_db
):
    """A visitor in Tokyo sees an Accra event in Accra's time and their own; signed in, they
    register, the join link appears, and the `.ics` they download holds the event in UTC."""
    from icalendar import Calendar

    from django.utils import timezone

    from community.events.models import Event, Registration
    from tests.organisations.conftest import make_organisation

    admin, _ = _member("Efua Boateng")
    attendee, _ = _member("Haruto Sato")
    organisation = make_organisation(admin, name=f"Accra Tech Circle {uuid.uuid4().hex[:6]}")
    start = (timezone.now() + timedelta(days=6)).replace(second=0, microsecond=0)
    event = Event.objects.create(
        organisation=organisation, title=f"Cloud skills clinic {uuid.uuid4().hex[:6]}",
        type="workshop", format="online", description="<p>Bring your laptop.</p>",
        join_url="https://meet.example.org/clinic-5521", time_zone="Africa/Accra",
        starts_at=start, ends_at=start + timedelta(hours=2), capacity=10,
    )  # fmt: skip
    context, page = _tab(browser, platform, timezone_id="Asia/Tokyo")
    try:
        page.goto(f"/en/events/{event.pk}/")
        assert "Africa/Accra" in page.locator("time").first.inner_text()
        assert "Asia/Tokyo" in page.locator(".your-time").first.inner_text()
        assert page.locator("[data-join-link]").count() == 0

        _log_in(page, attendee.email)
        page.goto(f"/en/events/{event.pk}/")
        page.get_by_role("button", name="Register", exact=True).click()
        page.wait_for_url(re.compile(rf"/en/events/{event.pk}/$"))
        assert "You are registered." in page.locator("main").inner_text()
        assert page.locator("[data-join-link]").inner_text() == event.join_url

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Add to my calendar (.ics)").click()
        download = download_info.value
        assert download.suggested_filename == f"event-{event.pk}.ics"
        calendar = Calendar.from_ical(open(download.path(), "rb").read())
        (entry,) = calendar.walk("VEVENT")
        assert str(entry["SUMMARY"]) == event.title
        assert entry.decoded("DTSTART") == start
        assert "clinic-5521" in str(entry["DESCRIPTION"])
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "event-registered-en.png"), full_page=True)
    finally:
        context.close()
        Registration.objects.filter(event=event).delete()
        event.delete()
        organisation.delete()
        admin.delete()
        attendee.delete()


def test_typing_at_and_a_name_offers_members_and_the_chosen_one_is_mentioned_and_told(
    browser, platform, committed_db
):
    """The reply box's autocomplete (forums/mentions.js): `@` and a few letters list matching
    members, never a protected one; arrow keys and Enter insert the chosen mention; once
    posted, that member's badge lights on the page they have open."""
    from community.forums import posting
    from community.forums.models import Forum
    from community.notifications.models import Notification
    from core.trust import TRUSTED

    tag = uuid.uuid4().hex[:6]
    writer, _ = _member(f"Wafa Autocomplete {tag}")
    first, _ = _member(f"Quilla Amaru {tag}")
    chosen, chosen_profile = _member(f"Quillan Mamani {tag}")
    protected, _ = _member(f"Quilla Hidden {tag}", protected=True)
    writer.trust_level = TRUSTED  # a newcomer's first posts wait for a moderator
    writer.save(update_fields=["trust_level"])
    forum = Forum.objects.create(slug=f"mentions-{tag}", name=f"Mentions {tag}")
    thread = posting.start_thread(forum, first, "Sending tools abroad", "Customs rules?")
    (writer_context, writing), (chosen_context, watching) = (
        _tab(browser, platform), _tab(browser, platform)
    )  # fmt: skip
    try:
        _log_in(watching, chosen.email)
        watching.goto("/en/forums/")
        watching.wait_for_selector(
            "body[data-live-streams~=notifications]", state="attached", timeout=5000
        )
        badge = watching.locator("[data-unread-count]")
        assert badge.is_hidden()

        _log_in(writing, writer.email)
        writing.goto(f"/en/forums/threads/{thread.pk}/")
        box = writing.locator("#id_body")
        box.click()
        box.press_sequentially("Ask @Quil")
        suggestions = writing.get_by_role("listbox")
        suggestions.wait_for(timeout=3000)
        options = suggestions.get_by_role("option")
        assert options.all_inner_texts() == [f"Quilla Amaru {tag}", f"Quillan Mamani {tag}"]
        assert "Hidden" not in suggestions.inner_text()  # a protected member is never offered
        # The first is highlighted, and a screen reader is told which.
        assert options.nth(0).get_attribute("aria-selected") == "true"
        assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
        assert_accessible(writing, "a thread's reply box with mention suggestions open")

        box.press("ArrowDown")
        assert options.nth(1).get_attribute("aria-selected") == "true"
        assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
        box.press("Enter")
        assert suggestions.is_hidden()
        handle = f"@Quillan Mamani {tag}#{chosen_profile.pk} "
        assert box.input_value() == f"Ask {handle}"  # no new line: Enter picked the name
        box.press_sequentially("about the customs rules.")
        writing.get_by_role("button", name="Post the reply").click()
        writing.wait_for_load_state()
        reply = writing.locator("article.post", has_text="about the customs rules.")
        assert reply.locator("strong").inner_text() == f"@Quillan Mamani {tag}"  # the name shown

        # The worker works out who hears of the reply (forums.tasks), as in production.
        assert platform.manage("worker", "--batch", "--no-startup-delay").returncode == 0
        badge.wait_for(state="visible", timeout=5000)
        assert watching.locator("[data-unread-number]").inner_text() == "1"
        assert Notification.objects.filter(recipient=chosen, kind="forums.mention").count() == 1
        assert not Notification.objects.filter(recipient=protected).exists()
    finally:
        for context in (writer_context, chosen_context):
            context.close()
        forum.delete()
        for user in (writer, first, chosen, protected):
            user.delete()


def test_a_reader_whose_socket_dropped_catches_up_on_reconnect_without_reloading(
    browser, platform, committed_db
):
    """The live socket drops and stays down (every new connection fails, as on a lost
    network) while a reply is posted and another edited; once connections work again the page's
    script reconnects and shows both, in the same page (static/js/site.js, forums/live.js)."""
    from community.forums import posting
    from community.forums.models import Forum

    tag = uuid.uuid4().hex[:8]
    writer, _ = _member("Amina Offline")
    reader, _ = _member("Bruno Offline")
    forum = Forum.objects.create(slug=f"reconnect-{tag}", name=f"Reconnect {tag}")
    thread = posting.start_thread(forum, writer, "Mobile money abroad", "Which apps work?")
    earlier = posting.reply(thread, writer, "M-Pesa works in some countries.")
    context, reading = _tab(browser, platform)
    try:
        _log_in(reading, reader.email)
        reading.goto(f"/en/forums/threads/{thread.pk}/")
        reading.wait_for_selector("[data-live-ready]", state="attached", timeout=5000)
        reading.evaluate("() => { window.sameDocument = true; }")  # gone if the page reloads
        # Cut the line: the open socket closes and every reconnection attempt fails.
        reading.evaluate("""() => {
            window.RealWebSocket = window.WebSocket;
            window.WebSocket = function () { return new RealWebSocket("ws://127.0.0.1:9/"); };
            window.diasporaLive.close();
        }""")
        reading.wait_for_function("window.diasporaLive.readyState === 3")  # closed

        posting.reply(thread, writer, "Wave is cheaper for Senegal.")
        posting.edit_post(earlier, writer, "M-Pesa works in Kenya and Tanzania.")
        time.sleep(1.5)  # long enough for a live event to have arrived, had the socket been up
        assert reading.locator("article.post", has_text="Wave is cheaper").count() == 0
        assert reading.locator("article.post", has_text="Kenya and Tanzania").count() == 0

        # The line is back: the next attempt (with backoff) reconnects and catches up.
        reading.evaluate("() => { window.WebSocket = window.RealWebSocket; }")
        reading.locator("article.post", has_text="Wave is cheaper for Senegal.").wait_for(
            timeout=10000
        )
        reading.locator(f"#post-{earlier.pk}", has_text="Kenya and Tanzania").wait_for(timeout=5000)
        assert reading.locator("article.post", has_text="Wave is cheaper").count() == 1
        assert reading.evaluate("window.sameDocument") is True
        # And it is live again: a reply posted now appears by itself.
        posting.reply(thread, writer, "Back online: Remitly too.")
        reading.locator("article.post", has_text="Back online: Remitly too.").wait_for(timeout=3000)
    finally:
        context.close()
        forum.delete()
        writer.delete()
        reader.delete()
