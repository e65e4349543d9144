"""The site's per-page work kept between MkDocs builds: a page whose source did not change is
neither converted from Markdown, nor indexed for search, nor put through the theme again.

Three answers are kept for each page, in the one cache (`followup.cache`), each found by what
it was made from:

- the Markdown converted to HTML (with its table of contents, title, anchors and the log
  lines MkDocs wrote meanwhile), by the page's Markdown, front-matter and address, and the
  site's fingerprint; it is used only while every other page the conversion looked up (a link's
  target) is still found at the same address, else the page is converted again;
- the page's entries in the search index, by the same and the page's title;
- the page as the theme renders it, by the same and a digest of the navigation.

Every entry of the cache is also keyed by `cache.fingerprint` (our code, every installed
library, MkDocs, Material and Markdown included, Python); the site's fingerprint covers what
else goes into a page: mkdocs.yml and what it inherits or takes from the environment, the
theme's own templates folder, the hooks' files, and the settings a build passes (the
guide-only navigation, the address served). Whatever it cannot vouch for turns the cache off
for the build, which then runs as plain MkDocs: a plugin or hook that takes part in making
pages, a Markdown extension outside a list known to depend on the text alone, a theme other
than Material, templates that read the build's date or every page.
A page that includes another file (a `--8<--` snippet: the home page's Today panel) is always
made afresh.

MkDocs has no event that skips a page's work, so the three steps are wrapped where MkDocs and
Material do them (`Page.render`, `SearchIndex.add_entry_from_context`, the page template's
`render`); the wrappers do nothing unless a build has started a session here.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followup.cache import Cache, Record, digest

log = logging.getLogger("mkdocs.hooks.followup")

# Extensions whose output depends on the page's text and their settings alone.
PURE_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "fenced_code", "footnotes",
    "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables",
    "toc", "wikilinks", "pymdownx.betterem", "pymdownx.caret", "pymdownx.critic", "pymdownx.details",
    "pymdownx.emoji", "pymdownx.escapeall", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.keys", "pymdownx.magiclink", "pymdownx.mark", "pymdownx.saneheaders",
    "pymdownx.smartsymbols", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist",
    "pymdownx.tilde", "pymdownx.snippets",
})
SNIPPETS = "pymdownx.snippets"
SNIPPET_MARK = "--8<--"
# Plugins whose part in a page is known: search indexes it (kept here), offline changes none.
KNOWN_PLUGINS = frozenset({"search", "material/search", "offline", "material/offline"})
# Events through which a plugin or hook could change what a page becomes.
PAGE_EVENTS = ("on_pre_page", "on_page_read_source", "on_page_markdown", "on_page_content",
               "on_page_context", "on_env", "on_nav", "on_files")
# Template variables that differ from build to build, or with every page of the site.
UNSTABLE_VARIABLES = frozenset({"build_date_utc", "pages"})
PAGE_TEMPLATE = "main.html"
NO_CACHE_ENV = "FOLLOWUP_NO_PAGE_CACHE"


@dataclass
class _Session:
    """One build's use of the cache."""

    cache: Cache
    site: str  # the site's fingerprint
    whole_pages: bool  # whether rendered pages may be kept (the templates allow it)
    navigation: Any = None  # the site's navigation, its titles known once every page is read
    nav: str = ""  # its digest
    used: dict[str, list[str]] = field(default_factory=dict)  # by record: the keys this build used


_session: _Session | None = None
_installed = False


def start(config: Any, hook_file: str) -> None:
    """Begin a build's session, unless something in the configuration makes kept pages
    untrustworthy (said in MkDocs' debug log) or `FOLLOWUP_NO_PAGE_CACHE` is set."""
    global _session
    finish()
    why = f"{NO_CACHE_ENV} is set" if os.environ.get(NO_CACHE_ENV) else _unsafe(config, hook_file)
    if why:
        log.debug("followup: pages are made afresh: %s", why)
        return
    _install()
    cache = Cache.of(Path(config.config_file_path or ".").resolve().parent)
    _session = _Session(cache, _site_fingerprint(config), _templates_allow(config, cache))


def finish() -> None:
    """Keep what the build made, and forget what no page uses any more once it is much more
    than what the pages use (a guide-only build, using a few, leaves a site's alone)."""
    global _session
    session, _session = _session, None
    if session is None:
        return
    cache = session.cache
    cache.save()
    records: tuple[Record[Any], ...] = (_CONVERTED, _ENTRIES, _RENDERED)
    for record in records:
        used = session.used.get(record.name, [])
        cache.keep_only(record, used, slack=4 * len(used) + 1000)
    cache.close()


def remember_nav(nav: Any) -> None:
    if _session is not None:
        _session.navigation = nav


def on_env(env: Any) -> Any:
    """Once every page is read: the navigation's digest, the page template kept, and the
    templates' compiled code kept (Jinja's bytecode cache, which checks each template's source)."""
    if _session is not None:
        env.bytecode_cache = _compiled_templates(_session.cache)
        _session.nav = digest(json.dumps(list(_nav_entries(_session.navigation or [])), ensure_ascii=False))
        if _session.whole_pages:
            real = env.get_template

            def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
                return _KeptTemplate(real(name, parent, globals), name)

            env.get_template = get_template
    return env


# -- whether the cache can vouch for this build -------------------------------------------


def _unsafe(config: Any, hook_file: str) -> str:
    """Why kept pages could differ from pages made now, or ''."""
    ours = os.path.realpath(hook_file)
    root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    for name, plugin in config.plugins.items():
        if name in KNOWN_PLUGINS or os.path.realpath(os.path.join(root, name)) == ours:
            continue
        if any(callable(getattr(plugin, event, None)) for event in PAGE_EVENTS):
            return f"the plugin or hook {name} takes part in making pages"
    for extension in config.markdown_extensions:
        name = extension if isinstance(extension, str) else type(extension).__module__
        if name.removeprefix("markdown.extensions.") not in PURE_EXTENSIONS:
            return f"the Markdown extension {name} is not known to depend on the text alone"
    snippets = (config.mdx_configs or {}).get(SNIPPETS) or {}
    if snippets.get("auto_append") or snippets.get("url_download"):
        return "pymdownx.snippets adds files or downloads to pages"
    if config.theme.name != "material":
        return f"the theme is {config.theme.name}, not Material"
    return ""


def _site_fingerprint(config: Any) -> str:
    """What goes into every page besides its own source (see the module)."""
    config_file = Path(config.config_file_path or "mkdocs.yml")
    source = _read(config_file)
    parts: list[str | bytes] = [source]  # our code and the libraries: in every entry's key already
    text = source.decode("utf-8", "replace")
    for name in sorted(set(re.findall(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)", text))):
        parts.append(f"{name}={os.environ.get(name, '')}")
    inherited = re.search(r"^INHERIT:\s*(\S+)", text, re.MULTILINE)
    if inherited:
        parts.append(_read(config_file.parent / inherited.group(1).strip("'\"")))
    custom = config.theme.custom_dir
    if custom:
        parts.extend(_folder(Path(custom)))
    for path in (config.hooks or {}):
        parts.append(_read(Path(path)))
    settings = {key: config.get(key) for key in ("site_url", "nav", "not_in_nav", "use_directory_urls", "strict")}
    parts.append(json.dumps(settings, default=str, sort_keys=True))
    return digest(*parts)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"(none)"


def _folder(folder: Path) -> Iterator[str | bytes]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix()
            yield _read(path)


def _templates_allow(config: Any, cache: Cache) -> bool:
    """Whether no template of the theme reads a variable that differs from build to build
    (`build_date_utc`) or holds every page: rendered pages may then be kept. Templates include
    each other by names known only when rendering (an icon's, a language's), so every template
    of the theme's folders is read (parsed only where one of the names is written); the answer is
    kept too, by the templates' bytes."""
    from jinja2 import nodes

    env = config.theme.get_env()
    sources: dict[str, str] = {}
    for folder in config.theme.dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            sources.setdefault(path.relative_to(folder).as_posix(), path.read_text(encoding="utf-8", errors="replace"))
    key = digest(*(part for item in sorted(sources.items()) for part in item))
    known = cache.get(_TEMPLATES, key)
    if known is None:
        known = True
        for source in sources.values():
            if not any(name in source for name in UNSTABLE_VARIABLES):
                continue  # a name a template reads is written in it: no need to parse this one
            try:
                found = {node.name for node in env.parse(source).find_all(nodes.Name)}
            except Exception:  # a template Jinja cannot read: nothing can be said of it
                found = set(UNSTABLE_VARIABLES)
            known = known and not (found & UNSTABLE_VARIABLES)
        cache.put(_TEMPLATES, key, known)  # written with the pages' entries when the build ends
    return known


def _nav_entries(nav: Any) -> Iterator[list[Any]]:
    """Every item of the navigation, in order, with its depth: what a rendered page shows of it."""
    def walk(items: Any, depth: int) -> Iterator[list[Any]]:
        for item in items:
            yield [depth, type(item).__name__, str(getattr(item, "title", "")), str(getattr(item, "url", "") or "")]
            yield from walk(getattr(item, "children", None) or [], depth + 1)

    return walk(nav, 0)


# -- the three kept answers -----------------------------------------------------------------


def _page_key(page: Any) -> str:
    """What a page's conversion is made from, besides the site: its address, front-matter and text."""
    assert _session is not None
    file = page.file
    meta = json.dumps(page.meta, default=str, sort_keys=True, ensure_ascii=False)
    return digest(_session.site, file.src_uri, file.dest_uri, file.url, meta, page.markdown or "")


@contextmanager
def _logged() -> Iterator[list[list[Any]]]:
    """The lines MkDocs logs meanwhile, as [logger, level, message], to log again on a kept answer."""
    lines: list[list[Any]] = []

    class Keeper(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append([record.name, record.levelno, record.getMessage()])

    keeper = Keeper(logging.INFO)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(keeper)
    try:
        yield lines
    finally:
        logger.removeHandler(keeper)


def _log_again(lines: list[list[Any]]) -> None:
    for name, level, message in lines:
        logging.getLogger(name).log(level, message)


class _Looking:
    """The site's files as a page's conversion sees them, with every lookup written down."""

    def __init__(self, files: Any) -> None:
        self._files = files
        self.seen: dict[str, list[Any]] = {}

    def get_file_from_path(self, path: str) -> Any:
        found = self._files.get_file_from_path(path)
        self.seen[path] = _identity(found)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


def _identity(file: Any) -> list[Any]:
    """What a conversion can read of a looked-up file (a link's target)."""
    if file is None:
        return []
    return [file.src_uri, file.url, bool(file.inclusion.is_excluded())]


@dataclass(frozen=True)
class _Converted:
    content: str
    toc: list[Any]  # the `toc` extension's tokens
    title: str | None
    anchors: list[str]
    links: dict[str, dict[str, str]] | None  # links to anchors in other pages, by their source
    seen: dict[str, list[Any]]  # every file the conversion looked up, and what it found
    lines: list[list[Any]]


def _convert(page: Any, config: Any, files: Any, real: Any) -> None:
    """`Page.render`, or its kept answer."""
    if _session is None or page.markdown is None or (SNIPPET_MARK in page.markdown):
        real(page, config, files)
        return
    key = _page_key(page)
    page.followup_key = key
    _session.used.setdefault(_CONVERTED.name, []).append(key)
    kept = _session.cache.get(_CONVERTED, key)
    if kept is not None and all(_identity(files.get_file_from_path(p)) == found for p, found in kept.seen.items()):
        _restore(page, kept, files)
        return
    looking = _Looking(files)
    with _logged() as lines:
        real(page, config, looking)
    links = None
    if page.links_to_anchors is not None:
        links = {target.src_uri: dict(found) for target, found in page.links_to_anchors.items()}
    _session.cache.put(_CONVERTED, key, _Converted(
        page.content, _tokens(page.toc), page._title_from_render, sorted(page.present_anchor_ids),
        links, looking.seen, lines,
    ))


def _restore(page: Any, kept: _Converted, files: Any) -> None:
    from mkdocs.structure.toc import get_toc

    page.content = kept.content
    page.toc = get_toc(kept.toc)
    page._title_from_render = kept.title
    page.present_anchor_ids = set(kept.anchors)
    if kept.links is not None:
        page.links_to_anchors = {files.get_file_from_path(uri): found for uri, found in kept.links.items()}
    _log_again(kept.lines)


def _tokens(toc: Any) -> list[Any]:
    return [
        {"level": item.level, "id": item.id, "name": item.title, "children": _tokens(item.children)}
        for item in toc
    ]


def _index(index: Any, page: Any, real: Any) -> None:
    """`SearchIndex.add_entry_from_context`, or the entries kept for the page."""
    key = getattr(page, "followup_key", None)
    if _session is None or key is None:
        real(index, page)
        return
    key = digest(key, str(page.title))
    _session.used.setdefault(_ENTRIES.name, []).append(key)
    kept = _session.cache.get(_ENTRIES, key)
    if kept is not None:
        index.entries.extend(kept)
        return
    before = len(index.entries)
    real(index, page)
    _session.cache.put(_ENTRIES, key, index.entries[before:])


class _KeptTemplate:
    """A template of the theme whose `render` of a page gives the page kept for the same
    context, else renders it and keeps it; anything else is the template's own."""

    def __init__(self, template: Any, name: str) -> None:
        self._template, self._name = template, name

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = args[0] if args and isinstance(args[0], dict) else kwargs
        page = context.get("page") if isinstance(context, dict) else None
        key = getattr(page, "followup_key", None)
        if _session is None or key is None or page is None or self._name != PAGE_TEMPLATE:
            return str(self._template.render(*args, **kwargs))
        key = digest(key, _session.nav, self._name, str(page.title), json.dumps(
            [context.get("base_url"), context.get("extra_css"), context.get("extra_javascript")], default=str
        ))
        _session.used.setdefault(_RENDERED.name, []).append(key)
        kept = _session.cache.get(_RENDERED, key)
        if kept is not None:
            _log_again(kept[1])
            return kept[0]
        with _logged() as lines:
            output = str(self._template.render(*args, **kwargs))
        _session.cache.put(_RENDERED, key, (output, lines))
        return output

    def __getattr__(self, name: str) -> Any:
        return getattr(self._template, name)


def _compiled_templates(cache: Cache) -> Any:
    """Jinja's compiled templates, kept in the cache: Jinja names each by the template and
    checks its source's digest and Jinja's own version before using it."""
    from jinja2.bccache import BytecodeCache

    class Kept(BytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            found = cache.get(_COMPILED, bucket.key)
            if found is not None:
                bucket.bytecode_from_string(base64.b64decode(found))

        def dump_bytecode(self, bucket: Any) -> None:
            cache.put(_COMPILED, bucket.key, base64.b64encode(bucket.bytecode_to_string()).decode("ascii"))

    return Kept()


def _install() -> None:
    """Wrap the three steps, once per process (see the module)."""
    global _installed
    if _installed:
        return
    from mkdocs.structure.pages import Page

    render = Page.render

    def kept_render(self: Any, config: Any, files: Any) -> None:
        _convert(self, config, files, render)

    Page.render = kept_render  # type: ignore[method-assign]
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:  # pragma: no cover - Material is a dependency
        pass
    else:
        add = SearchIndex.add_entry_from_context

        def kept_add(self: Any, page: Any) -> None:
            _index(self, page, add)

        SearchIndex.add_entry_from_context = kept_add
    _installed = True


# -- the records ----------------------------------------------------------------------------

def _of(kind: type, value: Any) -> Any:
    """`value` when it is a `kind`, else an error: the entry is then a miss."""
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__}")
    return value


def _converted(value: Any) -> _Converted:
    content, toc, title, anchors, links, seen, lines = _of(list, value)
    return _Converted(
        _of(str, content), _of(list, toc), title if title is None else _of(str, title), _of(list, anchors),
        links if links is None else _of(dict, links), _of(dict, seen), _of(list, lines),
    )


_CONVERTED: Record[_Converted] = Record(
    "page-converted", 1, lambda c: [c.content, c.toc, c.title, c.anchors, c.links, c.seen, c.lines], _converted,
)
_ENTRIES: Record[list[Any]] = Record("page-search", 1, list, lambda v: _of(list, v))
_RENDERED: Record[tuple[str, list[Any]]] = Record(
    "page-rendered", 1, list, lambda v: (_of(str, v[0]), _of(list, v[1]))
)
_TEMPLATES: Record[bool] = Record("templates-stable", 1, bool, lambda v: _of(bool, v))
_COMPILED: Record[str] = Record("template-code", 1, str, lambda v: _of(str, v))
