"""The portal as a visitor finds it: every URL pattern from the resolver, every link and form.

Nothing here names an app, a view or a field: patterns come from `get_resolver()`, sample
arguments from links the demo pages show, and forms from the HTML of those pages, so an app
added tomorrow is covered without a line of test code.
"""

from __future__ import annotations

import re._constants as sre
import re._parser as sre_parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: `route` is the key Django gives it in `ResolverMatch.route`."""

    route: str
    name: str
    regex: str
    groups: tuple[str, ...]
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)

    def build(self, kwargs: dict[str, str] | None = None) -> str:
        """The path for these arguments (quoted); unnamed parts are filled with an example."""
        values = {k: quote(str(v), safe="") for k, v in (kwargs or {}).items()}
        return "/" + _example(sre_parse.parse(self.regex), values)


def _join_route(route1: str, route2: str) -> str:
    # The same joining as django.urls.resolvers.URLResolver._join_route, so keys match.
    if not route1:
        return route2
    return route1 + route2.removeprefix("^")


def _regex_text(pattern) -> str:
    text = pattern.regex.pattern
    text = text.removeprefix("^")
    for end in ("\\Z", "$"):
        text = text.removesuffix(end)
    return text


def url_patterns() -> list[Pattern]:
    """Every URL pattern the portal serves, with the regex its arguments must match."""
    found: list[Pattern] = []

    def walk(resolver: URLResolver, route: str, regex: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            entry_route = _join_route(route, str(entry.pattern))
            entry_regex = regex + _regex_text(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = entry.namespace
                walk(entry, entry_route, entry_regex,
                     f"{namespace}:{ns}" if namespace and ns else (ns or namespace))
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else (entry.name or entry_route)
                found.append(_pattern(entry_route, name, entry_regex))

    walk(get_resolver(), "", "", "")
    return found


def _pattern(route: str, name: str, regex: str) -> Pattern:
    parsed = sre_parse.parse(regex)
    groups = tuple(sorted(parsed.state.groupdict, key=parsed.state.groupdict.get))
    return Pattern(route=route, name=name, regex=regex, groups=groups,
                   choices=_literal_choices(parsed))


def _literal_choices(parsed) -> dict[str, tuple[str, ...]]:
    """Named groups that are an alternation of literals (`(?P<app>auth|organisations)`)."""
    names = {number: name for name, number in parsed.state.groupdict.items()}
    choices: dict[str, tuple[str, ...]] = {}

    def visit(items) -> None:
        for op, arg in items:
            if op is sre.SUBPATTERN:
                group, _, _, sub = arg
                literals = _branch_literals(sub)
                if group in names and literals:
                    choices[names[group]] = literals
                visit(sub)
            elif op is sre.BRANCH:
                for alternative in arg[1]:
                    visit(alternative)
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
                visit(arg[2])

    visit(parsed)
    return choices


def _branch_literals(sub) -> tuple[str, ...]:
    items = list(sub)
    branch = len(items) == 1 and items[0][0] is sre.BRANCH
    alternatives = items[0][1][1] if branch else [items]
    words = []
    for alternative in alternatives:
        if not all(op is sre.LITERAL for op, _ in alternative):
            return ()
        words.append("".join(chr(code) for _, code in alternative))
    return tuple(words) if len(words) > 1 else ()


def _example(items, values: dict[str, str], names: dict[int, str] | None = None) -> str:
    if names is None:
        names = {number: name for name, number in items.state.groupdict.items()}
    out = []
    for op, arg in items:
        if op is sre.LITERAL:
            out.append(chr(arg))
        elif op is sre.SUBPATTERN:
            group, _, _, sub = arg
            if names.get(group) in values:
                out.append(values[names[group]])
            else:
                out.append(_example(sub, values, names))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, _high, sub = arg
            out.append(_example(sub, values, names) * max(low, 1))
        elif op is sre.BRANCH:
            out.append(_example(arg[1][0], values, names))
        elif op is sre.IN:
            out.append(_char_in(arg))
        elif op in (sre.ANY, sre.NOT_LITERAL):
            out.append("x")
        # AT (anchors), ASSERT and the like add no characters.
    return "".join(out)


def _char_in(items) -> str:
    for op, arg in items:
        if op is sre.LITERAL:
            return chr(arg)
        if op is sre.RANGE:
            # "1" rather than "0" for [0-9]: the first row of a table is more often there.
            return chr(min(arg[0] + 1, arg[1]))
        if op is sre.CATEGORY:
            return "1" if arg is sre.CATEGORY_DIGIT else "a"
    return "x"


# --------------------------------------------------------------------------- links and forms


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    checked: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    enctype: str
    fields: list[FormField]

    @property
    def signature(self) -> tuple:
        return (self.method, tuple(sorted({f.name for f in self.fields})))


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[dict, list[FormField]]] = []
        self._form: tuple[dict, list[FormField]] | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = (attrs, [])
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag in ("input", "button"):
            kind = attrs.get("type", "text" if tag == "input" else "submit").lower()
            self._form[1].append(FormField(attrs["name"], kind, attrs.get("value", ""),
                                           checked="checked" in attrs))
        elif tag == "select":
            self._select = FormField(attrs["name"], "select", multiple="multiple" in attrs)
            self._form[1].append(self._select)
        elif tag == "textarea":
            self._textarea = FormField(attrs["name"], "textarea")
            self._form[1].append(self._textarea)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class _OptionAwareParser(_PageParser):
    def handle_starttag(self, tag, attrs):
        if tag == "option" and self._select is not None:
            values = dict(attrs)
            self._select.options.append(values.get("value") or "")
            if "selected" in values:
                self._select.value = values.get("value") or ""
            return
        super().handle_starttag(tag, attrs)


def parse_page(url: str, html: str) -> tuple[list[str], list[Form]]:
    """Local links and the forms of one page, with actions made absolute paths."""
    parser = _OptionAwareParser()
    parser.feed(html)
    links = [path for href in parser.links if (path := local_path(url, href))]
    forms = []
    for attrs, fields in parser.forms:
        action = local_path(url, attrs.get("action") or url)
        if action:
            forms.append(Form(page=url, action=action, method=(attrs.get("method") or "get")
                              .lower(), enctype=attrs.get("enctype", ""), fields=fields))
    return links, forms


def local_path(base: str, href: str) -> str | None:
    """`href` as a path with query on this portal, or None for other sites and fragments."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    absolute = urljoin("http://testserver" + base, href)
    parts = urlsplit(absolute)
    if parts.netloc not in ("testserver", ""):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def split_query(path: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(path)
    return parts.path, parse_qsl(parts.query, keep_blank_values=True)


def resolve_route(path: str):
    """(route, kwargs) of a path, or None when no pattern matches."""
    from django.urls import resolve

    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.route, {k: str(v) for k, v in match.kwargs.items()}
