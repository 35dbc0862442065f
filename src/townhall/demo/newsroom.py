"""The sample newsroom: a site, three stories written for Townhall, and a few comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from townhall.accounts.models import Account
from townhall.accounts.services import account_create, staff_create
from townhall.comments.models import Comment
from townhall.comments.services import like_add
from townhall.core import clock
from townhall.moderation.posting import comment_create
from townhall.moderation.services import site_moderation_update
from townhall.stories.models import Site, Story
from townhall.stories.selectors import policy_current
from townhall.stories.services import policy_publish, site_create, story_set_closing, story_upsert

SITE_NAME = "demo"
MODERATOR_EMAIL = "moderator@demo.townhall.localhost"
MODERATOR_PASSWORD = "moderate-the-demo"  # printed by `townhall demo`; demo data only


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
    section: str = "Local"
    byline: str = "Demo Newsroom"
    art: str = "ferry"
    # A closed story shows readers the "Comments are closed" banner.
    closed: bool = False
    # Replies seeded under the first comment: (first name, last name, text).
    replies: list[tuple[str, str, str]] = field(default_factory=list)


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
        section="Local",
        byline="Nadia Okonkwo",
        art="ferry",
        replies=[("Étienne", "Gagnon", "Same here: my shift ends at ten, so the 10:40 boat "
                  "finally makes the ferry an option again.")],
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
        section="Culture",
        byline="Julien Bergeron",
        art="library",
        replies=[("Karim", "Benali", "Bonne nouvelle pour les ateliers : les inscriptions "
                  "ouvrent-elles bientôt?")],
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
        section="Youth",
        byline="Demo Newsroom Kids",
        art="weather",
        replies=[("Leo", "Fortin", "A rain gauge would be awesome. We could measure the "
                  "spring melt too.")],
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
    SampleStory(
        external_id="1.7002",
        language="en",
        community="general",
        headline="Council approves a second winter warming centre downtown",
        summary="The centre opens in the old fire hall on Monday and will stay open "
                "around the clock whenever the temperature drops below -15 C.",
        caption="Volunteers set up cots in the former fire hall on Water Street. "
                "(Demo Newsroom)",
        video_title="Inside the new warming centre",
        video_duration="2:47",
        section="Local",
        byline="Samuel Achterberg",
        art="warming",
        closed=True,
        paragraphs=[
            "City council voted 9 to 2 on Tuesday night to open a second warming centre "
            "downtown, a week after the first one turned people away on the coldest night "
            "of the season.",
            "The new centre will use the ground floor of the former fire hall on Water "
            "Street, with 40 cots, hot meals from a local food bank and a nurse on site "
            "overnight.",
            "Outreach workers said the location matters as much as the number of beds, "
            "since many of the people they help spend their days near the bus terminal.",
            "The two councillors who voted against the plan said they supported the centre "
            "but wanted the operating costs shared with the province.",
        ],
        comments=[
            ("Grace", "Mensah", ["Good decision. Location near the terminal makes all the "
                                 "difference."]),
            ("Priya", "Raman", ["Thank you to the volunteers who set this up in a week."]),
        ],
    ),
]


def _reader(first: str, last: str) -> Account:
    email = f"{first.lower()}.{last.lower()}@demo.townhall.localhost".replace("é", "e").replace(
        "É", "e")
    existing = Account.objects.filter(email=email).first()
    if existing is not None:
        return existing
    # Sample readers never sign in, so they get no password (and loading stays fast).
    return account_create(email=email, password=None, first_name=first, last_name=last,
                          verified=True)


POLICY_TEXTS = {
    "en": {
        "real_names": "To encourage thoughtful and respectful conversations, first and last "
                      "names appear with each comment on Demo Newsroom stories. Pseudonyms "
                      "are not permitted.",
        "youth_names": "This is a youth community: names are never shown here. Every member "
                       "appears under a friendly nickname.",
        "licence": "By submitting a comment, you accept that Demo Newsroom may reproduce and "
                   "publish it in whole or in part, in any manner it chooses.",
        "endorsement": "Demo Newsroom does not endorse the opinions expressed in comments.",
        "moderation": "Comments on this story are moderated according to our Submission "
                      "Guidelines.",
        "open_closed": "Comments are welcome while open. We reserve the right to close "
                       "comments at any time.",
    },
    "fr": {
        "real_names": "Pour favoriser des échanges réfléchis et respectueux, le prénom et le "
                      "nom accompagnent chaque commentaire publié sous les articles de la "
                      "Salle de rédaction démo. Les pseudonymes ne sont pas permis.",
        "youth_names": "Cette communauté s'adresse aux jeunes : les noms n'y sont jamais "
                       "affichés. Chaque membre apparaît sous un surnom amical.",
        "licence": "En soumettant un commentaire, vous acceptez que la Salle de rédaction "
                   "démo puisse le reproduire et le publier, en tout ou en partie, de la "
                   "manière qu'elle choisit.",
        "endorsement": "La Salle de rédaction démo n'endosse pas les opinions exprimées dans "
                       "les commentaires.",
        "moderation": "Les commentaires sur cet article sont modérés selon nos lignes "
                      "directrices de participation.",
        "open_closed": "Les commentaires sont les bienvenus tant qu'ils sont ouverts. Nous "
                       "nous réservons le droit de les fermer à tout moment.",
    },
}


def _publish_policies(site: Site, origin: str) -> None:
    """Give the demo site its own policy texts, linking the demo's Submission Guidelines."""
    for language, texts in POLICY_TEXTS.items():
        wanted = {**texts, "guidelines_url": f"{origin}/demo/guidelines/?lang={language}"}
        current = policy_current(site, language).texts
        if any(current.get(key) != value for key, value in wanted.items()):
            policy_publish(site=site, language=language, texts=wanted)


def sample_for(external_id: str) -> SampleStory | None:
    """Return the sample story content for an external id, if the newsroom wrote one."""
    return next((s for s in STORIES if s.external_id == external_id), None)


def _seed_comments(story: Story, sample: SampleStory) -> None:
    posted: list[Comment] = []
    for first, last, bodies in sample.comments:
        author = _reader(first, last)
        for body in bodies:
            comment, _verdict = comment_create(account=author, story=story, body=body,
                                               accept_terms=True)
            posted.append(comment)
    published = [c for c in posted if c.status == "published"]
    if published:
        for first, last, body in sample.replies:
            comment_create(account=_reader(first, last), story=story, body=body,
                           accept_terms=True, parent_id=published[0].pk)
    for comment in published[1:]:
        if published[0].author_id != comment.author_id:
            like_add(account=published[0].author, comment=comment)
    for comment in published[:1]:
        for other in published[1:]:
            if other.author_id != comment.author_id:
                like_add(account=other.author, comment=comment)


@transaction.atomic
def load(*, origin: str = "http://127.0.0.1:8000") -> dict[str, Any]:
    """Create (once) the demo site, its stories, sample comments and the demo moderator."""
    site = Site.objects.filter(name=SITE_NAME).first()
    if site is None:
        site, _key = site_create(name=SITE_NAME, origins=[origin, "http://localhost:8000"],
                                 language="en", title="Demo Newsroom")
    _publish_policies(site, origin)
    # A first-time visitor of the demo should see their comment appear: the demo does not
    # hold new commenters' first comments (real sites keep the default).
    site_moderation_update(site=site, new_commenter_holds=0)
    stories: list[Story] = []
    for sample in STORIES:
        story, created = story_upsert(
            site=site, external_id=sample.external_id, title=sample.headline,
            url=f"{origin}/demo/stories/{sample.external_id}/", language=sample.language,
            community=sample.community,
        )
        if created:
            _seed_comments(story, sample)
            if sample.closed:
                story = story_set_closing(story=story, closes_at=clock.now())
        stories.append(story)
    moderator, _created = staff_create(
        email=MODERATOR_EMAIL, role="admin", password=MODERATOR_PASSWORD,
        first_name="Morgan", last_name="Ellis", sites=[site],
    )
    return {"site": site, "stories": stories, "moderator": moderator,
            "comments": Comment.objects.filter(story__site=site).count()}
