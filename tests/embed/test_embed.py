"""The embed scripts, the widget's bootstrap read and story registration, through HTTP."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

from django.test import Client

from townhall.stories.models import Site, Story
from townhall.stories.services import site_update, story_signature

from tests.conftest import Api, make_account, make_site, make_story, token_for

STATIC = Path(__file__).resolve().parents[2] / "src" / "townhall" / "embed" / "static" / "townhall"
MODULES = STATIC / "app"


def test_loader_is_served_as_cacheable_javascript_any_page_may_load(db: None) -> None:
    response = Client().get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=86400" in response["Cache-Control"]
    assert response["ETag"].startswith('"')
    again = Client().get("/embed.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_loader_names_the_widget_by_version_and_every_module_is_immutable(db: None) -> None:
    loader = Client().get("/embed.js").content.decode()
    found = re.search(r'"(/embed/[0-9a-f]{12}/app\.js)"', loader)
    assert found, "the loader must point at a versioned app address"
    assert 'app.type = "module"' in loader
    folder = found.group(1).rsplit("/", 1)[0]
    # Every module the entry reaches lies in the same versioned folder, the catalogue too.
    seen: set[str] = set()
    todo = ["app.js"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        response = Client().get(f"{folder}/{name}")
        assert response.status_code == 200, name
        assert response["Content-Type"] == "text/javascript; charset=utf-8"
        assert "immutable" in response["Cache-Control"], name
        assert "max-age=31536000" in response["Cache-Control"], name
        assert response["Access-Control-Allow-Origin"] == "*", name
        todo += re.findall(r'from "\./([a-z-]+\.js)"', response.content.decode())
    assert seen == {p.name for p in MODULES.glob("*.js")} | {"catalog.js"}
    # The loader preloads the entry's imports side by side.
    preload = re.search(r"var preload = (\[.*?\]);", loader)
    assert preload and set(json.loads(preload.group(1))) == seen - {"app.js"}


def test_a_module_of_another_version_is_served_briefly_and_unknown_names_are_404(db: None) -> None:
    stale = Client().get("/embed/000000000000/thread.js")
    assert stale.status_code == 200 and "immutable" not in stale["Cache-Control"]
    assert Client().get("/embed/000000000000/nope.js").status_code == 404
    assert Client().get("/embed/000000000000/..%2Fembed.js").status_code == 404


def test_an_old_loaders_classic_request_imports_the_current_widget(db: None) -> None:
    loader = Client().get("/embed.js").content.decode()
    current = re.search(r'"(/embed/[0-9a-f]{12}/app\.js)"', loader)
    assert current
    entry = Client().get("/embed/app.js")
    assert entry.status_code == 200 and entry["Access-Control-Allow-Origin"] == "*"
    assert f'import(new URL("{current.group(1)}"' in entry.content.decode()


def test_the_widgets_strings_come_from_the_translation_catalogue(db: None) -> None:
    loader = Client().get("/embed.js").content.decode()
    version = re.search(r'"/embed/([0-9a-f]{12})/app\.js"', loader)
    assert version
    text = Client().get(f"/embed/{version.group(1)}/catalog.js").content.decode()
    catalogs = json.loads(text.split("export default ", 1)[1].rstrip().rstrip(";"))
    assert catalogs["en"] == {}
    french = catalogs["fr"]
    assert french["Comments"] == "Commentaires"
    assert french["{n} comment"] == ["{n} commentaire", "{n} commentaires"]
    # Every string the widget shows has its French: none falls back to English unnoticed.
    source = (MODULES / "strings.js").read_text()
    singles = re.findall(r'(?<!n)gettext\("((?:[^"\\]|\\.)*)"\)', source)
    plurals = re.findall(r'ngettext\("((?:[^"\\]|\\.)*)", "', source)
    assert len(singles) > 100 and len(plurals) >= 5
    assert [s for s in singles + plurals if s not in french] == []
    # No other module writes words for the reader.
    for path in MODULES.glob("*.js"):
        if path.name != "strings.js":
            assert "gettext(" not in path.read_text(), path.name


def test_what_a_page_loads_first_is_under_10_kb_gzipped() -> None:
    loader = (STATIC / "embed.js").read_bytes()
    assert len(gzip.compress(loader, 9)) < 10 * 1024


def test_widget_uses_one_global_and_no_raw_html_sinks_for_comments() -> None:
    app = "\n".join(p.read_text() for p in sorted(MODULES.glob("*.js")))
    loader = (STATIC / "embed.js").read_text()
    assert "innerHTML" not in app and "innerHTML" not in loader
    assert "insertAdjacentHTML" not in app
    assert set(re.findall(r"window\.(\w+)\s*=", app + loader)) <= {"Townhall"}
    # Only the script's own origin is ever contacted (the SVG namespace names, never loads).
    code = re.sub(r"/\*.*?\*/", "", app, flags=re.S).replace('"http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?://(?!HOST)[a-z]", code)


def test_counts_script_is_served(db: None) -> None:
    response = Client().get("/embed/counts.js")
    assert response.status_code == 200
    assert "data-townhall-count" in response.content.decode()


def test_bootstrap_gives_story_policy_limits_and_features_without_a_viewer(api: Api) -> None:
    site, _key = make_site()
    make_story(site, "1.1", language="fr")
    data = api.get("sites/daily/stories/1.1/embed").json()
    assert data["story"]["external_id"] == "1.1"
    assert data["policy"]["language"] == "fr"
    assert data["policy"]["version"] >= 1 and "licence" in data["policy"]["texts"]
    assert data["viewer"] is None
    assert data["limits"]["max_comment_length"] == site.max_comment_length
    assert set(data["features"]) >= {"events", "check", "guidelines", "reports", "sso"}
    assert api.get("sites/daily/stories/1.1/embed?lang=en").json()["policy"]["language"] == "en"
    bad = api.get("sites/daily/stories/1.1/embed?lang=de")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "lang"
    unknown = api.get("sites/daily/stories/nope/embed").json()
    assert unknown["story"] is None and unknown["registrable"] is True
    assert api.get("sites/nope/stories/1.1/embed").json()["errors"][0]["field"] == "site"


def test_bootstrap_names_the_viewer_by_handle_in_a_youth_community(api: Api) -> None:
    site, _key = make_site()
    make_story(site, "kids.1", community="youth")
    make_story(site, "adults.1")
    reader = make_account(first_name="Wilhelmina", last_name="Oyelaran-Fitz")
    me = api.as_(token_for(reader))
    youth = me.get("sites/daily/stories/kids.1/embed").json()["viewer"]
    general = me.get("sites/daily/stories/adults.1/embed").json()["viewer"]
    assert general["display_name"] == "Wilhelmina Oyelaran-Fitz"
    assert youth["id"] == reader.pk and youth["email_verified"] is True
    assert "Wilhelmina" not in youth["display_name"]
    assert "Oyelaran" not in youth["display_name"]


def signed(site: Site, external_id: str, **body: Any) -> dict[str, Any]:
    return {**body, "signature": story_signature(site=site, external_id=external_id)}


def test_unknown_story_is_registered_from_an_allowed_origin_only_once(api: Api) -> None:
    site, _key = make_site(origins=["https://news.example"])
    body = signed(site, "9.1", title="Bridge opens", url="https://news.example/bridge",
                  language="fr")
    created = api.post("sites/daily/stories/9.1/register", body, origin="https://news.example")
    assert created.status_code == 201, created.json()
    assert created.json()["title"] == "Bridge opens"
    assert created.json()["language"] == "fr"
    again = api.post("sites/daily/stories/9.1/register",
                     signed(site, "9.1", title="Something else",
                            url="https://news.example/other"),
                     origin="https://news.example")
    assert again.status_code == 200
    assert again.json()["title"] == "Bridge opens"  # an existing story is never changed
    assert again.json()["url"] == "https://news.example/bridge"


def test_registration_is_refused_from_other_origins_and_for_foreign_urls(api: Api) -> None:
    site, _key = make_site(origins=["https://news.example"])
    body = signed(site, "9.2", title="x", url="https://news.example/x")
    stranger = api.post("sites/daily/stories/9.2/register", body, origin="https://evil.example")
    assert stranger.status_code == 403
    assert stranger.json()["errors"][0]["code"] == "origin_not_allowed"
    nobody = api.post("sites/daily/stories/9.2/register", body)
    assert nobody.status_code == 403
    foreign = api.post("sites/daily/stories/9.2/register",
                       signed(site, "9.2", url="https://evil.example/x"),
                       origin="https://news.example")
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "url"
    typo = api.post("sites/daily/stories/9.2/register", {"titel": "x"},
                    origin="https://news.example")
    assert typo.status_code == 422 and typo.json()["errors"][0]["field"] == "titel"
    assert api.get("sites/daily/stories/9.2").status_code == 404


def test_a_bare_origin_header_registers_nothing_without_the_pages_signature(api: Api) -> None:
    """Anyone can send `Origin`: curl made stories on any site that allowed registration."""
    site, key = make_site(origins=["https://news.example"])
    for signature in (None, "", "0" * 64, story_signature(site=site, external_id="9.9")):
        body = {"title": "Spam story"} if signature is None else {"title": "Spam story",
                                                                  "signature": signature}
        refused = api.post("sites/daily/stories/9.5/register", body,
                           origin="https://news.example")
        assert refused.status_code == 403, signature
        assert refused.json()["errors"][0] == {
            "field": "signature", "code": "signature_required",
            "message": refused.json()["errors"][0]["message"]}
    assert not Story.objects.filter(external_id="9.5").exists()
    by_key = api.as_(key).post("sites/daily/stories/9.5/register", {"title": "From the CMS"})
    assert by_key.status_code == 201


def test_registration_is_refused_when_the_site_registers_stories_itself(api: Api) -> None:
    site, _key = make_site(origins=["https://news.example"])
    site_update(site=site, auto_register_stories=False)
    refused = api.post("sites/daily/stories/9.3/register", {"title": "x"},
                       origin="https://news.example")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "auto_register_off"


def test_registration_is_rate_limited_per_address(api: Api, settings: object) -> None:
    make_site(origins=["https://news.example"])
    site = Site.objects.get(name="daily")
    answers = [
        api.post(f"sites/daily/stories/r.{n}/register", signed(site, f"r.{n}"),
                 origin="https://news.example").status_code
        for n in range(31)
    ]
    assert answers[:30] == [201] * 30
    assert answers[30] == 429
