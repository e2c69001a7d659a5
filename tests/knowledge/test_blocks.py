"""Every block a resource's or a chapter's body is written with, as a reader sees it: the text,
the headings, the quote, the figure in WebP, the video without the internet, the download, the
table, the key figures and the practice box; in Arabic inside a right-to-left page, and with
hostile input shown as text, never run."""

from __future__ import annotations

import re
import socket
import uuid

import pytest

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

from knowledge.handbook_models import ChapterPage, HandbookPage

from .conftest import make_image, make_resource

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _items(values) -> list[dict]:
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def _document(title: str = "Annual figures"):
    data = b"year,amount\n2024,3\n"
    return get_document_model().objects.create(
        title=title, file=ContentFile(data, name="figures.csv"), file_size=len(data)
    )


def _body(text: dict[str, str], image, document) -> list[dict]:
    """One block of every kind the body allows, with `text`'s words in it."""
    return [
        {"type": "paragraph", "value": f"<p>{text['paragraph']} <b>bold</b></p>"},
        {"type": "heading", "value": {"text": text["section"], "level": "h2"}},
        {"type": "heading", "value": {"text": text["subsection"], "level": "h3"}},
        {"type": "quote", "value": {"quote": f"{text['quote']}\nsecond line",
                                    "attribution": text["who"]}},
        {"type": "image", "value": {"image": {"image": image.pk, "alt_text": text["alt"],
                                              "decorative": False}, "caption": text["caption"]}},
        {"type": "embed", "value": "https://vimeo.com/76979871"},
        {"type": "document", "value": {"document": document.pk, "label": text["download"]}},
        {"type": "table", "value": {"caption": text["table"], "header_row": True, "rows": _items([
            {"cells": _items([text["corridor"], text["cost"]])},
            {"cells": _items(["Dakar", "4%"])},
        ])}},
        {"type": "key_figures", "value": {"figures": _items([
            {"figure": "4.2m", "label": text["figure"]},
            {"figure": "12%", "label": "GDP"},
        ])}},
    ]  # fmt: skip


ENGLISH = {
    "paragraph": "Opening words", "section": "What we learnt", "subsection": "In the cities",
    "quote": "Trust comes first", "who": "A mayor", "alt": "A chart of transfers",
    "caption": "Transfers by year", "download": "Download the figures", "table": "Costs",
    "corridor": "Corridor", "cost": "Cost", "figure": "emigrants",
}  # fmt: skip
ARABIC = {
    "paragraph": "كلمات افتتاحية", "section": "ما تعلمناه", "subsection": "في المدن",
    "quote": "الثقة أولاً", "who": "رئيسة بلدية", "alt": "رسم بياني للتحويلات",
    "caption": "التحويلات حسب السنة", "download": "تنزيل الأرقام", "table": "التكاليف",
    "corridor": "الممر", "cost": "التكلفة", "figure": "مهاجر",
}  # fmt: skip


def _expected(text: dict[str, str], document) -> list[str]:
    return [
        f'<div class="rich-text"><p>{text["paragraph"]} <b>bold</b></p></div>',
        f"<h2>{text['section']}</h2>",
        f"<h3>{text['subsection']}</h3>",
        f'<figure class="quote"><blockquote><p>{text["quote"]}<br>second line</p></blockquote>'
        f"<figcaption>{text['who']}</figcaption></figure>",
        f"<figcaption>{text['caption']}</figcaption>",
        '<iframe src="https://player.vimeo.com/video/76979871?dnt=1" title="',
        f'<a href="{document.url}" download>{text["download"]}</a> <span class="meta">(CSV, 19',
        f'<caption>{text["table"]}</caption><thead><tr><th scope="col">{text["corridor"]}</th>'
        f'<th scope="col">{text["cost"]}</th></tr></thead><tbody><tr><th scope="row">Dakar'
        f"</th><td>4%</td></tr></tbody>",
        f'<ul class="key-figures"><li><strong class="figure">4.2m</strong> '
        f"<span>{text['figure']}</span></li>",
    ]


def _body_html(page: str) -> str:
    start = page.index('<div class="resource-body"')
    return page[start : page.index("</div>\n", start) + 6]


def test_every_block_of_a_resource_renders_what_the_reader_should_see(client, libraries):
    image, document = make_image("Chart", (1600, 900)), _document()
    make_resource(libraries["en"], "All blocks", slug="all-blocks",
                  body=_body(ENGLISH, image, document))  # fmt: skip
    page = client.get("/en/library/all-blocks/").content.decode()
    body = page[page.index('<div class="resource-body"') :]
    for fragment in _expected(ENGLISH, document):
        assert fragment in body, fragment
    assert 'title="Video on Vimeo"' in body and ">Watch on Vimeo</a>" in body
    # The figure: WebP at several widths, lazily loaded, with its alternative text.
    figure = re.search(r'<figure class="figure"><img [^>]+>', body).group(0)
    assert 'alt="A chart of transfers"' in figure and 'loading="lazy"' in figure
    assert re.search(r'srcset="[^"]+\.webp 480w, [^"]+\.webp 960w, [^"]+\.webp 1440w"', figure)
    # Blocks keep the order the editor gave them.
    order = [body.index(fragment) for fragment in _expected(ENGLISH, document)]
    assert order == sorted(order)


def test_a_decorative_image_has_an_empty_alternative_and_a_table_may_have_no_header(
    client, libraries
):
    image = make_image("Texture")
    body = [
        {"type": "image", "value": {"image": {"image": image.pk, "alt_text": "",
                                              "decorative": True}, "caption": ""}},
        {"type": "table", "value": {"caption": "Plain", "header_row": False,
                                    "rows": _items([{"cells": _items(["Dakar", "4%"])}])}},
    ]  # fmt: skip
    make_resource(libraries["en"], "Plain blocks", slug="plain", body=body)
    html = client.get("/en/library/plain/").content.decode()
    assert re.search(r'<figure class="figure"><img [^>]*alt="" [^>]*></figure>', html)
    assert "<thead>" not in html
    assert '<caption>Plain</caption><tbody><tr><th scope="row">Dakar</th><td>4%</td>' in html


def test_a_video_from_an_unsupported_site_shows_nothing(client, libraries):
    body = [{"type": "embed", "value": "https://example.com/watch?v=aqz-KE-bpKQ"}]
    make_resource(libraries["en"], "Odd video", slug="odd-video", body=body)
    html = client.get("/en/library/odd-video/").content.decode()
    assert "<iframe" not in html and "example.com/watch" not in html


def test_the_blocks_of_an_arabic_resource_read_right_to_left(client, libraries):
    image, document = make_image("Arabic chart"), _document("أرقام")
    make_resource(libraries["ar"], "كل الكتل", slug="arabic-blocks",
                  body=_body(ARABIC, image, document))  # fmt: skip
    page = client.get("/ar/library/arabic-blocks/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<div class="resource-body" lang="ar" dir="auto">' in page
    body = page[page.index('<div class="resource-body"') :]
    for fragment in _expected(ARABIC, document):
        assert fragment in body, fragment
    assert 'alt="رسم بياني للتحويلات"' in body
    # The interface's words around the blocks are Arabic too.
    assert 'title="فيديو على Vimeo"' in body and ">شاهده على Vimeo</a>" in body


def test_an_arabic_resource_read_from_the_english_library_keeps_its_direction(client, libraries):
    heading = {"type": "heading", "value": {"text": "عنوان", "level": "h2"}}
    make_resource(libraries["ar"], "نص عربي", slug="arabic-only", body=[heading])
    page = client.get("/en/library/arabic-only/").content.decode()
    assert '<html lang="en" dir="ltr">' in page
    # The text is marked Arabic with its own direction inside the English page.
    assert '<div class="resource-body" lang="ar" dir="auto">' in page
    assert "<h2>عنوان</h2>" in page


def test_hostile_input_in_every_block_is_shown_as_text(client, libraries):
    image, document = make_image("Hostile"), _document(HOSTILE)
    hostile = dict.fromkeys(ENGLISH, HOSTILE)
    body = _body(hostile, image, document)
    body[0] = {"type": "paragraph",
               "value": '<p onclick="alert(1)">Text<script>alert("x")</script>'
                        '<a href="javascript:alert(1)">link</a></p>'}  # fmt: skip
    body[6]["value"]["label"] = ""  # the document's (hostile) title is shown instead
    body.append({"type": "embed", "value": 'https://youtu.be/"><script>alert(1)</script>'})
    make_resource(libraries["en"], "Hostile blocks", slug="hostile", body=body)
    page = client.get("/en/library/hostile/").content.decode()
    resource_body = page[page.index('<div class="resource-body"') : page.index("</article>")]
    assert "<script" not in resource_body
    assert "onerror=" not in resource_body.replace("onerror=alert(1)&gt;", "")
    assert "onclick" not in resource_body and "javascript:" not in resource_body
    # Headings, quote, caption, alt text, table cells, figures and the download's name: text.
    assert resource_body.count(ESCAPED) >= 10
    assert f'alt="{ESCAPED}"' in resource_body


# --- Chapters: the same blocks, numbered headings and practice boxes ---------------------------


def _chapter(language: str, title: str, slug: str, body) -> ChapterPage:
    handbook = HandbookPage.objects.get(locale__language_code=language)
    chapter = ChapterPage(title=title, slug=slug, intro=f"About {title}", body=body)
    handbook.add_child(instance=chapter)
    chapter.save_revision().publish()
    return ChapterPage.objects.get(pk=chapter.pk)


def test_a_chapter_renders_the_library_blocks_and_a_practice_box(client, libraries):
    image, document = make_image("Chapter chart"), _document()
    resource = make_resource(libraries["en"], "Mapping toolkit", slug="mapping-toolkit")
    body = [
        *_body(ENGLISH, image, document),
        {"type": "practice", "value": {"resource": resource.pk,
                                       "note": "A worked example of a mapping survey."}},
    ]  # fmt: skip
    chapter = _chapter("en", "Blocks chapter", "blocks-chapter", body)
    page = client.get(chapter.url).content.decode()
    # Chapter headings are numbered and carry anchors for the table of contents.
    assert re.search(r'<h2 id="[^"]+"><span class="section-number">[\d.]+</span> What we '
                     r"learnt</h2>", page)  # fmt: skip
    assert re.search(r'<h3 id="[^"]+">In the cities</h3>', page)
    for fragment in _expected(ENGLISH, document)[3:]:
        assert fragment in page, fragment
    assert '<div class="rich-text"><p>Opening words <b>bold</b></p></div>' in page
    box = page[page.index('<aside class="practice"') :]
    box = box[: box.index("</aside>")]
    assert "In practice" in box and "A worked example of a mapping survey." in box
    assert 'href="/en/library/mapping-toolkit/"' in box and "Mapping toolkit" in box


def test_a_chapters_hostile_headings_and_notes_are_shown_as_text(client, libraries):
    resource = make_resource(libraries["en"], "Toolkit", slug="toolkit")
    body = [
        {"type": "heading", "value": {"text": HOSTILE, "level": "h2"}},
        {"type": "heading", "value": {"text": HOSTILE, "level": "h3"}},
        {"type": "practice", "value": {"resource": resource.pk, "note": HOSTILE}},
    ]
    chapter = _chapter("en", "Hostile chapter", "hostile-chapter", body)
    page = client.get(chapter.url).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert "<script" not in main and "<img src=x" not in main
    assert main.count(ESCAPED) >= 3


def test_an_arabic_chapter_reads_right_to_left(client, libraries):
    resource = make_resource(libraries["ar"], "دليل", slug="arabic-guide")
    body = [
        {"type": "heading", "value": {"text": "بناء الثقة", "level": "h2"}},
        {"type": "paragraph", "value": "<p>نص الفصل</p>"},
        {"type": "practice", "value": {"resource": resource.pk, "note": "مثال عملي"}},
    ]
    chapter = _chapter("ar", "فصل", "arabic-chapter", body)
    page = client.get(chapter.url).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "بناء الثقة</h2>" in page and "<p>نص الفصل</p>" in page
    assert '<p class="practice-note">مثال عملي</p>' in page
    assert '<aside class="practice" aria-label="في الممارسة">' in page


def test_hostile_html_in_a_page_intro_never_runs(client, libraries):
    """Intros and the course and policy bodies are rich text too, and may also come from a
    translation or an import: they are kept to harmless formatting as the body blocks are."""
    library = libraries["en"]
    library.intro = '<p onclick="alert(1)">Welcome<script>alert("x")</script></p>'
    library.save_revision().publish()
    page = client.get("/en/library/").content.decode()
    intro = page[page.index('<div class="intro">') :]
    intro = intro[: intro.index("</div>")]
    assert "Welcome" in intro
    assert "<script" not in intro and "onclick" not in intro
