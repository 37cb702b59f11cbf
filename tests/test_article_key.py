"""The key suggested for an article (``build_tools.intake.article_key``), on real titles."""

from __future__ import annotations

import pytest

from build_tools.intake.article_key import abbreviates, lead, main_part, site_name, suggest_key

# Ten real article titles: the five articles of this knowledge base (/work/shared/articles,
# their publishers as sources/articles.bib records them; no address is known) and five found
# on the web (title and address as published), with the key an editor would want.
REAL = [
    ("Walking Away Your Low Back Pain", "Verywell Fit", None,
     "verywellfit-walking-away-low-back-pain"),
    ("Is Walking Good for Lower Back Pain?", None, None, "walking-good-lower-back-pain"),
    ("Is Walking Good for Lower Back Pain? Evidence Review", "Sciaticalm", None,
     "sciaticalm-walking-good-lower-back-pain"),
    ("Walking for Lower Back Pain", None, None, "walking-lower-back-pain"),
    ("Why Walking Is Good for Low Back Pain, According to Physical Therapists", "Hinge Health",
     "https://www.hingehealth.com/resources/articles/walking-for-back-pain/",
     "hingehealth-walking-good-low-back-pain"),
    ("Can a Walking Program Reduce the Recurrence of Low Back Pain?", None,
     "https://www.evolveptnc.com/can-a-walking-program-reduce-the-recurrence-of-low-back-pain",
     "evolveptnc-walking-program-reduce-recurrence"),
    ("Physical Therapy for Low Back Pain: Restoring Strength and Preventing Future Injuries",
     None, "https://acephysiosports.com/?p=16454",
     "acephysiosports-physical-therapy-low-back-pain"),
    ("The Effects of Walking on Low Back Pain", "Physiopedia",
     "https://www.physio-pedia.com/index.php?title=The_effects_of_walking_on_low_back_pain",
     "physiopedia-effects-walking-low-back-pain"),
    ("Health Tip of the Day ~ Walking Can Relieve Lower Back Pain", None,
     "https://dancingalone530.com/2023/03/24/health-tip-of-the-day-walking-can-relieve-lower-"
     "back-pain/", "dancingalone530-walking-relieve-lower-back-pain"),
    ("When Back Pain Comes Back", None, "https://thejacksonclinics.com/when-back-pain-comes-back",
     "jacksonclinics-back-pain-comes-back"),
]


@pytest.mark.parametrize(("title", "publisher", "url", "key"), REAL, ids=[r[3] for r in REAL])
def test_keys_for_real_titles(title: str, publisher: str | None, url: str | None, key: str
                              ) -> None:
    assert suggest_key(publisher, title, url) == key


def test_the_example_of_the_issue() -> None:
    # og:site_name "1 on 1 Physical Therapy" on 1on1pt.com: the site's own short name
    assert suggest_key("1 on 1 Physical Therapy", "Walking for Low Back Pain",
                       "https://1on1pt.com/blog/walking-for-low-back-pain/") \
        == "1on1pt-walking-low-back-pain"


@pytest.mark.parametrize(("publisher", "url", "expected"), [
    ("Riverbend Physical Therapy", "https://www.riverbendpt.example/blog/x/", "riverbendpt"),
    ("Hinge Health", None, "hingehealth"),
    ("The Physical Therapy Advisor", "https://www.thephysicaltherapyadvisor.com/x", "pta"),
    ("Maple Grove Physiotherapy", "https://www.maplegrovephysio.example/blog/", "maplegrovephysio"),
    ("Maple Grove Physiotherapy", "https://medium.com/@maple/walking", "mgp"),
    (None, "https://www.nhs.uk/conditions/back-pain/", "nhs"),
    (None, "http://127.0.0.1:8000/page", ""),
    (None, "http://localhost/page", ""),
    (None, None, ""),
])
def test_the_publishers_short_name(publisher: str | None, url: str | None, expected: str
                                   ) -> None:
    assert lead(publisher, url) == expected


def test_abbreviations_and_site_names() -> None:
    assert abbreviates("1on1pt", ["1", "on", "1", "physical", "therapy"])
    assert abbreviates("riverbendpt", ["riverbend", "physical", "therapy"])
    assert not abbreviates("medium", ["maple", "grove", "physiotherapy"])
    assert site_name("https://health.clevelandclinic.org/x") == "clevelandclinic"
    assert site_name("https://www.bbc.co.uk/news") == "bbc"
    assert main_part("Walking for Low Back Pain: A Physical Therapist\u2019s Guide") \
        == "Walking for Low Back Pain"


@pytest.mark.parametrize(("title", "expected"), [
    ("", "article"),
    ("???", "article"),
    ("The", "article"),
    ("Walking" * 300_000, None),
    (" ".join(["walking"] * 100_000), "walking-walking-walking-walking-walking"),
    ("Caf\u00e9 walks & d\u00e9j\u00e0 vu: don\u2019t stop", "cafe-walks-deja-vu"),
])
def test_odd_titles_give_short_plain_keys(title: str, expected: str | None) -> None:
    key = suggest_key(None, title, None)
    assert len(key) <= 60
    assert key == expected or (expected is None and key.isalnum())
    assert "/" not in key and ".." not in key
