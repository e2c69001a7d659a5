"""The handbook as readers use it: numbered contents, previous/next, stable anchors, the print
view, practice boxes in the reader's language, the chapters a resource is cited by, the fallback
for untranslated chapters, drafts hidden, bounded queries. Runs on the demo handbook."""

from __future__ import annotations

import re

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Locale

from knowledge.demo_handbook import CHAPTERS
from knowledge.models import ChapterPage, HandbookPage, ResourcePage
from tests.factories import UserFactory, accept_current_policies

pytestmark = pytest.mark.django_db

EN_TITLES = [texts["en"][0] for _reviewed, texts, _body in CHAPTERS.values()]


def handbook(language: str = "en") -> HandbookPage:
    return HandbookPage.objects.get(locale__language_code=language)


def add_chapter(language: str, title: str, slug: str, body=(), publish: bool = True):
    page = ChapterPage(title=title, slug=slug, intro=f"About {title}", body=list(body),
                       live=publish)  # fmt: skip
    handbook(language).add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ChapterPage.objects.get(pk=page.pk)


def member_client() -> Client:
    member = UserFactory()
    accept_current_policies(member)
    reader = Client()
    reader.force_login(member)
    return reader


def positions(html: str, needles: list[str]) -> list[int]:
    return [html.index(needle) for needle in needles]


def test_contents_are_numbered_in_order_with_sections(client):
    response = client.get("/en/handbook/")
    entries = response.context["entries"]
    assert [e.page.title for e in entries] == EN_TITLES
    assert [e.number for e in entries] == [1, 2, 3, 4, 5]
    first = entries[0]
    assert [s.number for s in first.sections] == ["1.1", "1.2", "1.3"]
    assert first.sections[0].title == "Start from what already exists"
    html = response.content.decode()
    found = positions(html, EN_TITLES)
    assert found == sorted(found)
    link = f'href="/en/handbook/mapping-diasporas/#{first.sections[0].anchor}"'
    assert link in html
    assert 'href="/en/handbook/print/"' in html


def test_chapter_has_anchored_numbered_headings_and_last_reviewed(client):
    response = client.get("/en/handbook/building-trust/")
    html = response.content.decode()
    assert "Chapter 2" in html
    sections = response.context["sections"]
    assert [s.number for s in sections] == ["2.1", "2.2", "2.3"]
    for section in sections:
        assert f'<h2 id="{section.anchor}"><span class="section-number">{section.number}' in html
        assert f'href="#{section.anchor}"' in html
    assert '<time datetime="2025-10-03">' in html


def test_heading_anchor_survives_rewording_and_translation(client):
    chapter = add_chapter("en", "Diaspora media", "diaspora-media", [
        {"type": "heading", "value": {"text": "Radio first", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Community radio reaches further.</p>"},
    ])  # fmt: skip
    before = client.get(chapter.url).context["sections"][0]
    assert before.number == "6.1"
    body = [dict(block) for block in chapter.body.raw_data]
    body[0] = {**body[0], "value": {"text": "Radio, first of all", "level": "h2"}}
    chapter.body = body
    chapter.save_revision().publish()
    after = client.get(chapter.url).context["sections"][0]
    assert after.title == "Radio, first of all"
    assert after.anchor == before.anchor
    copy = chapter.copy_for_translation(Locale.objects.get(language_code="fr"))
    copy.save_revision().publish()
    french = client.get("/fr/handbook/diaspora-media/")
    assert french.context["sections"][0].anchor == before.anchor


def test_previous_and_next_follow_the_contents(client):
    first = client.get("/en/handbook/mapping-diasporas/")
    assert first.context["previous"] is None
    assert first.context["next"].page.title == EN_TITLES[1]
    middle = client.get("/en/handbook/enabling-frameworks/").content.decode()
    assert 'rel="prev" href="/en/handbook/building-trust/"' in middle
    assert 'rel="next" href="/en/handbook/mobilising-skills-and-investment/"' in middle
    last = client.get("/en/handbook/measuring-results/")
    assert last.context["next"] is None
    assert last.context["previous"].number == 4


def test_print_view_holds_every_chapter_in_order(client):
    response = client.get("/en/handbook/print/")
    assert response.status_code == 200
    html = response.content.decode()
    chapters = [f'id="chapter-{n}-title"' for n in range(1, 6)]
    found = positions(html, chapters)
    assert found == sorted(found)
    # Each chapter's full text, its section headings one level down, its practice boxes.
    assert "Most governments know less about their diaspora" in html
    assert "Publish what you learn" in html
    assert re.search(r'<h3 id="s-[0-9a-f]{8}"><span class="section-number">5\.3</span>', html)
    assert html.count('class="practice"') == 10
    # Links to resources are absolute, so that the printed address leads somewhere.
    assert 'href="http://testserver/en/library/mapping-your-diaspora/"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "break-before: page" in open("knowledge/static/knowledge/handbook.css").read()


def test_practice_box_shows_the_readers_translation(client):
    french = client.get("/fr/handbook/mapping-diasporas/").content.decode()
    assert "Cartographier sa diaspora : une boîte à outils pratique" in french
    assert 'href="/fr/library/mapping-your-diaspora/"' in french
    spanish = client.get("/es/handbook/building-trust/").content.decode()
    assert "Nuevos servicios consulares para la ciudadanía en el exterior" in spanish
    skills = client.get("/es/handbook/mobilising-skills-and-investment/").content.decode()
    assert "Bonos de la diáspora: lecciones de América Latina" in skills


def test_untranslated_practice_resource_keeps_its_original_with_a_badge(client):
    html = client.get("/ar/handbook/mapping-diasporas/").content.decode()
    assert "Mapping your diaspora: a practical toolkit" in html
    assert 'href="/ar/library/mapping-your-diaspora/"' in html
    assert 'class="language-badge"' in html


def test_resource_lists_the_chapters_that_cite_it(client):
    html = client.get("/en/library/mapping-your-diaspora/").content.decode()
    assert "Handbook chapters that cite it" in html
    assert 'href="/en/handbook/mapping-diasporas/"' in html
    assert 'href="/en/handbook/measuring-results/"' in html
    # In French, the French copies of the chapters; a citation of any copy counts.
    french = client.get("/fr/library/mapping-your-diaspora/").content.decode()
    assert "Cartographier les diasporas" in french
    assert "Mesurer les résultats" in french


def test_citations_follow_publication(client):
    resource = ResourcePage.objects.get(slug="diaspora-skills-survey")
    chapter = add_chapter("en", "Volunteering", "volunteering", [
        {"type": "practice", "value": {"resource": resource.pk, "note": ""}}
    ])  # fmt: skip
    assert "Volunteering" in client.get(resource.url).content.decode()
    # Its draft drops the box: still cited until that draft is published.
    chapter.body = []
    chapter.save_revision()
    assert "Volunteering" in client.get(resource.url).content.decode()
    chapter.save_revision().publish()
    assert "Volunteering" not in client.get(resource.url).content.decode()
    chapter.body = [{"type": "practice", "value": {"resource": resource.pk, "note": ""}}]
    chapter.save_revision().publish()
    chapter.unpublish()
    assert "Volunteering" not in client.get(resource.url).content.decode()


def test_untranslated_chapter_falls_back_to_the_original_with_a_notice(client):
    add_chapter("en", "Working with host countries", "host-countries")
    contents = client.get("/fr/handbook/")
    entry = contents.context["entries"][-1]
    assert entry.page.title == "Working with host countries"
    assert entry.number == 6 and entry.url == "/fr/handbook/host-countries/"
    assert 'class="language-badge"' in contents.content.decode()
    page = client.get("/fr/handbook/host-countries/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Working with host countries" in html
    assert 'role="note"' in html
    assert page.context["previous"].page.title == "Mesurer les résultats"
    print_view = client.get("/fr/handbook/print/").content.decode()
    assert "Working with host countries" in print_view


def test_drafts_and_unpublished_changes_stay_hidden(client):
    add_chapter("en", "Secret draft chapter", "secret-chapter", publish=False)
    live = ChapterPage.objects.get(slug="building-trust", locale__language_code="en")
    live.title = "Unpublished new title"
    live.save_revision()
    for reader in (client, member_client()):
        assert reader.get("/en/handbook/secret-chapter/").status_code == 404
        assert reader.get("/fr/handbook/secret-chapter/").status_code == 404
        for path in ("/en/handbook/", "/en/handbook/print/", "/en/handbook/building-trust/"):
            html = reader.get(path).content.decode()
            assert "Secret draft chapter" not in html and "Unpublished new title" not in html


def test_unpublished_handbook_hides_its_print_view(client):
    handbook("en").unpublish()
    assert client.get("/en/handbook/print/").status_code == 404


def test_navigation_reaches_the_handbook_in_the_readers_language(client):
    assert reverse("handbook:index") == "/en/handbook/"
    home = client.get("/ar/").content.decode()
    assert 'href="/ar/handbook/"' in home
    response = client.get("/ar/handbook/")
    assert response.status_code == 200
    assert "دليل: إشراك المغتربين" in response.content.decode()


# Signed in: the session and the member, then the pages down the path (one query for the
# path, one for the page's own row: knowledge.routing), their view restrictions (one), the user
# bar's permissions (one). The handbook adds its chapters, the practice boxes' resources and
# their cover renditions, whatever the number of chapters or boxes.
QUERY_BUDGET = {
    "/en/handbook/": 7,
    "/en/handbook/print/": 9,
    "/en/handbook/mobilising-skills-and-investment/": 11,
    "/ar/handbook/mapping-diasporas/": 11,
}


@pytest.mark.parametrize("path", list(QUERY_BUDGET))
def test_signed_in_queries_are_bounded_and_do_not_grow(settings, path):
    settings.PAGE_CACHE_SECONDS = 0
    reader = member_client()

    def count() -> int:
        reader.get(path)  # the first view fills the per-process memos
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(path).status_code == 200
        sql = "\n".join(q["sql"][:300] for q in queries.captured_queries)
        assert len(queries) <= QUERY_BUDGET[path], sql
        return len(queries)

    few = count()
    resources = list(ResourcePage.objects.live().values_list("pk", flat=True))
    for number in range(4):
        box = {"type": "practice", "value": {"resource": resources[number], "note": "See it"}}
        add_chapter("en", f"Extra {number}", f"extra-{number}", [
            {"type": "heading", "value": {"text": f"Part {number}", "level": "h2"}}, box, box,
        ])  # fmt: skip
    assert count() == few


def test_loading_the_demo_again_duplicates_nothing():
    from django.core.management import call_command

    from knowledge.models import ChapterCitation

    counts = (HandbookPage.objects.count(), ChapterPage.objects.count(),
              ChapterCitation.objects.count())  # fmt: skip
    assert counts[:2] == (4, 4 * len(CHAPTERS))
    call_command("load_demo", verbosity=0)
    assert (HandbookPage.objects.count(), ChapterPage.objects.count(),
            ChapterCitation.objects.count()) == counts  # fmt: skip


@pytest.mark.parametrize(
    "path", ["/en/handbook/", "/ar/handbook/", "/en/handbook/mobilising-skills-and-investment/",
             "/en/handbook/print/", "/ar/handbook/print/"],
)  # fmt: skip
def test_first_view_stays_under_60_kb_without_images(client, path):
    from django.contrib.staticfiles import finders

    html = client.get(path).content.decode()
    styles_and_scripts = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    size = len(html.encode()) + sum(
        len(open(finders.find(name), "rb").read()) for name in styles_and_scripts
    )
    assert size <= 60_000, size


def test_a_chapter_cannot_take_the_print_views_address():
    from django.core.exceptions import ValidationError

    chapter = ChapterPage(title="Print", slug="print", intro="x")
    chapter.path, chapter.depth = handbook().path + "9999", handbook().depth + 1
    with pytest.raises(ValidationError) as error:
        chapter.full_clean()
    assert "kept for the print view" in str(error.value)


def test_editors_write_chapters_with_practice_boxes_in_the_admin():
    from tests.factories import sign_in_with_second_factor

    editor = UserFactory(role="Editor")
    accept_current_policies(editor)
    admin = Client()
    sign_in_with_second_factor(admin, editor)
    form = admin.get(f"/admin/pages/add/knowledge/chapterpage/{handbook().pk}/")
    assert form.status_code == 200
    text = form.content.decode()
    assert "Practice box" in text and "Last reviewed" in text


def test_a_members_only_chapter_is_listed_nowhere(client):
    from wagtail.models import PageViewRestriction

    resource = ResourcePage.objects.get(slug="youth-voices")
    hidden = add_chapter("en", "Members-only chapter", "members-only", [
        {"type": "practice", "value": {"resource": resource.pk, "note": ""}}
    ])  # fmt: skip
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    assert client.get("/en/handbook/members-only/").status_code == 302  # to the log-in
    # Its members read it unnumbered: it has no place in the public contents.
    assert "Chapter 0" not in member_client().get("/en/handbook/members-only/").content.decode()
    for reader in (client, member_client()):
        for path in ("/en/handbook/", "/en/handbook/print/", resource.url):
            assert "Members-only chapter" not in reader.get(path).content.decode()


def test_a_signed_in_reader_sees_a_chapter_published_since_their_last_view_at_once():
    # The contents and the print view are kept per process for every reader of a language
    # (knowledge.handbook), and forgotten as soon as anything is published.
    reader = member_client()
    first = reader.get("/en/handbook/mapping-diasporas/")
    reader.get("/en/handbook/print/")
    second = ChapterPage.objects.get(pk=first.context["next"].page.pk)
    second.title = "A chapter renamed just now"
    second.save_revision().publish()
    chapter = reader.get("/en/handbook/mapping-diasporas/").content.decode()
    assert "A chapter renamed just now" in chapter
    assert "A chapter renamed just now" in reader.get("/en/handbook/print/").content.decode()
    add_chapter("en", "A chapter added just now", "added-just-now")
    assert "A chapter added just now" in reader.get("/en/handbook/print/").content.decode()


def test_a_members_print_view_shows_a_published_edit_at_once():
    # The chapters are drawn once per process and language for members (never served from the
    # page cache), and forgotten on any publish.
    from knowledge.models import ChapterPage

    reader = member_client()
    assert (
        "Most governments know less about their diaspora"
        in reader.get("/en/handbook/print/").content.decode()
    )
    chapter = ChapterPage.objects.live().filter(locale__language_code="en").first()
    body = [dict(block) for block in chapter.body.raw_data]
    paragraph = next(n for n, block in enumerate(body) if block["type"] == "paragraph")
    body[paragraph] = {**body[paragraph], "value": "<p>Edited for the printed copy.</p>"}
    chapter.body = body
    chapter.save_revision().publish()
    assert "Edited for the printed copy." in reader.get("/en/handbook/print/").content.decode()
