"""Patterns for SQL LIKE and COPY values (no Odoo import), shared by the
mixin's search and the engine's candidate lookups."""


def like_escape(text):
    """`text` with the LIKE wildcards and the escape character escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_prefix(text):
    """LIKE pattern of the values starting with `text`."""
    return like_escape(text) + "%"


def like_infix(text):
    """LIKE pattern of the values containing `text`."""
    return "%" + like_escape(text) + "%"


def copy_value(value):
    """A value in PostgreSQL's COPY text format (NULL when empty)."""
    if not value:
        return "\\N"
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )
