"""A mapping profile is checked before any page is read; each mistake is named."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from importer import profile as profiles


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_profile_is_valid():
    profile = profiles.load()
    assert profile.labels["editor"] == ("责任编辑", "编辑", "责编")
    assert profile.redirect_shapes == ("/article/{id}", "/news.php?id={id}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[select]\ntitle = "h1"\n', "[select] 缺少必填项 body"),
        ('[select]\ntitle = "h1"\nbody = "p[["\n', "select.body 不是有效的 CSS 选择器"),
        ('[select]\ntitle = "h1"\nbody = "div"\ntitel = "h2"\n', "未知的设置项：titel"),
        ('[select]\ntitle = "h1"\nbody = "div"\n[ids]\nurl = "(?P<x>\\\\d+)"\n',
         "[ids] url 必须含有名为 id 的分组"),
        ('[select]\ntitle = "h1"\nbody = "div"\n[ids]\nurl = "(unclosed"\n',
         "ids.url 不是有效的正则表达式"),
        ('[select]\ntitle = "h1"\nbody = "div"\n[ids]\nurl = "(?P<id>\\\\d+)"\n'
         '[redirects]\nshapes = ["article/{id}"]\n', "必须以 / 开头并含有 {id}"),
        ("name = [", "不是有效的 TOML"),
    ],
)  # fmt: skip
def test_a_mistake_in_a_profile_is_named(tmp_path, text, message):
    with pytest.raises(profiles.ProfileError) as refused:
        profiles.load(write(tmp_path, text))
    assert message in str(refused.value)
    assert str(tmp_path / "profile.toml") in str(refused.value)


@pytest.mark.django_db
def test_the_command_refuses_a_bad_profile_before_reading_any_page(tmp_path):
    bad = write(tmp_path, '[select]\ntitle = "h1"\n')
    with pytest.raises(CommandError, match="缺少必填项 body"):
        call_command("import_pages", str(tmp_path), profile=str(bad), verbosity=0)
