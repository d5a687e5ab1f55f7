"""Players embedded from the allowed video sites: a share link becomes the site's player
address, anything else is refused, and the public pages frame exactly these players."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from videos.embeds import PLAYERS, player_url


@pytest.mark.parametrize(
    ("share", "player"),
    [
        ("https://www.bilibili.com/video/BV1GJ411x7h7/?spm_id_from=333.1007.tianma.1-1-1.click",
         "https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&page=1&autoplay=0&isOutside=true"),
        ("https://m.bilibili.com/video/BV1GJ411x7h7?p=3",
         "https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&page=3&autoplay=0&isOutside=true"),
        ("https://www.bilibili.com/video/av170001",
         "https://player.bilibili.com/player.html?aid=170001&page=1&autoplay=0&isOutside=true"),
        ("https://v.qq.com/x/page/x3512ab4cde.html",
         "https://v.qq.com/txp/iframe/player.html?vid=x3512ab4cde"),
        ("https://v.qq.com/x/cover/mzc00200abcdefg/x3512ab4cde.html",
         "https://v.qq.com/txp/iframe/player.html?vid=x3512ab4cde"),
        ("https://m.v.qq.com/x/m/play?vid=x3512ab4cde&cid=mzc00200abcdefg",
         "https://v.qq.com/txp/iframe/player.html?vid=x3512ab4cde"),
        ("https://w.yangshipin.cn/video?type=0&vid=u000042abcd",
         "https://w.yangshipin.cn/video?type=0&vid=u000042abcd"),
        ("https://www.yangshipin.cn/#/video/home?vid=u000042abcd",
         "https://w.yangshipin.cn/video?type=0&vid=u000042abcd"),
    ],
)  # fmt: skip
def test_share_link_becomes_the_official_player(share, player):
    assert player_url(share) == player


@pytest.mark.parametrize(
    "share",
    [
        "https://www.youtube.com/watch?v=abcdefghijk",
        "https://evil.example/player.bilibili.com/video/BV1GJ411x7h7",
        "https://bilibili.com.evil.example/video/BV1GJ411x7h7",
        "javascript:alert(1)//www.bilibili.com/video/BV1GJ411x7h7",
        "ftp://v.qq.com/x/page/x3512ab4cde.html",
    ],
)
def test_any_other_site_is_refused(share):
    with pytest.raises(ValidationError) as refused:
        player_url(share)

    assert refused.value.code == "host"
    assert "只能嵌入央视频、腾讯视频或哔哩哔哩的视频" in refused.value.messages[0]


def test_a_short_link_is_asked_for_in_full():
    with pytest.raises(ValidationError, match="短链接"):
        player_url("https://b23.tv/Ab12Cd3")


@pytest.mark.parametrize("share", ["https://v.qq.com/x/cover/mzc00200abcdefg.html",
                                   "https://www.bilibili.com/bangumi/play/ep123"])  # fmt: skip
def test_a_page_without_a_clip_id_is_refused(share):
    with pytest.raises(ValidationError, match="没有在链接中找到视频编号"):
        player_url(share)


def test_public_pages_may_frame_exactly_the_allowed_players():
    assert sorted(settings.SECURE_CSP["frame-src"]) == sorted(PLAYERS.values())
