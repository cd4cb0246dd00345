"""Wanted notices on the public site, read with the Django test client (no JavaScript): the notice page in the
layout with every public field (the ID number masked, photos with alternative text, bulletins citing the
notice), the home page's strip of active notices, and the tombstone — a closed notice's old address answers 410
with the minimal record and nothing of the person."""

from __future__ import annotations

import itertools
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from plugins.wanted.lifecycle import close_notice
from plugins.wanted.models import WantedNotice

from .conftest import ALIAS, BULLETIN, CASE, FEATURES, HOUSEHOLD, ID, NAME, RESIDENCE, SECRETS, add_bulletin, publish

pytestmark = pytest.mark.django_db

MASKED = ID[:6] + "********" + ID[-4:]


@pytest.fixture
def notice(make_notice, people):
    """A published notice with a photo and a supplementary bulletin."""
    notice = publish(make_notice(), people["admin"])
    return publish(add_bulletin(notice, people["editor"]), people["admin"])


def test_the_notice_page_shows_every_public_field_with_the_id_number_masked(client, notice):
    response = client.get(notice.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{notice.title}</h1>" in html and '<main id="main"' in html
    assert 'class="item-meta"' in html and "发布时间" in html and "刑警支队" in html  # the shared meta line
    for text in (
        NAME,
        ALIAS,
        HOUSEHOLD,
        RESIDENCE,
        FEATURES,
        CASE,
        "汉族",
        "陕南口音",
        "抢劫罪",
        "安康市公安局刑侦支队",
    ):
        assert text in html, text
    assert MASKED in html and ID not in html
    assert "20,000" in html and "提供线索抓获的奖励2万元" in html  # the reward
    assert '<a href="tel:0915-3237000">0915-3237000</a>' in html
    # the photo has a text alternative; the caption stays visible
    image = re.search(r"<img [^>]*>", html).group(0)
    assert 'alt="通缉对象照片1"' in image and "<figcaption>正面照</figcaption>" in html
    # the bulletin with its number and the original notice's number and date
    assert "补发〔2026〕1号" in html and BULLETIN in html
    assert f"{notice.number}" in html and notice.date.isoformat() in html
    assert f'href="/wanted/{notice.pk}/tip/"' in html
    assert 'id="article-body"' in html and "data-read-aloud" in html  # the page tools
    # row headers, headings in order (one h1, then h2 and the bulletin's h3)
    assert '<th scope="row">身份证号码</th>' in html
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html.split('<main id="main"')[1])]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_the_home_page_strip_shows_the_latest_active_notices(client, notice, column):
    html = client.get("/").content.decode()
    panel = re.search(r'<section class="card home-panel" id="panel-wanted".*?</section>', html, re.S)
    assert panel is not None
    strip = panel.group(0)
    assert ">网上通缉</h2>" in strip
    assert f'href="{notice.url}"' in strip and notice.title in strip and notice.date.isoformat() in strip
    assert 'alt="被通缉人照片"' in strip
    assert f'href="{column("xxgk/wstj").url}"' in strip  # more: the column
    assert NAME not in strip and ID not in strip and MASKED not in strip  # no personal field but the photo
    assert len(re.findall(r"<li>", strip)) <= 6


def test_no_strip_when_no_notice_is_sought(client, notice):
    assert 'id="panel-wanted"' in client.get("/").content.decode()
    for open_notice in WantedNotice.objects.open().live():
        close_notice(open_notice, "captured", timezone.localdate())
    cache.clear()
    html = client.get("/").content.decode()
    assert 'id="panel-wanted"' not in html and "网上通缉</h2>" not in html.split("section-block")[0]


def test_a_closed_notice_leaves_a_410_tombstone_with_the_minimal_record_only(client, notice, people):
    url = notice.url
    assert client.get(url).status_code == 200
    assert notice.full_url in client.get("/sitemap.xml").content.decode()
    close_notice(
        notice, "revoked", timezone.localdate(), "经复核，撤销本通缉令（安公撤字〔2026〕2号）。", people["head"]
    )
    cache.clear()
    response = client.get(url)
    assert response.status_code == 410
    assert notice.full_url not in client.get("/sitemap.xml").content.decode()  # left the sitemap
    html = response.content.decode()
    assert '<main id="main"' in html and "此通缉令已结束" in html  # in the site's layout
    for text in (notice.number, "市级", "安康市公安局", "已撤销", "安公撤字〔2026〕2号", notice.date.isoformat()):
        assert text in html, text
    assert timezone.localdate().isoformat() in html
    gone = (*SECRETS, MASKED, "被通缉人照片", "通缉对象照片", "正面照", "联系单位</th>", "联系电话</th>")
    leaked = [s for s in gone if s in html]
    assert leaked == []
    assert '<meta name="robots" content="noindex">' in html
    assert 'href="/xxgk/wstj/"' in html  # the notices still in force
    assert client.head(url).status_code == 410
    assert client.get(url.rstrip("/")).status_code in (301, 410)  # Django's slash redirect, then the tombstone


def test_other_addresses_stay_404(client, make_notice, notice):
    draft = make_notice(number="安公（刑）缉字〔2026〕99号")
    close_notice(draft, "captured", timezone.localdate())  # closed before it was ever published
    assert client.get(draft.url).status_code == 404
    assert client.get("/xxgk/wstj/no-such-notice/").status_code == 404
    assert client.post("/xxgk/wstj/no-such-notice/").status_code == 404


def test_the_tip_form_links_back_to_the_notice_and_its_column(client, notice):
    html = client.get(f"/wanted/{notice.pk}/tip/").content.decode()
    nav = re.search(r'<nav class="subnav".*?</nav>', html, re.S).group(0)
    assert f'href="{notice.url}"' in nav and 'href="/xxgk/wstj/"' in nav and "网上通缉" in nav
