from django import template
from django.utils.safestring import SafeString

from kam.top.search.normalize import Terms
from kam.top.search.snippets import highlight

register = template.Library()


@register.filter
def marked(text: str, terms: Terms) -> SafeString:
    """`text` with the words that match the search in <mark>."""
    return highlight(text or "", terms)
