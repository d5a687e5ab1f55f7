"""Fragments every public page shows that change only with the channel tree: the header
and the footer, drawn once per tree and kept with it in the process.

``{% sitewide header LANGUAGE_CODE %}...{% endsitewide %}`` draws its contents once for
each set of values after the name and keeps them with the channel tree the request read
(website/navigation.py). Every request reads the tree's version anyway, and a changed
tree (the ``site`` topic) is a new object, so the kept copies go with the old one: no
cache round trip per fragment. Besides the tree and the values named, the contents may
depend only on what a process never changes: settings, templates and translations.
"""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString

from website import navigation

register = template.Library()


class SitewideNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, vary_on: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: Context) -> SafeString:
        request = context.get("request")
        if request is None:  # drawn outside a request: no tree to keep it with
            return self.nodelist.render(context)
        drawn = navigation.tree(request).drawn
        key = (self.name, *(value.resolve(context) for value in self.vary_on))
        if (found := drawn.get(key)) is None:
            found = drawn[key] = self.nodelist.render(context)
        return found


@register.tag
def sitewide(parser: Parser, token: Token) -> SitewideNode:
    """{% sitewide name [value ...] %}: the contents, drawn once per channel tree and values."""
    nodelist = parser.parse(("endsitewide",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'sitewide' needs a fragment name.")
    return SitewideNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])
