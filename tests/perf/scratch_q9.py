import time, cProfile, pstats, os
from django.db import connection
from tests.conftest import Api, make_account, make_site, make_story, token_for
from tests.perf.test_posting_queries import _fill
from townhall.moderation.services import site_moderation_update

def test_speed(transactional_db, settings):
    settings.TOWNHALL_RATELIMIT = False
    site, _key = make_site()
    site_moderation_update(site=site, new_commenter_holds=0)
    story = make_story(site, "long")
    _fill(story, 5)
    apis = [Api(token_for(make_account())) for _ in range(50)]
    url = f"sites/{story.site.name}/stories/{story.external_id}/comments"
    def go(n):
        for i in range(n):
            a = apis[i % 50].post(url, {"body": f"Bench post {i} on the bridge vote and the traffic plan {time.time()}.", "accept_terms": True})
            assert a.status_code == 201, a.content
    go(20)
    t = time.perf_counter(); go(200); dt = time.perf_counter() - t
    print(f"\nserial: {dt/200*1000:.2f} ms/post")
    if os.environ.get("PROF"):
        p = cProfile.Profile(); p.enable(); go(200); p.disable()
        st = pstats.Stats(p); st.sort_stats("cumulative").print_stats("townhall", 60); st.sort_stats("tottime").print_stats(25)
