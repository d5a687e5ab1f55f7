"""The 数据 page's charts: SVG drawn on the server by pygal from the same tables the page
prints, with no script and nothing fetched from elsewhere."""

from __future__ import annotations

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from audience.figures import Table

STYLE = Style(
    background="white",
    plot_background="white",
    font_family="'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif",
    colors=("#b71c1c", "#1565c0", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f", "#4e342e"),
)


def config(**options) -> dict:
    # js=[]: pygal links its tooltip script from a CDN unless told not to.
    return {"style": STYLE, "js": [], "disable_xml_declaration": True, "width": 900,
            "height": 360, "legend_at_bottom": True, "print_values": False,
            "no_data_text": _("暂无数据"), **options}  # fmt: skip


def reads_per_day(table: Table) -> str:
    chart = pygal.Line(**config(x_label_rotation=45, show_minor_x_labels=False))
    chart.title = table.title
    days = [row[0] for row in table.rows]
    chart.x_labels = [day[5:] for day in days]
    chart.x_labels_major = chart.x_labels[:: max(1, len(days) // 10)]
    for index, name in enumerate(table.headers[1:-1], start=1):
        chart.add(name, [row[index] for row in table.rows])
    return chart.render(is_unicode=True)


def bars(table: Table, label: int, value: int, *, horizontal: bool = False) -> str:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(**config(show_legend=False))
    chart.title = table.title
    chart.x_labels = [str(row[label])[:24] for row in table.rows]
    chart.add(table.headers[value], [row[value] for row in table.rows])
    return chart.render(is_unicode=True)


def turnaround(table: Table) -> str:
    chart = pygal.Bar(**config())
    chart.title = table.title
    chart.x_labels = [str(row[0]) for row in table.rows]
    chart.add(table.headers[2], [row[2] for row in table.rows])
    chart.add(table.headers[3], [row[3] for row in table.rows])
    return chart.render(is_unicode=True)
