"""Trust levels, word lists and hidden content: what new members' content may do, what is held
for review (never dropped), and that hidden things leave every page that lists them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from community.members.models import Profile
from community.moderation.models import WordList
from community.moderation.screening_lists import clear
from community.opportunities.models import Opportunity, Review
from community.organisations.models import Organisation, Verification
from core import trust
from core.screening import normalise, screen
from tests.members.conftest import make_member
from tests.members.test_editing import EDIT, form_data
from tests.opportunities.conftest import make_opportunity, opportunity_form
from tests.organisations.conftest import make_organisation

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def word_lists():
    for language, terms in {
        "en": "send a registration fee\nguaranteed visa",
        "fr": "frais d'inscription à envoyer",
        "ar": "رسوم التسجيل\nتأشيرة مضمونة",
    }.items():
        WordList.objects.update_or_create(language=language, defaults={"terms": terms})
    clear()
    yield
    clear()


def test_word_lists_see_through_case_accents_lookalikes_and_arabic_spelling(word_lists):
    # Cyrillic "е" and "а", fullwidth letters, capitals and punctuation between the words.
    assert screen("Please SEND а registration—fее today", "en") == ["send a registration fee"]
    assert screen("Ｇｕａｒａｎｔｅｅｄ   VISA!", "en") == ["guaranteed visa"]
    assert screen("Les FRAIS D’INSCRIPTION A ENVOYER avant lundi", "fr") == [
        "frais d'inscription à envoyer"
    ]
    # Hamza on alef, ta marbuta written as ha, diacritics and tatweel.
    assert screen("تَأْشِيـــرَه مضمونه للجميع", "ar") == ["تأشيرة مضمونة"]
    assert normalise("إلى أحمد آمنة") == normalise("الي احمد امنه")
    assert normalise("کتابی") == normalise("كتابي")  # Persian keyboard letters
    # Members mix languages: an Arabic term in an English post is still found.
    assert screen("Pay the رسوم التسجيل now", "en") == ["رسوم التسجيل"]
    # Whole words only, and innocent texts pass.
    assert screen("We never ask for a registration fee.", "en") == []
    assert screen("guaranteed visas", "en") == []


VISA, FEE = "guaranteed visa", "send a registration fee"


@pytest.mark.parametrize(
    ("disguised", "term"),
    [
        ("guaranteed vi\u3164sa", VISA),  # Hangul filler: a letter to Unicode, shows nothing
        ("guaranteed vi\uffa0sa", VISA),  # its halfwidth form
        ("guaranteed vi\u2800sa", VISA),  # braille blank: a symbol, would split the word
        ("guaranteed vi\ufe0fsa", VISA),  # variation selector (a mark of combining class 0)
        ("guaranteed vi\u034fsa", VISA),  # combining grapheme joiner
        ("guaranteed vi\u20ddsa", VISA),  # enclosing circle
        ("guaranteed \u1d20\u026as\u1d00", VISA),  # small capitals ᴠɪsᴀ
        ("gu\u0251ranteed visa", VISA),  # Latin alpha
        ("send a registrati\u0585n fee", FEE),  # Armenian o
        ("send a registration fee", FEE),
        ("guaranteed v i s a", VISA),  # spelled out
        ("guaranteed v.i.s.a", VISA),
        ("G U A R A N T E E D  V-I-S-A", VISA),
    ],
)
def test_word_lists_see_through_invisible_characters_lookalikes_and_spelled_out_words(
    word_lists, disguised, term
):
    assert screen(f"Only today: {disguised} for all!", "en") == [term]


def test_spelled_out_letters_do_not_make_innocent_texts_match(word_lists):
    assert screen("Plan A, plan B: a visa is guaranteed to nobody.", "en") == []
    assert screen("Section 4 b of the guaranteed visas rules", "en") == []


def test_a_screened_posting_is_held_for_review_not_dropped(word_lists):
    # A trusted poster for a verified organisation: only the word list can hold it.
    admin, _ = make_member()
    admin.trust_level = trust.TRUSTED
    admin.save(update_fields=["trust_level"])
    verified = make_organisation(admin, name="Screened Org", verification=Verification.VERIFIED)
    client = signed_in(admin)
    clean = opportunity_form(title="Clean call", organisation=str(verified.pk))
    client.post("/en/opportunities/new/", clean)
    assert Opportunity.objects.get(title="Clean call").review == Review.NOT_NEEDED
    scam = opportunity_form(
        title="Easy job abroad",
        description="<p>Send a registration fee to secure your place.</p>",
        organisation=str(verified.pk),
    )
    response = client.post("/en/opportunities/new/", scam, follow=True)
    held = Opportunity.objects.get(title="Easy job abroad")
    assert held.review == Review.HELD
    assert "held for review" in response.content.decode()
    assert Client().get(f"/en/opportunities/{held.pk}/").status_code == 404


def test_a_published_opportunity_edited_into_a_match_goes_back_to_review(
    word_lists, moderator_client
):
    # Approved once (here: needing no review) is not a licence to swap the text for a scam.
    admin, _ = make_member()
    admin.trust_level = trust.TRUSTED
    admin.save(update_fields=["trust_level"])
    verified = make_organisation(admin, name="Edited Org", verification=Verification.VERIFIED)
    client = signed_in(admin)
    client.post(
        "/en/opportunities/new/", opportunity_form(title="Nurse", organisation=str(verified.pk))
    )
    item = Opportunity.objects.get(title="Nurse")
    assert item.review == Review.NOT_NEEDED
    assert Client().get(f"/en/opportunities/{item.pk}/").status_code == 200
    scam = opportunity_form(
        title="Nurse",
        description="<p>Guaranteed v.i.s.a: send a registration fee first.</p>",
        organisation=str(verified.pk),
    )
    response = client.post(f"/en/opportunities/{item.pk}/edit/", scam, follow=True)
    assert "held for review" in response.content.decode()
    item.refresh_from_db()
    assert item.review == Review.HELD
    assert Client().get(f"/en/opportunities/{item.pk}/").status_code == 404
    assert "Nurse" in moderator_client.get("/en/opportunities/review/").content.decode()
    moderator_client.post(f"/en/opportunities/review/{item.pk}/", {"decision": "approve"})
    item.refresh_from_db()
    assert item.review == Review.APPROVED
    # A clean edit of an approved one stays public.
    client.post(
        f"/en/opportunities/{item.pk}/edit/",
        opportunity_form(title="Nurse (night)", organisation=str(verified.pk)),
    )
    item.refresh_from_db()
    assert item.review == Review.APPROVED
    assert Client().get(f"/en/opportunities/{item.pk}/").status_code == 200


def test_trust_levels_hold_a_new_members_items_limit_links_and_lift_with_participation():
    newcomer, profile = make_member()
    assert trust.level_for(newcomer) == trust.NEW
    limits = trust.limits_for(newcomer)
    assert limits.hold_for_review and not limits.images_allowed and limits.links_per_post == 1
    client = signed_in(newcomer)
    two_links = '<p><a href="https://a.example">A</a> and https://b.example</p>'
    refused = client.post(EDIT, form_data(profile, bio=two_links))
    assert refused.status_code == 200
    assert "at most 1 link" in refused.content.decode()
    assert two_links not in Profile.objects.get(pk=profile.pk).bio
    # One approved item lifts them automatically; a moderator can set it back by hand.
    make_opportunity(newcomer, review=Review.APPROVED)
    assert trust.level_for(newcomer) == trust.BASIC
    assert client.post(EDIT, form_data(profile, bio=two_links)).status_code == 302
    newcomer.date_joined = timezone.now() - timedelta(days=90)
    newcomer.save(update_fields=["date_joined"])
    for number in range(9):
        make_opportunity(newcomer, title=f"Call {number}", review=Review.NOT_NEEDED)
    assert trust.level_for(newcomer) == trust.TRUSTED
    newcomer.trust_level = trust.NEW
    newcomer.save(update_fields=["trust_level"])
    assert trust.limits_for(newcomer).hold_for_review
    assert trust.level_for(make_member(role="Moderator")[0]) == trust.TRUSTED


def test_posting_past_the_hourly_limit_is_refused_and_keeps_what_was_typed():
    newcomer, _ = make_member()
    client = signed_in(newcomer)
    allowed = trust.limits_for(newcomer).posts_per_hour
    for number in range(allowed):
        response = client.post("/en/opportunities/new/", opportunity_form(title=f"Call {number}"))
        assert response.status_code == 302
    refused = client.post("/en/opportunities/new/", opportunity_form(title="One too many"))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "You have posted a lot in the last hour" in page and 'value="One too many"' in page
    assert not Opportunity.objects.filter(title="One too many").exists()


def test_a_moderator_sets_a_members_trust_level_and_it_is_logged(moderator_client):
    member, _ = make_member()
    response = moderator_client.post(
        "/en/moderation/trust/", {"email": member.email, "level": "2", "note": "Known partner"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.trust_level == trust.TRUSTED
    unknown = moderator_client.post("/en/moderation/trust/", {"email": "nobody@example.net"})
    assert "No member has this e-mail address." in unknown.content.decode()
    log = moderator_client.get("/en/moderation/log/?kind=trust").content.decode()
    assert member.email in log


def test_moderators_edit_word_lists_and_the_next_posting_uses_them(moderator_client):
    page = moderator_client.get("/en/moderation/words/")
    assert page.status_code == 200
    response = moderator_client.post(
        "/en/moderation/words/", {"language": "es", "es-terms": "visa garantizada\n\n"}
    )
    assert response.status_code == 302
    assert WordList.objects.get(language="es").terms == "visa garantizada"
    assert screen("¡VISA GARANTIZADA!", "es") == ["visa garantizada"]
    markup = moderator_client.post(
        "/en/moderation/words/", {"language": "es", "es-terms": "<script>x</script>"}
    )
    assert markup.status_code == 400 and "HTML tags are not allowed" in markup.content.decode()
    clear()


def test_hidden_content_leaves_every_page_that_lists_it(moderator_client):
    admin, profile = make_member(display_name="Zebulon Hidden", in_directory=True)
    organisation = make_organisation(
        admin, name="Zebra Hidden Network", verification=Verification.VERIFIED
    )
    opportunity = make_opportunity(admin, organisation, title="Zanzibar hidden fellowship")
    pages = ["/en/opportunities/", "/en/"]
    reader = signed_in(make_member()[0])
    for path in pages:
        assert "Zanzibar hidden fellowship" in reader.get(path).content.decode(), path
    assert "Zebulon Hidden" in reader.get("/en/members/").content.decode()
    assert "Zebra Hidden Network" in reader.get("/en/organisations/").content.decode()
    for target in (opportunity, profile, organisation):
        moderator_client.post(
            "/en/moderation/decide/",
            {
                "action": "hide",
                "content_type": ContentType.objects.get_for_model(target).pk,
                "object_id": target.pk,
            },
        )
    for client in (reader, Client()):
        for path in pages:
            assert "Zanzibar hidden fellowship" not in client.get(path).content.decode(), path
        assert "Zebulon Hidden" not in client.get("/en/members/").content.decode()
        assert "Zebra Hidden Network" not in client.get("/en/organisations/").content.decode()
        assert client.get(f"/en/opportunities/{opportunity.pk}/").status_code == 404
    assert Organisation.objects.get(pk=organisation.pk).hidden
