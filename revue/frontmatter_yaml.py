"""The frontmatter's YAML → a mapping and each top-level key's line, safely.

Dates stay text (content.py checks them with a clear message); libyaml parses when PyYAML
has it, the pure-Python parser again on broken YAML for its clearer messages; frontmatter
nested too deeply or expanding through aliases (the « billion laughs ») is refused before
it is built. Errors: yaml.YAMLError, or FrontmatterShapeError with the file line.
"""

from __future__ import annotations

import yaml

MAX_DEPTH = 20  # lists and mappings nested deeper than this in the frontmatter are refused
MAX_VALUES = 10_000  # values the frontmatter may expand to through YAML aliases (&a … *a)
# Each list or mapping needs one of the characters [ { - : ? — with at most this many of
# them, frontmatter cannot nest too deep for the composer to build it before it is checked.
SAFE_COLLECTIONS = 200


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, but dates stay text: parse_date checks them with a clear message."""


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same with libyaml's parser when PyYAML has it (several times faster). On broken
    YAML the pure-Python loader parses again, for its clearer messages."""


_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class FrontmatterShapeError(ValueError):
    """Frontmatter that parses but has the wrong shape; `line` is its line in the file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def parse_yaml(meta_text: str) -> tuple[dict[str, object], dict[str, int]]:
    """Parse the frontmatter YAML; return the mapping and each top-level key's file line."""
    try:
        if sum(map(meta_text.count, "[{-:?")) > SAFE_COLLECTIONS:
            _check_size(meta_text, _FastLoader)  # before composing what may nest very deep
        return _parse_yaml_with(_FastLoader, meta_text)
    except yaml.YAMLError:  # parsed again in pure Python, whose messages name the place
        _check_size(meta_text, _Loader)
        return _parse_yaml_with(_Loader, meta_text)


def _parse_yaml_with(
    loader_class: type, meta_text: str
) -> tuple[dict[str, object], dict[str, int]]:
    """Parse with one loader class: the mapping and each top-level key's file line. The
    size is checked on the events (_check_size) only when the composed nodes do not show
    it small at once: most frontmatter is read once."""
    loader = loader_class(meta_text)
    try:
        node = loader.get_single_node()
        if not _plainly_small(node):
            _check_size(meta_text, loader_class)
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise FrontmatterShapeError(
                node.start_mark.line + 1,
                "the frontmatter must be `key: value` lines (title:, date:, source:…)",
            )
        key_lines: dict[str, int] = {}
        for key_node, _ in node.value:
            key = str(key_node.value)
            if key in key_lines:
                raise FrontmatterShapeError(
                    key_node.start_mark.line + 1, f"'{key}' is given twice: keep only one"
                )
            key_lines[key] = key_node.start_mark.line + 1
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    return {str(k): v for k, v in data.items()}, key_lines


def _plainly_small(node: yaml.Node | None) -> bool:
    """True when the composed frontmatter has no node reached twice (no alias, so as many
    values as scalar nodes), at most MAX_VALUES of them, nested at most MAX_DEPTH deep:
    then _check_size would pass. False means that _check_size must decide."""
    seen: set[int] = set()
    scalars = 0
    stack = [(node, 0)] if node is not None else []
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            scalars += 1
            if scalars > MAX_VALUES:
                return False
            continue
        if depth >= MAX_DEPTH:
            return False
        if isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
        else:
            stack.extend((item, depth + 1) for item in node.value)
    return True


def _check_size(meta_text: str, loader_class: type) -> None:
    """Refuse frontmatter nested too deeply or expanding to too many values through aliases
    (the « billion laughs »), before it is built: raise FrontmatterShapeError."""
    sizes: dict[str, int] = {}
    open_counts: list[tuple[int, str | None]] = []
    total = 0
    for event in yaml.parse(meta_text, Loader=loader_class):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_counts) >= MAX_DEPTH:
                raise FrontmatterShapeError(
                    line, f"lists or mappings nested more than {MAX_DEPTH} deep: flatten them"
                )
            open_counts.append((total, event.anchor))
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            start, anchor = open_counts.pop()
            if anchor:
                sizes[anchor] = total - start
            continue
        if isinstance(event, yaml.AliasEvent):
            total += sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            total += 1
            if event.anchor:
                sizes[event.anchor] = 1
        if total > MAX_VALUES:
            raise FrontmatterShapeError(
                line,
                f"the aliases (*name) expand to more than {MAX_VALUES} values: "
                "write the values out instead",
            )
