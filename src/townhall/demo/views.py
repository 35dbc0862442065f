"""The sample newsroom's pages: a front page, story pages with the embed, the guidelines.

The pages are what a publisher would serve: plain HTML, no inline script, Townhall added with
one script tag. Story text comes from `newsroom.STORIES`; comment counts are filled in the
browser by /embed/counts.js from one batched API call.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from townhall.demo import newsroom
from townhall.moderation.selectors import guidelines_current
from townhall.stories.models import Site, Story


def _demo_stories() -> list[tuple[Story, newsroom.SampleStory]]:
    wanted = [s.external_id for s in newsroom.STORIES]
    found = {
        story.external_id: story
        for story in Story.objects.filter(site__name=newsroom.SITE_NAME, external_id__in=wanted)
    }
    return [(found[s.external_id], s) for s in newsroom.STORIES if s.external_id in found]


def front_page(request: HttpRequest) -> HttpResponse:
    """List the sample stories; their comment counts come from one batched call."""
    stories = _demo_stories()
    return render(request, "demo/front.html", {
        "lead": stories[0] if stories else None,
        "others": stories[1:],
        "site": newsroom.SITE_NAME,
        "title": "",  # the front page is the newsroom itself: its name alone
    })


def story_page(request: HttpRequest, external_id: str) -> HttpResponse:
    """Show one story the way a newsroom would, with the Townhall tag under it."""
    sample = newsroom.sample_for(external_id)
    story = Story.objects.filter(site__name=newsroom.SITE_NAME, external_id=external_id).first()
    if sample is None or story is None:
        raise Http404(_("There is no such story in the demo newsroom."))
    others = [pair for pair in _demo_stories() if pair[0].external_id != external_id]
    with translation.override(story.language):
        return render(request, "demo/story.html", {
            "story": story, "sample": sample, "others": others, "site": newsroom.SITE_NAME,
            "title": sample.headline, "page_language": story.language,
            "embed_src": request.build_absolute_uri("/embed.js"),
        })


def guidelines(request: HttpRequest) -> HttpResponse:
    """Show the demo newsroom's Submission Guidelines in English or French."""
    language = request.GET.get("lang") if request.GET.get("lang") in {"en", "fr"} else "en"
    site = Site.objects.filter(name=newsroom.SITE_NAME).first()
    items = guidelines_current(site).items if site is not None else []
    rules = [
        {"code": item["code"], "title": item["title"].get(language, ""),
         "explanation": item.get("explanation", {}).get(language, "")}
        for item in items
    ]
    with translation.override(language):
        return render(request, "demo/guidelines.html", {
            "title": _("Submission Guidelines"), "page_language": language, "rules": rules,
        })
