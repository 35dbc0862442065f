"""The sample newsroom: a site, three stories written for Townhall, and a few comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from townhall.accounts.models import Account
from townhall.accounts.services import account_create, staff_create
from townhall.comments.models import Comment
from townhall.comments.services import comment_create, like_add
from townhall.stories.models import Site, Story
from townhall.stories.services import site_create, story_upsert

SITE_NAME = "demo"
MODERATOR_EMAIL = "moderator@demo.townhall.localhost"
MODERATOR_PASSWORD = "moderate-the-demo"  # printed by `townhall demo`; demo data only
READER_PASSWORD = "reader-demo-password"


@dataclass
class SampleStory:
    external_id: str
    language: str
    community: str
    headline: str
    summary: str
    caption: str
    video_title: str
    video_duration: str
    paragraphs: list[str]
    comments: list[tuple[str, str, list[str]]] = field(default_factory=list)


STORIES: list[SampleStory] = [
    SampleStory(
        external_id="1.7001",
        language="en",
        community="general",
        headline="Harbour ferry returns to service after a week of winter storms",
        summary="The crossing reopens with a new evening run, but the city warns the "
                "schedule could change again if ice builds up near the east terminal.",
        caption="The ferry Marguerite leaves the west terminal on its first crossing since "
                "the storms. (Demo Newsroom)",
        video_title="Back on the water",
        video_duration="3:42",
        paragraphs=[
            "The harbour ferry carried its first passengers in eight days on Monday morning, "
            "after crews cleared storm debris from both terminals and inspectors signed off on "
            "the repaired loading ramp.",
            "City transit director Maryse Beaulieu said the crossing would keep its usual "
            "20-minute frequency during the day and add a trial evening run at 10:40 p.m. for "
            "the next three months.",
            "\"People told us loud and clear that the last boat was too early for shift "
            "workers,\" Beaulieu said. \"We'll count riders every night and decide in the "
            "spring.\"",
            "The city cautioned that ice near the east terminal could still force short "
            "closures, and said riders would get notice on its website and at both docks.",
        ],
        comments=[
            ("Priya", "Raman", ["The late run is great news for anyone working at the "
                                "hospital. Thank you for listening."]),
            ("Étienne", "Gagnon", ["How will they count riders at night? Hopefully not "
                                   "just by tickets sold, many of us have passes."]),
            ("Grace", "Mensah", ["Glad to have it back. The detour by bus added forty "
                                 "minutes each way."]),
        ],
    ),
    SampleStory(
        external_id="2.8001",
        language="fr",
        community="general",
        headline="La bibliothèque du quartier Saint-Roch rouvre après deux ans de travaux",
        summary="Plus lumineuse et accessible, la nouvelle bibliothèque propose une salle "
                "de création numérique et des heures d'ouverture prolongées le dimanche.",
        caption="La salle de lecture principale, baignée de lumière naturelle, le jour de "
                "la réouverture. (Salle de rédaction démo)",
        video_title="Visite des nouveaux espaces",
        video_duration="2:15",
        paragraphs=[
            "Les résidents du quartier Saint-Roch ont retrouvé samedi leur bibliothèque, "
            "fermée depuis deux ans pour une rénovation complète du bâtiment de 1962.",
            "Le projet, d'un coût de 14 millions de dollars, ajoute un ascenseur, une "
            "terrasse de lecture et une salle de création numérique équipée d'imprimantes 3D.",
            "« Nous voulions un lieu où l'on a envie de rester », a expliqué la directrice, "
            "Hélène Tardif, en soulignant que la bibliothèque ouvrira désormais jusqu'à 20 h "
            "le dimanche.",
            "La Ville prévoit une série d'ateliers gratuits pour les familles tout au long "
            "de l'hiver.",
        ],
        comments=[
            ("Sophie", "Lavoie", ["Enfin! Mes enfants ont hâte d'essayer la salle de "
                                  "création."]),
            ("Karim", "Benali", ["Très belle rénovation. Dommage que le stationnement "
                                 "pour vélos soit si petit."]),
        ],
    ),
    SampleStory(
        external_id="3.9001",
        language="en",
        community="youth",
        headline="Students build a weather station on their school roof",
        summary="A grade 7 class now publishes live temperature and wind readings that "
                "the whole town can check before recess.",
        caption="Students check the wind sensor they installed on the school roof. "
                "(Demo Newsroom)",
        video_title="How the station works",
        video_duration="1:58",
        paragraphs=[
            "A grade 7 science class spent the fall building a weather station from a kit, "
            "a small computer and a lot of patience, and it now sends a reading every five "
            "minutes.",
            "The students wrote the software that draws the charts on the school's website "
            "and take turns checking the sensors each Friday.",
            "Their teacher said the project taught the class more about fractions and graphs "
            "than any worksheet, and that the town's public works crew now asks for the data "
            "during storms.",
        ],
        comments=[
            ("Maya", "Thompson", ["We should add a rain gauge next!"]),
            ("Leo", "Fortin", ["I checked the wind speed before soccer practice. So cool."]),
        ],
    ),
]


def _reader(first: str, last: str) -> Account:
    email = f"{first.lower()}.{last.lower()}@demo.townhall.localhost".replace("é", "e").replace(
        "É", "e")
    existing = Account.objects.filter(email=email).first()
    if existing is not None:
        return existing
    return account_create(email=email, password=READER_PASSWORD, first_name=first,
                          last_name=last, verified=True)


@transaction.atomic
def load(*, origin: str = "http://127.0.0.1:8000") -> dict[str, Any]:
    """Create (once) the demo site, its stories, sample comments and the demo moderator."""
    site = Site.objects.filter(name=SITE_NAME).first()
    if site is None:
        site, _key = site_create(name=SITE_NAME, origins=[origin, "http://localhost:8000"],
                                 language="en", title="Demo Newsroom")
    stories: list[Story] = []
    for sample in STORIES:
        story, created = story_upsert(
            site=site, external_id=sample.external_id, title=sample.headline,
            url=f"{origin}/demo/stories/{sample.external_id}/", language=sample.language,
            community=sample.community,
        )
        stories.append(story)
        if created:
            posted = []
            for first, last, bodies in sample.comments:
                author = _reader(first, last)
                for body in bodies:
                    comment, _verdict = comment_create(account=author, story=story, body=body,
                                                       accept_terms=True)
                    posted.append(comment)
            for comment in posted[1:]:
                if comment.status == "published" and posted[0].author_id != comment.author_id:
                    like_add(account=posted[0].author, comment=comment)
    moderator, _created = staff_create(
        email=MODERATOR_EMAIL, role="admin", password=MODERATOR_PASSWORD,
        first_name="Morgan", last_name="Ellis", sites=[site],
    )
    return {"site": site, "stories": stories, "moderator": moderator,
            "comments": Comment.objects.filter(story__site=site).count()}
