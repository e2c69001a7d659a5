"""Browser journeys in Chromium: what a new member does first, and the accessibility check."""

from __future__ import annotations

import re
import time
import uuid

import pyotp
import pytest

from tests.e2e.conftest import ARTIFACTS, assert_accessible, sign_in_with_code

PASSWORD = "a-long enough passphrase 42"


def test_sign_up_verify_log_in_switch_to_arabic_and_log_out(page, platform):
    email = f"newcomer-{uuid.uuid4().hex[:8]}@example.net"

    page.goto("/en/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Name (optional)").fill("Nadia")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("checkbox").check()
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/accounts/confirm-email/$"))
    assert "Verify Your Email Address" in page.content()

    # The worker finishes the sign-up and sends the mail (core.signup), as in production.
    assert platform.manage("worker", "--batch", "--no-startup-delay").returncode == 0
    message = platform.wait_for_email(email)
    link = re.search(r"http://127\.0\.0\.1:\d+(/en/accounts/confirm-email/\S+/)", message).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # A new member is offered the profile set-up first; they may leave it for later.
    page.wait_for_url(re.compile(r"/en/me/welcome/1/$"))
    assert page.locator(".step-count").inner_text() == "Step 1 of 4"
    page.get_by_role("button", name="Skip for now").click()
    page.wait_for_url(re.compile(r"/en/me/$"))
    assert page.locator(".signed-in").inner_text() == "Signed in as Nadia"
    page.goto("/en/")

    page.get_by_role("link", name="العربيّة").click()
    page.wait_for_url(re.compile(r"/ar/$"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("h1").inner_text() == "مركز المغتربين"

    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    assert page.locator("body[data-signed-in]").count() == 0
    assert page.get_by_role("link", name=re.compile("Nadia")).count() == 0


def test_bad_signup_input_keeps_what_was_typed_and_says_what_to_fix(page, platform):
    page.goto("/fr/accounts/signup/")
    page.get_by_label(re.compile("mail", re.I)).fill("quelqu-un@example.net")
    page.locator("input[name=password1]").fill("court")
    page.locator("input[name=password2]").fill("autre")
    page.get_by_role("checkbox").check()
    page.locator("form button[type=submit]").click()
    assert page.locator("input[name=email]").input_value() == "quelqu-un@example.net"
    errors = page.locator(".errors").all_inner_texts()
    assert errors, "the form should explain what to fix"
    assert page.locator("[aria-invalid=true]").count() >= 1


def test_narrow_screen_menu_folds_behind_a_button(page, platform):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/ar/")
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible()
    assert not page.locator("#menu-panel").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#menu-panel").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, "nothing should overflow sideways at 320 px"


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accounts/signup/",
        "/accounts/login/",
        "/terms/",
        "/members/",
        "/organisations/",
        "/organisations/ghana-diaspora-affairs/",
        "/opportunities/",
        "/library/",
        "/library/?type=report&sort=title",
        "/library/remittance-costs-horn-of-africa/",
        "/library/bonos-de-la-diaspora/",  # Spanish only: the "not yet translated" notice
        "/library/youth-voices/",
        "/handbook/",
        "/handbook/mobilising-skills-and-investment/",
        "/handbook/print/",
        "/countries/",
        "/countries/senegal/",  # with resources, organisations and opportunities panels
        "/courses/engaging-your-diaspora/",
        "/courses/engaging-your-diaspora/know-your-diaspora/finding-out-what-you-dont-know/",
        "/forums/",
        "/forums/remittances-and-finance/",
        "/events/",
        "/search/?q=remittances",  # results with highlights, badges and type tabs
    ],
)
def test_pages_have_no_serious_accessibility_violations(page, platform, lang, path):
    page.goto(f"/{lang}{path}")
    assert_accessible(page, f"/{lang}{path}")
    if path.startswith("/countries/"):
        ARTIFACTS.mkdir(exist_ok=True)
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_handbook_reads_on_screen_and_prints_on_paper(page, platform, lang):
    """A reader goes from the contents to a chapter, then the print view; on paper the site's
    navigation disappears and each chapter starts a new page."""
    page.goto(f"/{lang}/handbook/")
    page.locator(".handbook-toc > li > a").first.click()
    assert page.locator("h1#chapter-title").is_visible()
    page.locator('a[rel="next"]').click()
    assert "building-trust" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"handbook-chapter-{lang}.png"), full_page=True)
    page.goto(f"/{lang}/handbook/print/")
    assert page.locator("button[data-print]").is_visible()
    assert page.locator(".print-chapter").count() == 5
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    breaks = page.locator(".print-chapter").first.evaluate("e => getComputedStyle(e).breakBefore")
    assert breaks == "page"
    page.screenshot(path=str(ARTIFACTS / f"handbook-print-{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_home_page_shows_the_mission_and_the_latest_resources(page, platform, lang):
    page.goto(f"/{lang}/")
    assert page.locator(".home-mission").is_visible()
    cards = page.locator(".home-resources .resource-card")
    assert cards.count() == 5
    # Each leads into the reader's own library, whatever the resource's language.
    assert cards.first.locator("h3 a").get_attribute("href").startswith(f"/{lang}/library/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_opportunity_page_has_no_serious_accessibility_violations(
    page, platform, committed_db, lang
):
    from community.opportunities.models import Opportunity

    # A demo opportunity's address depends on its id, so it is looked up by its title.
    item = Opportunity.objects.get(title="Diaspora investment adviser")
    page.goto(f"/{lang}/opportunities/{item.pk}/")
    assert_accessible(page, f"/{lang}/opportunities/<id>/")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_event_page_has_no_serious_accessibility_violations(page, platform, committed_db, lang):
    from community.events.models import Event

    # A demo event's address depends on its id, so it is looked up by its title; this one
    # links a join link, seats and several languages.
    event = Event.objects.get(title="Recognising your qualifications abroad")
    page.goto(f"/{lang}/events/{event.pk}/")
    assert_accessible(page, f"/{lang}/events/<id>/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"event-{lang}.png"), full_page=True)
    page.goto(f"/{lang}/events/")
    page.screenshot(path=str(ARTIFACTS / f"events-{lang}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_forum_thread_has_no_serious_accessibility_violations(page, platform, committed_db, lang):
    from community.forums.models import Thread
    from tests.e2e.conftest import log_in
    from tests.factories import UserFactory, accept_current_policies

    # A thread in the page's language, by title (its id depends on the load order).
    title = {
        "en": "Cheapest way to send £200 a month home?",
        "ar": "أرخص طريقة لتحويل الأموال إلى الأهل",
    }[lang]
    thread = Thread.objects.get(title=title)
    page.goto(f"/{lang}/forums/threads/{thread.pk}/")
    assert page.locator("article.post").count() >= 3
    assert_accessible(page, f"/{lang}/forums/threads/<id>/")
    email = f"axe-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Layla")
    accept_current_policies(member)
    try:
        log_in(page, email, lang)
        page.wait_for_url(re.compile(rf"/{lang}/$"))
        page.goto(f"/{lang}/forums/threads/{thread.pk}/")
        # Signed in: reactions are buttons, the reply form is there, unread posts are marked.
        assert page.locator("form[action$='/react/'] button").count() >= 4
        assert page.locator("textarea[name=body]").is_visible()
        assert page.locator(".unread-marker").count() == 1
        assert_accessible(page, f"/{lang}/forums/threads/<id>/ (signed in)")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"forum-thread-{lang}.png"), full_page=True)
        page.goto(f"/{lang}/forums/{thread.forum.slug}/")
        assert page.locator(".thread-row .badge.new").count() >= 1  # never opened: unread
        page.screenshot(path=str(ARTIFACTS / f"forum-{lang}.png"), full_page=True)
        page.goto(f"/{lang}/forums/")
        page.screenshot(path=str(ARTIFACTS / f"forums-index-{lang}.png"), full_page=True)
    finally:
        member.delete()


@pytest.fixture(scope="module")
def forum_forms(platform, browser, django_db_blocker):
    """The forum's forms and the pages reached from an e-mail, with one log-in for all cases.

    A moderator (with a second factor) started a thread, so its edit forms are theirs; a
    member's reply was edited, so its history has a revision; the member has an unsubscribe
    link and an appeal link against a moderator's hiding of that reply. The moderator's tab is
    signed in once; the e-mail links open in a visitor's tab, as their recipient opens them.
    """
    from django.contrib.contenttypes.models import ContentType

    from community.forums import notices, posting
    from community.forums.models import Forum, Post
    from community.moderation.messaging import appeal_token
    from community.moderation.models import ModerationAction
    from community.notifications.tokens import unsubscribe_token
    from tests.factories import UserFactory, accept_current_policies, give_totp

    tag = uuid.uuid4().hex[:8]
    with django_db_blocker.unblock():
        moderator = UserFactory(email=f"forms-mod-{tag}@example.net", role="Moderator",
                                first_name="Mona")  # fmt: skip
        member = UserFactory(email=f"forms-member-{tag}@example.net", first_name="Rami")
        for user in (moderator, member):
            accept_current_policies(user)
        give_totp(moderator)
        forum = Forum.objects.create(slug=f"forms-{tag}", name=f"Transfers {tag}",
                                     description="Sending money home.")  # fmt: skip
        thread = posting.start_thread(
            forum, moderator, f"Fees on small transfers {tag}", "Which fees do you pay?",
            tags=["fees"], language="en",
        )  # fmt: skip
        reply = posting.reply(thread, member, "About 6 % through a bank.")
        posting.edit_post(reply, member, "About 6 % through a bank, 3 % with a mobile wallet.")
        action = ModerationAction.objects.create(
            moderator=moderator, kind=ModerationAction.Kind.HIDE, author=member,
            content_type=ContentType.objects.get_for_model(Post), object_id=reply.pk,
            object_repr=str(reply.body[:60]), reason="spam",
        )  # fmt: skip
        paths = {
            "new thread form": f"/forums/{forum.slug}/new/",
            "thread edit form": f"/forums/threads/{thread.pk}/edit/",
            "post edit form": f"/forums/posts/{thread.posts.order_by('pk')[0].pk}/edit/",
            "post history": f"/forums/posts/{reply.pk}/history/",
            "unsubscribe": "/notifications/unsubscribe/"
            + unsubscribe_token(member, [notices.REPLY, notices.MENTION])
            + "/",
            "appeal": f"/appeal/{appeal_token(action)}/",
        }
    moderator_context = browser.new_context(base_url=platform.url, bypass_csp=True, locale="en-GB")
    visitor_context = browser.new_context(base_url=platform.url, bypass_csp=True, locale="en-GB")
    try:
        signed_in = moderator_context.new_page()
        with django_db_blocker.unblock():
            sign_in_with_code(signed_in, moderator)
        yield {"paths": paths, "moderator": signed_in, "visitor": visitor_context.new_page()}
    finally:
        moderator_context.close()
        visitor_context.close()
        with django_db_blocker.unblock():
            forum.delete()
            member.delete()
            moderator.delete()


# Which tab opens each page (a moderator's, or a visitor's as from an e-mail) and what shows
# that the page is the one meant, with its content, not an error or an empty form.
FORUM_FORMS = {
    "new thread form": ("moderator", "main form input[name=title]"),
    "thread edit form": ("moderator", "main form input[name=title][value^='Fees on small']"),
    "post edit form": ("moderator", "main form textarea[name=body]"),
    "post history": ("moderator", "main pre.source >> nth=1"),  # the text and one revision
    "unsubscribe": ("visitor", "main article ul li >> nth=1"),  # the two kinds it stops
    "appeal": ("visitor", "main form textarea[name=text]"),
}


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("which", list(FORUM_FORMS))
def test_forum_forms_and_emailed_links_have_no_serious_accessibility_violations(
    forum_forms, lang, which
):
    whose, shown = FORUM_FORMS[which]
    page = forum_forms[whose]
    path = f"/{lang}{forum_forms['paths'][which]}"
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("main h1").count() == 1
    assert page.locator(shown).count() == 1, f"{which}: {shown}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"forum-{which.replace(' ', '-')}-{lang}.png"),
                    full_page=True)  # fmt: skip
    assert_accessible(page, f"{path} ({which})")


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("path", ["/accounts/data/", "/accounts/delete/"])
def test_signed_in_pages_have_no_serious_accessibility_violations(
    page, platform, committed_db, lang, path
):
    from tests.factories import UserFactory, accept_current_policies

    email = f"axe-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Layla")
    accept_current_policies(member)
    try:
        page.goto(f"/{lang}/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill("correct horse battery")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/{lang}/$"))
        page.goto(f"/{lang}{path}")
        assert page.locator("[aria-current=page]").count() == 1  # the menu says where we are
        assert_accessible(page, f"/{lang}{path} (signed in)")
    finally:
        member.delete()


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(
    "path",
    [
        "/opportunities/?type=job",
        "/opportunities/saved/",
        "/opportunities/searches/",
        "/me/",
        "/search/?q=remittances",
        "/search/saved/",
    ],
)
def test_saved_items_pages_have_no_serious_accessibility_violations(
    page, platform, committed_db, lang, path
):
    from community.opportunities.models import Opportunity, SavedOpportunity, SavedSearch
    from search.models import SavedSiteSearch
    from tests.factories import UserFactory, accept_current_policies

    email = f"axe-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Layla")
    accept_current_policies(member)
    # With something saved, so the lists, buttons and dashboard panels are what gets checked.
    item = Opportunity.objects.get(title="Diaspora investment adviser")
    SavedOpportunity.objects.create(member=member, opportunity=item)
    SavedSearch.objects.create(member=member, query="type=job&mode=remote", frequency="daily")
    SavedSiteSearch.objects.create(
        member=member, query="q=diaspora+bonds&country=SN&year=2025", language=lang
    )
    try:
        page.goto(f"/{lang}/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill("correct horse battery")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/{lang}/$"))
        page.goto(f"/{lang}{path}")
        shown = {
            "/opportunities/?type=job": "main form[action$='/opportunities/searches/new/']",
            "/opportunities/saved/": f"main form[action$='/opportunities/{item.pk}/save/']",
            "/opportunities/searches/": "main form[action$='/delete/']",
            "/me/": f"main a[href$='/opportunities/{item.pk}/']",
            "/search/?q=remittances": "main form[action$='/search/saved/new/']",
            "/search/saved/": "main form[action$='/delete/']",
        }[path]
        assert page.locator(shown).count() >= 1
        assert_accessible(page, f"/{lang}{path} (signed in, with saved items)")
    finally:
        member.delete()


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(
    "which", ["apply form", "own application", "applicants", "dashboard", "posting form"]
)
def test_expressions_of_interest_have_no_serious_accessibility_violations(
    page, platform, committed_db, lang, which
):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from community.opportunities.models import Application, ApplyMethod, Opportunity
    from tests.factories import PASSWORD, UserFactory, accept_current_policies

    # The signed-in member posted one on-site opportunity (with an applicant), applied to a
    # second, and may apply to a third: every page of the feature from one log-in.
    tag = uuid.uuid4().hex[:8]
    member = UserFactory(email=f"eoi-{tag}@example.net", first_name="Karim")
    other = UserFactory(email=f"eoi-other-{tag}@example.net", first_name="Awa")
    for user in (member, other):
        accept_current_policies(user)
    deadline = timezone.now() + timedelta(days=30)

    def on_site(poster, title):
        return Opportunity.objects.create(
            poster=poster, title=title, type="job", description="<p>Join us.</p>",
            deadline=deadline, status="published", review="approved",
            apply_method=ApplyMethod.ON_SITE,
        )  # fmt: skip

    mine = on_site(member, f"Health mentor {tag}")
    theirs = on_site(other, f"Data volunteer {tag}")
    open_one = on_site(other, f"Translator {tag}")
    application = Application(opportunity=mine, applicant=other, message="I would like to help.")
    application.cv.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    Application.objects.create(opportunity=theirs, applicant=member, message="Count me in.")
    path = {
        "apply form": f"/opportunities/{open_one.pk}/",
        "own application": f"/opportunities/{theirs.pk}/",
        "applicants": f"/opportunities/{mine.pk}/applicants/",
        "dashboard": "/me/",
        "posting form": "/opportunities/new/",  # the choice of how people apply
    }[which]
    try:
        page.goto(f"/{lang}/accounts/login/")
        page.locator("input[name=login]").fill(member.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/{lang}/$"))
        page.goto(f"/{lang}{path}")
        assert_accessible(page, f"/{lang}{path} ({which})")
    finally:
        for item in (mine, theirs, open_one):
            item.delete()
        member.delete()
        other.delete()


def test_an_editor_sets_up_two_factor_login_before_the_admin_opens(page, platform, committed_db):
    from allauth.mfa.models import Authenticator

    from tests.factories import UserFactory, accept_current_policies

    email = f"editor-{uuid.uuid4().hex[:8]}@example.net"
    editor = UserFactory(email=email, role="Editor", first_name="Lucía")
    accept_current_policies(editor)
    try:
        page.goto("/en/accounts/login/?next=/admin/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill("correct horse battery")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/2fa/totp/activate/"))
        assert "two-factor login" in page.content()  # the message says why
        assert_accessible(page, "two-factor set-up: confirm by e-mail")

        # The password alone does not unlock the set-up: a link goes to the verified address.
        assert not re.search(r"\b[A-Z2-7]{32}\b", page.content())
        page.get_by_role("button", name="E-mail me the link").click()
        page.wait_for_load_state()
        assert f"We sent a link to {email}" in page.content()
        message = platform.wait_for_email(email)
        link = re.search(r"http://127\.0\.0\.1:\d+(/en/accounts/2fa/enrol/\S+/)", message)
        page.goto(link.group(1))
        assert_accessible(page, "two-factor set-up: the e-mailed link")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
        if "/reauthenticate/" in page.url:
            page.get_by_label("Password").fill("correct horse battery")
            page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/2fa/totp/activate/"))

        secret = re.search(r"\b[A-Z2-7]{32}\b", page.content()).group(0)
        if time.time() % 30 > 25:  # a code about to roll over could expire in transit
            time.sleep(30 - time.time() % 30 + 0.5)
        page.get_by_label(re.compile("Authenticator code", re.I)).fill(pyotp.TOTP(secret).now())
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/2fa/recovery-codes/"))
        assert page.locator("main").get_by_text(re.compile(r"\b\d{8}\b")).count() >= 1

        page.goto("/admin/")
        assert page.url.endswith("/admin/")
        assert "Dashboard" in page.title()
        assert Authenticator.objects.filter(user=editor, type="totp").exists()
    finally:
        editor.delete()


def test_the_not_found_page_is_accessible_in_arabic(page, platform):
    response = page.goto("/ar/no-such-page/")
    assert response.status == 404
    assert_accessible(page, "/ar/no-such-page/ (404)")


def test_everything_works_without_javascript(browser, platform, committed_db):
    from tests.factories import UserFactory, accept_current_policies

    email = f"nojs-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Omar")
    accept_current_policies(member)
    context = browser.new_context(
        base_url=platform.url, java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    try:
        tab = context.new_page()
        tab.goto("/en/")
        assert tab.locator("#menu-panel").is_visible()  # no button needed to reach the menu
        assert not tab.locator(".menu-toggle").is_visible()
        tab.get_by_role("link", name="español").click()
        assert tab.locator("html").get_attribute("lang") == "es"
        tab.goto("/es/accounts/login/")
        tab.locator("input[name=login]").fill(email)
        tab.locator("input[name=password]").fill("correct horse battery")
        tab.locator("main form button[type=submit]").click()
        tab.wait_for_url(re.compile(r"/es/$"))
        assert "Omar" in tab.locator(".signed-in").inner_text()
    finally:
        context.close()
        member.delete()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_profile_and_the_profile_form_have_no_serious_accessibility_violations(
    browser, platform, committed_db, lang
):
    from community.members.models import Profile
    from tests.factories import PASSWORD, UserFactory, accept_current_policies

    shown = Profile.objects.get(user__email="aissatou@members.example.org")
    context = browser.new_context(
        base_url=platform.url, bypass_csp=True, locale="en-GB", timezone_id="Africa/Dakar"
    )
    page = context.new_page()
    page.goto(f"/{lang}/members/{shown.pk}/")
    assert page.locator("h1").inner_text() == "Aïssatou Ndiaye"
    assert_accessible(page, f"/{lang}/members/{shown.pk}/")

    email = f"profile-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Nadia")
    accept_current_policies(member)
    try:
        page.goto(f"/{lang}/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/{lang}/$"))
        page.goto(f"/{lang}/members/me/edit/")
        # The browser's time zone (the script's guess) fills the empty field.
        assert page.locator("#id_time_zone").input_value() == "Africa/Dakar"
        assert_accessible(page, f"/{lang}/members/me/edit/")
    finally:
        context.close()
        member.delete()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_dashboard_and_the_profile_set_up_have_no_serious_accessibility_violations(
    page, platform, committed_db, lang
):
    from community.members.models import Onboarding, Profile
    from tests.factories import PASSWORD, UserFactory, accept_current_policies

    email = f"welcome-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Samira")
    accept_current_policies(member)
    Profile.objects.create(user=member, onboarding=Onboarding.PENDING)
    try:
        page.goto(f"/{lang}/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/{lang}/me/welcome/1/$"))
        assert page.locator("[aria-current=step]").count() == 1
        page.locator("#id_headline").fill("<b>Nurse</b>")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(rf"/{lang}/me/welcome/1/$"))
        assert page.locator(".errors").count() == 1  # kept on the step, told what to fix
        assert_accessible(page, f"/{lang}/me/welcome/1/ (with an error)")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"onboarding-step1-{lang}.png"), full_page=True)
        page.goto(f"/{lang}/me/welcome/4/")
        assert_accessible(page, f"/{lang}/me/welcome/4/")
        page.screenshot(path=str(ARTIFACTS / f"onboarding-step4-{lang}.png"), full_page=True)

        page.goto(f"/{lang}/me/")
        assert page.locator("[aria-current=page]").count() == 1  # the menu says where we are
        assert page.locator("progress").count() == 1
        assert_accessible(page, f"/{lang}/me/")
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{lang}.png"), full_page=True)
    finally:
        member.delete()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_report_form_and_the_moderator_list_have_no_serious_accessibility_violations(
    page, platform, committed_db, lang, tmp_path
):
    from community.members.models import Profile
    from community.moderation.models import Report
    from tests.factories import UserFactory, accept_current_policies, give_totp

    shown = Profile.objects.get(user__email="aissatou@members.example.org")
    email = f"moderator-{uuid.uuid4().hex[:8]}@example.net"
    moderator = UserFactory(email=email, role="Moderator", first_name="Mona")
    accept_current_policies(moderator)
    give_totp(moderator)
    reporter = UserFactory(first_name="Rami")
    report = Report.objects.create(
        target=shown, reporter=reporter, reason="scam", text="Asks for a fee before an interview."
    )
    from community.forums import posting
    from community.forums.models import Thread

    held = posting.reply(
        Thread.objects.filter(hidden=False, deleted=False).first(),
        reporter,
        "Held for the moderators: a guaranteed visa.",
        hold=True,
    )
    try:
        sign_in_with_code(page, moderator, lang)

        page.goto(f"/{lang}/report/members.profile/{shown.pk}/")
        assert page.locator("input[name=reason]").count() >= 6
        page.screenshot(path=str(tmp_path / f"report-{lang}.png"), full_page=True)
        assert_accessible(page, f"/{lang}/report/members.profile/{shown.pk}/")

        page.goto(f"/{lang}/moderation/")
        assert "Asks for a fee before an interview." in page.content()
        page.screenshot(path=str(tmp_path / f"moderation-{lang}.png"), full_page=True)
        assert_accessible(page, f"/{lang}/moderation/")

        page.goto(f"/{lang}/forums/review/")
        assert "Held for the moderators" in page.content()
        assert_accessible(page, f"/{lang}/forums/review/")

        # The moderators' other pages: the log, the screened words, a member's trust level.
        for path in ("/moderation/log/", "/moderation/words/", "/moderation/trust/",
                     "/organisations/verification/held/"):  # fmt: skip
            page.goto(f"/{lang}{path}")
            assert page.locator("main h1").count() == 1
            page.screenshot(path=str(tmp_path / f"moderation-{path.split('/')[2]}-{lang}.png"),
                            full_page=True)  # fmt: skip
            assert_accessible(page, f"/{lang}{path}")
    finally:
        held.delete()
        report.delete()
        reporter.delete()
        moderator.delete()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_contact_page_has_no_serious_accessibility_violations(
    page, platform, committed_db, lang
):
    from community.members.models import Profile
    from tests.factories import PASSWORD, UserFactory, accept_current_policies

    recipient = UserFactory(email=f"open-{uuid.uuid4().hex[:8]}@example.net", first_name="Karim")
    accept_current_policies(recipient)
    shown = Profile.objects.create(user=recipient, open_to=["mentoring", "speaking"])
    email = f"contact-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Leila")
    accept_current_policies(member)
    try:
        page.goto(f"/{lang}/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/{lang}/$"))
        page.goto(f"/{lang}/members/{shown.pk}/contact/")
        assert page.locator("h1").count() == 1
        assert_accessible(page, f"/{lang}/members/<id>/contact/")
        page.locator("input[value=mentoring]").check()
        page.locator("#id_message").fill("<b>Hello</b>")
        page.locator("main form button[type=submit]").click()
        assert page.locator(".errors").count() == 1  # refused, what was typed is kept
        assert page.locator("#id_message").input_value() == "<b>Hello</b>"
        assert_accessible(page, f"/{lang}/members/<id>/contact/ (with an error)")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"contact-{lang}.png"), full_page=True)
        page.goto(f"/{lang}/members/{shown.pk}/block/")
        assert_accessible(page, f"/{lang}/members/<id>/block/")
    finally:
        member.delete()
        recipient.delete()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_notification_centre_has_no_serious_accessibility_violations(
    page, platform, committed_db, lang
):
    from community.organisations.models import Organisation
    from core.notify import notify
    from tests.factories import UserFactory, accept_current_policies

    email = f"axe-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Layla")
    accept_current_policies(member)
    organisation = Organisation.objects.filter(hidden=False).first()
    # One unread and one read, so the list, its markers and its buttons are what gets checked.
    notify("organisations.verification", member, target=organisation, decision="approved",
           organisation=organisation.name)  # fmt: skip
    read = notify("organisations.verification", member, target=organisation, decision="rejected",
                  organisation=organisation.name, reason="-")  # fmt: skip
    type(read).objects.filter(pk=read.pk).update(read_at=read.created_at)
    try:
        page.goto(f"/{lang}/accounts/login/")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill("correct horse battery")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/{lang}/$"))
        page.goto(f"/{lang}/notifications/")
        assert page.locator("main .notification-list li").count() == 2
        assert page.locator("[aria-current=page]").count() == 1
        assert_accessible(page, f"/{lang}/notifications/ (signed in)")
        page.goto(f"/{lang}/notifications/preferences/")
        assert page.locator("main form").count() >= 1
        assert_accessible(page, f"/{lang}/notifications/preferences/ (signed in)")
    finally:
        member.delete()


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(
    "which", ["calendar feed", "my events", "attendees", "new event form", "edit form"]
)
def test_event_organiser_and_attendee_pages_have_no_serious_accessibility_violations(
    page, platform, committed_db, lang, which
):
    from datetime import timedelta

    from django.utils import timezone

    from community.events.models import CalendarFeed, Event, Registration
    from tests.factories import PASSWORD, UserFactory, accept_current_policies
    from tests.organisations.conftest import make_organisation

    # The member administers an organisation whose event has an attendee and someone waiting,
    # is registered for it themself and has a calendar address: every list and form has rows.
    tag = uuid.uuid4().hex[:8]
    member = UserFactory(email=f"ev-{tag}@example.net", first_name="Amina")
    other = UserFactory(email=f"ev-other-{tag}@example.net", first_name="Yusuf")
    for user in (member, other):
        accept_current_policies(user)
    organisation = make_organisation(member, name=f"Rabat Skills Circle {tag}")
    start = (timezone.now() + timedelta(days=5)).replace(second=0, microsecond=0)
    event = Event.objects.create(
        organisation=organisation, title=f"Mentoring evening {tag}", type="meetup",
        format="online", description="<p>Meet mentors.</p>", capacity=1,
        join_url="https://meet.example.org/mentors-7710", time_zone="Africa/Casablanca",
        starts_at=start, ends_at=start + timedelta(hours=2),
    )  # fmt: skip
    Registration.objects.create(event=event, member=member, status="confirmed")
    Registration.objects.create(event=event, member=other, status="waitlisted")
    CalendarFeed.objects.create(member=member)
    path = {
        "calendar feed": "/events/calendar/",
        "my events": "/events/mine/",
        "attendees": f"/events/{event.pk}/attendees/",
        "new event form": "/events/new/",
        "edit form": f"/events/{event.pk}/edit/",
    }[which]
    try:
        page.goto(f"/{lang}/accounts/login/")
        page.locator("input[name=login]").fill(member.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/{lang}/$"))
        response = page.goto(f"/{lang}{path}")
        assert response.status == 200
        assert_accessible(page, f"/{lang}{path} ({which})")
        ARTIFACTS.mkdir(exist_ok=True)
        name = which.replace(" ", "-")
        page.screenshot(path=str(ARTIFACTS / f"events-{name}-{lang}.png"), full_page=True)
    finally:
        event.delete()
        organisation.delete()
        member.delete()
        other.delete()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_search_box_suggests_as_you_type_and_opens_a_suggestion_by_keyboard(
    page, platform, lang
):
    """A reader types an unfinished word: a topic (in the page's language, found from an
    English term) and titles appear under the box; arrow keys choose, Enter opens; Escape
    closes the list. The open list passes axe."""
    page.goto(f"/{lang}/search/")
    box = page.locator("#search-q")
    assert box.get_attribute("role") == "combobox"
    box.press_sequentially("remitt", delay=30)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option")
    topic = "التحويلات المالية" if lang == "ar" else "Remittances"
    assert options.first.locator(".suggestion-label").inner_text() == topic
    assert options.count() > 1  # titles follow the topic
    assert page.get_by_role("status").filter(has_text=re.compile(r"\d|اقتراح")).count() == 1
    assert_accessible(page, f"/{lang}/search/ with suggestions open")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"search-suggestions-{lang}.png"))
    box.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    box.press("n")  # "remittn": a letter off still finds them
    listbox.wait_for()
    box.press("ArrowDown")
    box.press("ArrowDown")
    chosen = options.nth(1)
    assert chosen.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == chosen.get_attribute("id")
    box.press("Enter")
    page.wait_for_load_state()
    assert "/search/" not in page.url  # the title's own page, not a search


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_member_saves_a_search_and_manages_it_from_the_page(page, platform, committed_db, lang):
    """Signed in, a member searches, narrows by a facet, saves the search with a name and a
    frequency (a plain form), is told so on the page, finds it named in their language on
    their saved searches, changes how often it e-mails and deletes it. Both pages pass axe."""
    from search.models import SavedSiteSearch
    from tests.e2e.conftest import log_in
    from tests.factories import UserFactory, accept_current_policies

    email = f"saver-{uuid.uuid4().hex[:8]}@example.net"
    member = UserFactory(email=email, first_name="Amina")
    accept_current_policies(member)
    try:
        log_in(page, email, lang)
        page.wait_for_url(re.compile(rf"/{lang}/$"))
        page.goto(f"/{lang}/search/?q=remittances")
        page.locator(".search-refine a").first.click()  # narrow by the first facet offered
        page.wait_for_load_state()
        form = page.locator("form.save-search")
        form.get_by_label(re.compile("Name|الاسم")).fill("Remittance watch")
        form.locator("select[name=frequency]").select_option("daily")
        assert_accessible(page, f"/{lang}/search/ with the save form")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"search-save-{lang}.png"), full_page=True)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".saved-already").is_visible()
        assert page.locator(".messages").is_visible()
        saved = SavedSiteSearch.objects.get(member=member)
        assert saved.language == lang and saved.frequency == "daily"
        assert "q=remittances" in saved.query and "&" in saved.query  # the facet was kept
        page.locator(".saved-already a").click()
        page.wait_for_url(re.compile(rf"/{lang}/search/saved/$"))
        row = page.locator(".saved-searches li")
        assert row.count() == 1 and "Remittance watch" in row.inner_text()
        assert_accessible(page, f"/{lang}/search/saved/")
        page.screenshot(path=str(ARTIFACTS / f"search-saved-{lang}.png"), full_page=True)
        row.locator("select[name=frequency]").select_option("never")
        row.locator(".saved-actions form button").first.click()
        page.wait_for_load_state()
        saved.refresh_from_db()
        assert saved.frequency == "never"
        page.locator(".saved-searches li .saved-actions form button").nth(1).click()
        page.wait_for_load_state()
        assert not SavedSiteSearch.objects.filter(member=member).exists()
    finally:
        member.delete()
