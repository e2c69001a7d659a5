"""Files around library resources: documents stay private until their page is published,
videos embed without the internet, images are resized on publication, not on a reader's view."""

from __future__ import annotations

import socket

import pytest

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404
from django.test import Client, RequestFactory, override_settings

from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed
from wagtail.images import get_image_model

from knowledge.blocks import OfflineEmbedBlock
from knowledge.embeds import find_offline_embed
from knowledge.images import ALL_SPECS
from knowledge.models import ResourceAttachment
from tests.factories import UserFactory, accept_current_policies, force_login_with_second_factor

from .conftest import make_image, make_resource

pytestmark = pytest.mark.django_db


def _reader(role: str | None, second_factor: bool = False) -> Client:
    reader = Client()
    if role:
        user = UserFactory(role=role)
        accept_current_policies(user)
        if second_factor:
            force_login_with_second_factor(reader, user)
        else:
            reader.force_login(user)
    return reader


def _document(title: str = "Annex"):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"figures,1\n", name=f"{title.lower()}.csv")
    )


def _attach(page, document) -> None:
    page.attachments.add(ResourceAttachment(document=document))


def test_a_document_of_a_draft_is_only_for_editors_until_publication(libraries):
    document = _document()
    draft = make_resource(libraries["en"], "Draft with annex", slug="annex", publish=False)
    _attach(draft, document)
    draft.save_revision()
    draft.save()  # a draft never published keeps its content in its row, as the admin does
    # An editor's password alone reads as a member (`core.privilege`): the code opens it.
    for role in (None, "Member", "Editor"):
        assert _reader(role).get(document.url).status_code == 404, role
    assert _reader("Editor", second_factor=True).get(document.url).status_code == 200
    draft.save_revision().publish()
    response = _reader(None).get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"figures,1\n"


def test_a_document_added_in_an_unpublished_revision_stays_hidden(libraries):
    page = make_resource(libraries["en"], "Live page", slug="live-page")
    document = _document("Later")
    _attach(page, document)
    page.save_revision()  # not published: the live page does not link it yet
    assert _reader(None).get(document.url).status_code == 404
    assert _reader("Member").get(document.url).status_code == 404


def test_a_document_no_page_links_is_not_served_to_readers(libraries):
    document = _document("Loose")
    assert _reader(None).get(document.url).status_code == 404


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize(
    "url,player",
    [
        ("https://www.youtube.com/watch?v=aqz-KE-bpKQ", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        ("https://youtu.be/aqz-KE-bpKQ?t=3", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        ("https://www.youtube.com/shorts/aqz-KE-bpKQ", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)  # fmt: skip
def test_supported_videos_embed_without_the_network(no_network, url, player):
    assert find_offline_embed(url).player_url == player
    embed = get_embed(url)
    assert f'src="{player}"' in embed.html


@pytest.mark.parametrize(
    "url",
    ["https://example.com/watch?v=aqz-KE-bpKQ", "javascript:alert(1)",
     "https://www.youtube.com/watch?v=short", "https://vimeo.com/channels/staff"],
)  # fmt: skip
def test_other_addresses_are_refused_with_a_clear_message(no_network, url):
    with pytest.raises(ValidationError, match="Only videos from YouTube, Vimeo can be embedded"):
        OfflineEmbedBlock().clean(url)


def test_a_resource_with_a_video_renders_the_private_player(no_network, client, libraries):
    make_resource(
        libraries["en"], "Film", slug="film", kind="video",
        body=[{"type": "embed", "value": "https://youtu.be/aqz-KE-bpKQ"}],
    )  # fmt: skip
    page = client.get("/en/library/film/").content.decode()
    assert '<iframe src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"' in page
    assert 'title="Video on YouTube"' in page


def test_renditions_are_made_on_publication_and_never_on_a_readers_view(client, libraries):
    Rendition = get_image_model().get_rendition_model()
    cover, figure = make_image("Cover"), make_image("Figure", (1600, 900))
    draft = make_resource(
        libraries["en"], "Illustrated", slug="illustrated", publish=False, cover_image=cover,
        body=[{"type": "image", "value": {"image": {"image": figure.pk, "alt_text": "A chart",
                                                     "decorative": False}, "caption": ""}}],
    )  # fmt: skip
    assert not Rendition.objects.filter(image__in=[cover, figure]).exists()
    draft.save_revision().publish()
    made = set(Rendition.objects.filter(image=figure).values_list("filter_spec", flat=True))
    assert made == set(ALL_SPECS)
    before = Rendition.objects.count()
    page = client.get("/en/library/illustrated/").content.decode()
    listing = client.get("/en/library/").content.decode()
    assert Rendition.objects.count() == before
    assert 'loading="lazy"' in page and ".webp 960w" in page and 'alt="A chart"' in page
    assert ".webp 640w" in listing


def test_missing_renditions_are_made_one_row_a_statement_so_two_readers_cannot_deadlock():
    """Wagtail's bulk path inserts several renditions in one statement, in the order its threads
    finish: two readers doing so at once deadlocked. Each is made by a statement of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from knowledge.images import make_renditions, webp_image

    Rendition = get_image_model().get_rendition_model()
    image = make_image("Lonely figure", (1600, 900))
    Rendition.objects.filter(image=image).delete()
    with CaptureQueriesContext(connection) as queries:
        html = webp_image(image, "figure", "A chart")
        make_renditions(image)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    inserts = [sql for sql in inserts if Rendition._meta.db_table in sql]
    assert len(inserts) == len(ALL_SPECS)
    assert all(sql.count("VALUES (") == 1 and "), (" not in sql for sql in inserts)
    assert ".webp 1440w" in html
    made = set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))
    assert made == set(ALL_SPECS)


def test_a_cover_drawn_again_comes_from_the_renditions_cache_which_it_never_rewrites(
    monkeypatch,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from knowledge.images import make_renditions, webp_image

    Image = get_image_model()
    cache = Image.get_rendition_model().cache_backend
    cover = make_image("Cover", (1600, 900))
    make_renditions(cover)
    cache.clear()
    first = webp_image(Image.objects.get(pk=cover.pk), "cover", "A cover")  # Wagtail's path
    assert ".webp 1440w" in first and 'alt="A cover"' in first

    def rewritten(*args, **kwargs):
        raise AssertionError("the renditions cache was written again")

    monkeypatch.setattr(cache, "set_many", rewritten)
    monkeypatch.setattr(cache, "set", rewritten)
    again = Image.objects.get(pk=cover.pk)
    with CaptureQueriesContext(connection) as queries:
        assert webp_image(again, "cover", "A cover") == first
    assert len(queries) == 0


def test_document_files_are_never_served_from_their_media_address(libraries):
    # The development server serves uploads as the production proxy must (README): images,
    # avatars and logos yes, but a document only through the view above, never by its file.
    from django.conf import settings
    from django.urls import resolve

    from idiaspora.urls import media_urlpatterns

    with override_settings(DEBUG=True):
        urls = _Urls(media_urlpatterns())
    document = _document("Secret annex")
    file_path = f"{settings.MEDIA_URL}{document.file.name}"
    match = resolve(file_path, urlconf=urls)
    with pytest.raises(Http404):
        match.func(RequestFactory().get(file_path), **match.kwargs)
    image = make_image("cover")
    image_path = f"{settings.MEDIA_URL}{image.file.name}"
    match = resolve(image_path, urlconf=urls)
    assert match.func(RequestFactory().get(image_path), **match.kwargs).status_code == 200


class _Urls:
    def __init__(self, patterns) -> None:
        self.urlpatterns = patterns


@pytest.fixture
def guarded_resource(libraries):
    """A published resource with four documents: one public, one for signed-in readers (in a
    collection below a members-only one), one for the 'Board' group, one behind a password."""
    from django.contrib.auth.models import Group

    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node()
    members = root.add_child(name="Members only")
    CollectionViewRestriction.objects.create(
        collection=members, restriction_type=CollectionViewRestriction.LOGIN
    )
    nested = members.add_child(name="Members only: annual reports")
    board = Group.objects.create(name="Board")
    boards = root.add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=boards, restriction_type=CollectionViewRestriction.GROUPS
    ).groups.add(board)
    locked = root.add_child(name="Locked")
    password = CollectionViewRestriction.objects.create(
        collection=locked, restriction_type=CollectionViewRestriction.PASSWORD, password="sesame"
    )
    documents = {
        "Public questionnaire": None,
        "Members annual report": nested,
        "Board salary grid": boards,
        "Locked ledger": locked,
    }
    page = make_resource(libraries["en"], "Guarded", slug="guarded")
    made = {}
    for title, collection in documents.items():
        document = _document(title)
        if collection is not None:
            document.collection = collection
            document.save()
        _attach(page, document)
        made[title] = document
    page.save_revision().publish()
    return {"documents": made, "board": board, "password": password}


def _titles_on_page(reader: Client, guarded) -> set[str]:
    response = reader.get("/en/library/guarded/")
    assert response.status_code == 200
    text = response.content.decode()
    shown = set()
    for title, document in guarded["documents"].items():
        if title in text:
            assert document.url in text
            shown.add(title)
        else:
            assert document.url not in text and document.file.name not in text
    return shown


def _downloads(reader: Client, document) -> bool:
    """Wagtail's document view sends the file (not a login redirect, 404 or password form)."""
    response = reader.get(document.url)
    return response.status_code == 200 and response.streaming


def test_documents_of_restricted_collections_are_not_listed_to_anonymous_readers(
    guarded_resource,
):
    from django.core.cache import caches

    caches["pages"].clear()
    anonymous = Client()
    assert _titles_on_page(anonymous, guarded_resource) == {"Public questionnaire"}
    again = anonymous.get("/en/library/guarded/")
    assert "Age" in again.headers  # the page cache's copy, without them too
    assert _titles_on_page(Client(), guarded_resource) == {"Public questionnaire"}
    # As Wagtail's document view answers them.
    for title, document in guarded_resource["documents"].items():
        assert _downloads(anonymous, document) == (title == "Public questionnaire"), title


def test_signed_in_readers_see_the_documents_the_collections_restrictions_accept(
    guarded_resource,
):
    member = _reader("Member")
    assert _titles_on_page(member, guarded_resource) == {
        "Public questionnaire",
        "Members annual report",
    }
    board_user = UserFactory()
    board_user.groups.add(guarded_resource["board"])
    accept_current_policies(board_user)
    board = Client()
    board.force_login(board_user)
    assert _titles_on_page(board, guarded_resource) == {
        "Public questionnaire",
        "Members annual report",
        "Board salary grid",
    }
    # Each listed document is one Wagtail's view serves them; the others it refuses.
    documents = guarded_resource["documents"]
    assert _downloads(member, documents["Members annual report"])
    assert not _downloads(member, documents["Board salary grid"])
    assert _downloads(board, documents["Board salary grid"])


def test_a_visitor_who_gave_a_collections_password_sees_its_documents(guarded_resource):
    visitor = Client()
    restriction = guarded_resource["password"]
    session = visitor.session
    session[restriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert _titles_on_page(visitor, guarded_resource) == {
        "Public questionnaire",
        "Locked ledger",
    }
    assert _downloads(visitor, guarded_resource["documents"]["Locked ledger"])


def test_a_resource_page_with_restricted_documents_stays_within_its_query_budget(
    guarded_resource, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    for reader, budget in ((Client(), 9), (_reader("Member"), 12)):
        reader.get("/en/library/guarded/")
        with CaptureQueriesContext(connection) as queries:
            assert reader.get("/en/library/guarded/").status_code == 200
        sql = "\n".join(q["sql"][:300] for q in queries.captured_queries)
        assert len(queries) <= budget, sql


def test_a_preview_lists_the_documents_of_its_draft_by_the_same_rule(guarded_resource):
    from knowledge.models import ResourcePage

    draft = ResourcePage.objects.get(slug="guarded")
    # An editor's unsaved form: the attachments held in memory (modelcluster), as in a preview.
    draft.attachments = [
        ResourceAttachment(document=document) for document in guarded_resource["documents"].values()
    ]
    assert not hasattr(draft.attachments.all(), "annotate")
    response = draft.make_preview_request()
    response.render()
    text = response.content.decode()
    assert "Public questionnaire" in text
    for secret in ("Members annual report", "Board salary grid", "Locked ledger"):
        assert secret not in text
