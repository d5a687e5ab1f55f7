"""Forms readers fill in on the public site."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from articles.models import Channel
from search import vocabulary
from search.search import Criteria, parse_query


class SearchForm(forms.Form):
    """站内搜索: keywords, and optionally a channel (with its sub-channels) and dates.

    A field that does not validate is reported and left out; the rest still searches.
    """

    q = forms.CharField(
        label=_("关键词"),
        required=False,
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
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

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
