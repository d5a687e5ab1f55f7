"""Forms readers fill in on the public site."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from articles.models import Channel
from search import vocabulary
from search.search import MAX_QUERY_CHARS, Criteria, parse_query

# Dates a search may name: far enough either way for any archive, near enough that a day
# after the last one is still a date (9999-12-31 has none).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def date_field(label: str) -> forms.DateField:
    """A day within FIRST_DAY and LAST_DAY, with the browser's date picker."""
    outside = _("请填写 1900-01-01 至 2100-12-31 之间的日期。")
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
        ),
        validators=[
            MinValueValidator(FIRST_DAY, message=outside),
            MaxValueValidator(LAST_DAY, message=outside),
        ],
    )


class SearchForm(forms.Form):
    """站内搜索: keywords, and optionally a channel (with its sub-channels) and dates.

    A field that does not validate is reported and left out; the rest still searches.
    """

    q = forms.CharField(
        label=_("关键词"),
        required=False,
        # Also the input's maxlength: a browser cannot send more.
        max_length=MAX_QUERY_CHARS,
        error_messages={
            "max_length": _(
                "关键词最多 %(limit_value)d 个字（现有 %(show_value)d 个），请缩短后再搜索。"
            )
        },
        widget=forms.TextInput(
            attrs={
                "type": "search",
                # Filled as the reader types by search/suggest.js; empty without it.
                "list": "search-suggestions",
                "data-suggest": reverse_lazy("articles:search_suggest"),
            }
        ),
    )
    channel = forms.ChoiceField(label=_("栏目"), required=False)
    date_from = date_field(_("起始日期"))
    date_to = date_field(_("截止日期"))

    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("", _("按相关度")), ("date", _("按时间，最新在前"))],
    )

    def __init__(self, data, *, channels: list[Channel]) -> None:
        super().__init__(data)
        self.channels = {channel.slug: channel for channel in channels}
        self.fields["channel"].choices = [("", _("全部栏目")), *channel_choices(channels)]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            # Which end is wrong cannot be told: report it and search without dates.
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
            del cleaned["date_from"]
        return cleaned

    def filters_kept_as(self) -> tuple[str, str] | None:
        """The channel and order the filter fields show, when that is all they show (no
        date typed, nothing invalid): few states, so their drawn copy can be kept."""
        self.is_valid()
        if self.data.get("date_from") or self.data.get("date_to") or self.errors.keys() - {"q"}:
            return None
        return self.cleaned_data.get("channel", ""), self.cleaned_data.get("sort", "")

    def criteria(self) -> Criteria | None:
        """The search to run, from the fields that are valid; None without keywords."""
        self.is_valid()
        cleaned = self.cleaned_data
        if not cleaned.get("q"):
            return None
        return Criteria(
            query=parse_query(cleaned["q"], vocabulary.current()),
            channel=self.channels.get(cleaned.get("channel", "")),
            since=cleaned.get("date_from"),
            until=cleaned.get("date_to"),
            by_date=cleaned.get("sort") == "date",
        )


def channel_choices(channels: list[Channel]) -> list[tuple[str, str]]:
    """Top-level channels in order, each followed by its sub-channels, indented."""
    children: dict[int, list[Channel]] = {}
    for channel in channels:
        if channel.parent_id:
            children.setdefault(channel.parent_id, []).append(channel)
    choices = []
    for channel in channels:
        if not channel.parent_id:
            choices.append((channel.slug, channel.name))
            choices += [(sub.slug, f"\u3000{sub.name}") for sub in children.get(channel.pk, [])]
    return choices
