"""Reading export XML: element names without namespaces, text of a child."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree


def parse(path: Path) -> ElementTree.Element:
    """Parse an export an administrator handed us. Expat refuses entity-expansion bombs and
    ElementTree never fetches external entities."""
    try:
        return ElementTree.parse(path).getroot()  # noqa: S314 - see the docstring
    except ElementTree.ParseError as error:
        raise ValueError(f"{path}: not well-formed XML ({error})") from None


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    for item in element:
        if local(item.tag) == name:
            return item
    return None


def text(element: ElementTree.Element | None, name: str, default: str = "") -> str:
    found = child(element, name) if element is not None else None
    return (found.text or "").strip() if found is not None and found.text else default


def attribute(element: ElementTree.Element | None, name: str) -> str:
    """Return a namespaced attribute such as dsq:id by its local name."""
    if element is None:
        return ""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return ""
